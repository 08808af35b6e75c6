namespace BnMlNet.MlNet.Scoring;

/// <summary>The output nonlinearities of the heads, numerically stable.</summary>
internal static class HeadFunctions
{
    /// <summary>σ(x) = 1/(1 + e^−x), computed without overflow for large |x|.</summary>
    public static float Sigmoid(float x)
    {
        if (x >= 0) return 1f / (1f + MathF.Exp(-x));
        float e = MathF.Exp(x);
        return e / (1f + e);
    }

    /// <summary>softmax(z)_k = e^(z_k − max z) / Σ_j e^(z_j − max z), written into <paramref name="probabilities"/>.</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        float max = float.NegativeInfinity;
        foreach (float z in logits) max = MathF.Max(max, z);
        float sum = 0;
        for (int k = 0; k < logits.Length; k++)
        {
            float e = MathF.Exp(logits[k] - max);
            probabilities[k] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int k = 0; k < logits.Length; k++) probabilities[k] *= inv;
    }
}
