namespace BnMlNet.Engine.Network;

/// <summary>
/// One inference layer with batch norm folded in: y = act(W'·x + b'), W' [Out×In] row-major.
/// </summary>
internal sealed class FoldedLayer(int inputSize, int outputSize, float[] weights, float[] bias, Activation activation)
{
    public int InputSize { get; } = inputSize;
    public int OutputSize { get; } = outputSize;
    public float[] Weights { get; } = weights;
    public float[] Bias { get; } = bias;
    public Activation Activation { get; } = activation;

    /// <summary>
    /// Folds frozen batch norms into dense layers, in double precision.
    /// A batch norm is the affine map y = s·x + t with s = γ/√(σ² + ε), t = β − s·μ.
    /// Before the activation (z = W·x + b, then BN): W' = diag(s)·W, b' = s·(b − μ) + β.
    /// After the activation (or on the raw input), the affine map goes into the NEXT layer's input:
    /// W'·(s·h + t) + b' = (W'·diag(s))·h + (W'·t + b'). An affine left after the last layer is returned separately.
    /// </summary>
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
