using BnMlNet.Engine.Layers;

namespace BnMlNet.Engine;

// The frozen network's reference scoring path (no folding), for tests and checks.
public sealed partial class InferenceNetwork
{
    /// <summary>
    /// Reference path: scores one row with every batch norm applied explicitly, y = γ·(x − μ)/√(σ² + ε) + β,
    /// no folding. Agrees with <see cref="Predict"/> to about 1e−5. Allocates; for tests and checks.
    /// </summary>
    public void PredictUnfolded(ReadOnlySpan<float> features, Span<float> output)
    {
        if (features.Length < InputSize) throw new ArgumentException($"Expected {InputSize} features, got {features.Length}.", nameof(features));
        if (output.Length < OutputSize) throw new ArgumentException($"Expected room for {OutputSize} outputs, got {output.Length}.", nameof(output));
        float[] x = features[..InputSize].ToArray();
        if (InputBatchNorm is not null) x = ApplyBatchNorm(InputBatchNorm, x);
        if (Embedding is not null)
        {
            var e = new float[Embedding.OutputSize];
            Embedding.Apply(x, e);
            x = e;
        }
        foreach (var p in Layers)
        {
            var z = new float[p.OutputSize];
            for (int o = 0; o < p.OutputSize; o++)
            {
                double acc = p.Bias?[o] ?? 0.0;
                for (int i = 0; i < p.InputSize; i++) acc += (double)p.Weights[o * p.InputSize + i] * x[i];
                z[o] = (float)acc;
            }
            if (p.Placement == BatchNormPlacement.BeforeActivation) z = ApplyBatchNorm(p.BatchNorm!, z);
            Activations.Forward(z, z, p.Activation, LeakyReluSlope);
            if (p.Placement == BatchNormPlacement.AfterActivation) z = ApplyBatchNorm(p.BatchNorm!, z);
            x = z;
        }
        if (EnsembleSize > 1) Ensembles.EnsembleCombiner.Combine(Combination, x, 1, EnsembleSize, OutputSize, output);
        else x.CopyTo(output);
    }

    private static float[] ApplyBatchNorm(BatchNormParameters bn, float[] x)
    {
        var y = new float[x.Length];
        for (int c = 0; c < x.Length; c++)
            y[c] = bn.Gamma[c] * ((x[c] - bn.RunningMean[c]) / MathF.Sqrt(bn.RunningVariance[c] + bn.Epsilon)) + bn.Beta[c];
        return y;
    }
}
