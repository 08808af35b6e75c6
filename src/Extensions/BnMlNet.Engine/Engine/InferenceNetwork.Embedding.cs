namespace BnMlNet.Engine;

// The numerical embedding's part of the frozen network's scoring path.
public sealed partial class InferenceNetwork
{
    private readonly (float[] Scale, float[] Shift)? _inputAffine;

    /// <summary>The numerical embedding in front of layer 0, or null.</summary>
    public PeriodicEmbeddingParameters? Embedding { get; }

    /// <summary>The input batch norm as y = s·x + t, s = γ/√(σ² + ε), t = β − s·μ (computed in double, stored as float).</summary>
    private static (float[] Scale, float[] Shift) InputAffine(BatchNormParameters bn)
    {
        var s = new float[bn.Size];
        var t = new float[bn.Size];
        for (int c = 0; c < bn.Size; c++)
        {
            double scale = bn.Gamma[c] / Math.Sqrt((double)bn.RunningVariance[c] + bn.Epsilon);
            s[c] = (float)scale;
            t[c] = (float)(bn.Beta[c] - scale * bn.RunningMean[c]);
        }
        return (s, t);
    }

    /// <summary>
    /// Guarded features (in place) → input batch norm → clamp to ±<see cref="InputGuard"/> → embedding into
    /// <paramref name="destination"/> → clamp (the pass-through values; the embedded ones are bounded already).
    /// </summary>
    private ReadOnlySpan<float> EmbedRows(Span<float> guarded, int rows, float[] destination)
    {
        var emb = Embedding!;
        if (_inputAffine is { } aff)
        {
            int f = emb.InputSize;
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < f; j++)
                {
                    int at = r * f + j;
                    guarded[at] = Math.Clamp(aff.Scale[j] * guarded[at] + aff.Shift[j], -InputGuard, InputGuard);
                }
        }
        Span<float> e = destination.AsSpan(0, rows * emb.OutputSize);
        emb.ApplyRows(guarded, e, rows);
        for (int i = 0; i < e.Length; i++) e[i] = Math.Clamp(e[i], -InputGuard, InputGuard);
        return e;
    }
}
