namespace BnMlNet.Engine.Losses;

/// <summary>Squared error on one output per row: l = (ŷ − y)², averaged like nn.MSELoss. ∂l/∂ŷ = 2·(ŷ − y).</summary>
internal static class SquaredError
{
    /// <summary>The (weighted) mean loss over the batch; <paramref name="weightSum"/> receives Σ w.</summary>
    public static double Forward(ReadOnlySpan<float> predictions, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights,
        int batch, out double weightSum)
    {
        weightSum = LossReduction.WeightSum(weights, batch);
        if (weightSum <= 0) return 0;
        double total = 0;
        for (int i = 0; i < batch; i++)
        {
            double d = (double)predictions[i] - labels[i];
            total += weights.IsEmpty ? d * d : weights[i] * d * d;
        }
        return total / weightSum;
    }

    /// <summary>∂L/∂ŷᵢ = (wᵢ/Σw)·2·(ŷᵢ − yᵢ).</summary>
    public static void Backward(Span<float> dPredictions, ReadOnlySpan<float> predictions, ReadOnlySpan<float> labels,
        ReadOnlySpan<float> weights, int batch)
    {
        double weightSum = LossReduction.WeightSum(weights, batch);
        for (int i = 0; i < batch; i++)
            dPredictions[i] = LossReduction.RowScale(weights, i, weightSum) * 2f * (predictions[i] - labels[i]);
    }
}
