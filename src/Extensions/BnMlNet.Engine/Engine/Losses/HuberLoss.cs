namespace BnMlNet.Engine.Losses;

/// <summary>
/// Huber loss with δ = 1 on one output per row, d = ŷ − y: l = ½d² for |d| ≤ 1, |d| − ½ beyond; averaged like
/// nn.HuberLoss(delta=1.0). ∂l/∂ŷ = clamp(d, −1, 1).
/// </summary>
internal static class HuberLoss
{
    /// <summary>The threshold δ between the quadratic and the linear part.</summary>
    public const double Delta = 1.0;

    /// <summary>The (weighted) mean loss over the batch; <paramref name="weightSum"/> receives Σ w.</summary>
    public static double Forward(ReadOnlySpan<float> predictions, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights,
        int batch, out double weightSum)
    {
        weightSum = LossReduction.WeightSum(weights, batch);
        if (weightSum <= 0) return 0;
        double total = 0;
        for (int i = 0; i < batch; i++)
        {
            double d = Math.Abs((double)predictions[i] - labels[i]);
            double l = d <= Delta ? 0.5 * d * d : Delta * (d - 0.5 * Delta);
            total += weights.IsEmpty ? l : weights[i] * l;
        }
        return total / weightSum;
    }

    /// <summary>∂L/∂ŷᵢ = (wᵢ/Σw)·clamp(ŷᵢ − yᵢ, −δ, δ).</summary>
    public static void Backward(Span<float> dPredictions, ReadOnlySpan<float> predictions, ReadOnlySpan<float> labels,
        ReadOnlySpan<float> weights, int batch)
    {
        double weightSum = LossReduction.WeightSum(weights, batch);
        for (int i = 0; i < batch; i++)
            dPredictions[i] = (float)(LossReduction.RowScale(weights, i, weightSum) * Math.Clamp((double)predictions[i] - labels[i], -Delta, Delta));
    }
}
