namespace BnMlNet.Engine;

/// <summary>
/// One inference layer with batch norm folded in: y = act(W'·x + b'), W' [Out×In] row-major. Public engine entry
/// point for exporters (the ONNX export writes a folded graph from these); <see cref="Fold"/> makes them.
/// </summary>
public sealed class FoldedLayer(int inputSize, int outputSize, float[] weights, float[] bias, Activation activation)
{
    /// <summary>Width of the layer's input.</summary>
    public int InputSize { get; } = inputSize;
    /// <summary>Width of the layer's output.</summary>
    public int OutputSize { get; } = outputSize;
    /// <summary>The folded weights W' [Out×In], row-major.</summary>
    public float[] Weights { get; } = weights;
    /// <summary>The folded bias b' [Out] (zeros where the layer had neither a bias nor a batch norm shift).</summary>
    public float[] Bias { get; } = bias;
    /// <summary>The activation applied after W'·x + b'.</summary>
    public Activation Activation { get; } = activation;

    /// <summary>
    /// Folds frozen batch norms into dense layers, in double precision.
    /// A batch norm is the affine map y = s·x + t with s = γ/√(σ² + ε), t = β − s·μ.
    /// Before the activation (z = W·x + b, then BN): W' = diag(s)·W, b' = s·(b − μ) + β.
    /// After the activation (or on the raw input), the affine map goes into the NEXT layer's input:
    /// W'·(s·h + t) + b' = (W'·diag(s))·h + (W'·t + b'). An affine left after the last layer is returned separately.
    /// </summary>
    /// <param name="layers">The network's layers in order (<see cref="InferenceNetwork.Layers"/>).</param>
    /// <param name="inputBatchNorm">The batch norm on the raw input, if any.</param>
    /// <param name="outputAffine">y = Scale·x + Shift still to apply after the last layer (a batch norm after the
    /// last activation), or null.</param>
    /// <returns>One folded layer per dense layer; evaluating them in order (then <paramref name="outputAffine"/>)
    /// gives the network's output up to float rounding.</returns>
    public static FoldedLayer[] Fold(IReadOnlyList<DenseLayerParameters> layers, BatchNormParameters? inputBatchNorm,
        out (float[] Scale, float[] Shift)? outputAffine)
    {
        var result = new FoldedLayer[layers.Count];
        (double[] S, double[] T)? pending = inputBatchNorm is null ? null : Affine(inputBatchNorm);
        for (int l = 0; l < layers.Count; l++)
        {
            var p = layers[l];
            int nIn = p.InputSize, nOut = p.OutputSize;
            var w = new double[nIn * nOut];
            var b = new double[nOut];
            for (int i = 0; i < w.Length; i++) w[i] = p.Weights[i];
            if (p.Bias is not null) for (int o = 0; o < nOut; o++) b[o] = p.Bias[o];

            if (pending is { } inAff)
            {
                // b' += W·t, then W' = W·diag(s)
                for (int o = 0; o < nOut; o++)
                {
                    double acc = 0;
                    for (int i = 0; i < nIn; i++) acc += w[o * nIn + i] * inAff.T[i];
                    b[o] += acc;
                    for (int i = 0; i < nIn; i++) w[o * nIn + i] *= inAff.S[i];
                }
                pending = null;
            }
            if (p.BatchNorm is not null && p.Placement == BatchNormPlacement.BeforeActivation)
            {
                var (s, t) = Affine(p.BatchNorm);
                for (int o = 0; o < nOut; o++)
                {
                    for (int i = 0; i < nIn; i++) w[o * nIn + i] *= s[o];
                    b[o] = s[o] * b[o] + t[o];   // s·(b − μ) + β = s·b + t
                }
            }
            if (p.BatchNorm is not null && p.Placement == BatchNormPlacement.AfterActivation)
                pending = Affine(p.BatchNorm);
            result[l] = new FoldedLayer(nIn, nOut, w.Select(v => (float)v).ToArray(), b.Select(v => (float)v).ToArray(), p.Activation);
        }
        outputAffine = pending is { } last ? (last.S.Select(v => (float)v).ToArray(), last.T.Select(v => (float)v).ToArray()) : null;
        return result;
    }

    /// <summary>s = γ/√(σ² + ε), t = β − s·μ.</summary>
    private static (double[] S, double[] T) Affine(BatchNormParameters bn)
    {
        var s = new double[bn.Size];
        var t = new double[bn.Size];
        for (int c = 0; c < bn.Size; c++)
        {
            s[c] = bn.Gamma[c] / Math.Sqrt((double)bn.RunningVariance[c] + bn.Epsilon);
            t[c] = bn.Beta[c] - s[c] * bn.RunningMean[c];
        }
        return (s, t);
    }
}
