using BnMlNet.Engine.Kernels;

namespace BnMlNet.Engine.Losses;

/// <summary>
/// Binary log-loss on a logit z with label y ∈ [0, 1]: l = −y·ln σ(z) − (1 − y)·ln(1 − σ(z)),
/// evaluated stably as l = softplus(z) − y·z = max(z, 0) − y·z + ln(1 + e^(−|z|)). ∂l/∂z = σ(z) − y.
/// With label smoothing ε the target is y' = (1 − ε)·y + ε/2 (two classes), as PyTorch's
/// CrossEntropyLoss(label_smoothing=ε) on the logits [0, z]: l = softplus(z) − y'·z, ∂l/∂z = σ(z) − y'.
/// </summary>
internal static class BinaryLogLoss
{
    /// <summary>The (weighted) mean loss over the batch; <paramref name="weightSum"/> receives Σ w.</summary>
    public static double Forward(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights,
        int batch, out double weightSum, float smoothing = 0)
    {
        weightSum = LossReduction.WeightSum(weights, batch);
        if (weightSum <= 0) return 0;
        double total = 0;
        for (int i = 0; i < batch; i++)
        {
            double z = logits[i], y = Target(labels[i], smoothing);
            double l = SpecialFunctions.Softplus(z) - y * z;
            total += weights.IsEmpty ? l : weights[i] * l;
        }
        return total / weightSum;
    }

    /// <summary>∂L/∂zᵢ = (wᵢ/Σw)·(σ(zᵢ) − yᵢ).</summary>
    public static void Backward(Span<float> dLogits, ReadOnlySpan<float> logits, ReadOnlySpan<float> labels,
        ReadOnlySpan<float> weights, int batch, float smoothing = 0)
    {
        double weightSum = LossReduction.WeightSum(weights, batch);
        for (int i = 0; i < batch; i++)
            dLogits[i] = LossReduction.RowScale(weights, i, weightSum) * (float)(HeadFunctions.Sigmoid<double>(logits[i]) - Target(labels[i], smoothing));
    }

    /// <summary>The smoothed target (1 − ε)·y + ε/2; y itself, exactly, when ε = 0.</summary>
    private static double Target(float label, float smoothing) => smoothing == 0 ? label : (1.0 - smoothing) * label + smoothing / 2.0;
}
