using System.Numerics;

namespace BnMlNet.Engine;

/// <summary>
/// The output nonlinearities of the heads, numerically stable, written once: training (in double) and scoring (in
/// float) both call these. Softmax cross-entropy (training, the experiments' test loss) is
/// <see cref="LogSumExp"/>(z) − z_y; scoring's probabilities are <see cref="Softmax"/>.
/// </summary>
public static class HeadFunctions
{
    /// <summary>σ(x) = 1/(1 + e^−x), evaluated on the side where the exponential cannot overflow.</summary>
    /// <typeparam name="T"><see cref="float"/> for scoring, <see cref="double"/> for training.</typeparam>
    /// <param name="x">The logit.</param>
    /// <returns>The probability of the positive class, in [0, 1]; NaN for a NaN logit.</returns>
    public static T Sigmoid<T>(T x) where T : IFloatingPointIeee754<T>
    {
        if (x >= T.Zero) return T.One / (T.One + T.Exp(-x));
        T e = T.Exp(x);
        return e / (T.One + e);
    }

    /// <summary>softmax(z)_k = e^(z_k − max z) / Σ_j e^(z_j − max z), written into <paramref name="probabilities"/>.</summary>
    /// <param name="logits">The K logits of one row.</param>
    /// <param name="probabilities">Receives the K probabilities; may be the same memory as <paramref name="logits"/>.</param>
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

    /// <summary>log Σⱼ e^(zⱼ) = m + log Σⱼ e^(zⱼ − m) with m = max z, in double; m itself when m is infinite.</summary>
    /// <param name="z">The logits of one row.</param>
    /// <returns>The log-sum-exp of the logits.</returns>
    public static double LogSumExp(ReadOnlySpan<float> z)
    {
        double m = double.NegativeInfinity;
        foreach (float v in z) if (v > m) m = v;
        if (double.IsInfinity(m)) return m;
        double s = 0;
        foreach (float v in z) s += Math.Exp(v - m);
        return m + Math.Log(s);
    }
}
