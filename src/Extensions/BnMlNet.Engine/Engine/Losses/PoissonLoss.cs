namespace BnMlNet.Engine.Losses;

/// <summary>
/// Poisson negative log-likelihood with a log link on one output per row: l = e^ŷ − y·ŷ (the log(y!) term dropped),
/// averaged like nn.PoissonNLLLoss(log_input=True, full=False). ∂l/∂ŷ = e^ŷ − y. The exponent is computed in double
/// so the loss is finite for any finite ŷ below ~709.
/// </summary>
internal static class PoissonLoss
{
    /// <summary>The (weighted) mean loss over the batch; <paramref name="weightSum"/> receives Σ w.</summary>
    public static double Forward(ReadOnlySpan<float> logRates, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights,
        int batch, out double weightSum)
    {
        weightSum = LossReduction.WeightSum(weights, batch);
        if (weightSum <= 0) return 0;
        double total = 0;
        for (int i = 0; i < batch; i++)
        {
            double l = Math.Exp(logRates[i]) - (double)labels[i] * logRates[i];
            total += weights.IsEmpty ? l : weights[i] * l;
        }
        return total / weightSum;
    }

    /// <summary>∂L/∂ŷᵢ = (wᵢ/Σw)·(e^ŷᵢ − yᵢ).</summary>
    public static void Backward(Span<float> dLogRates, ReadOnlySpan<float> logRates, ReadOnlySpan<float> labels,
        ReadOnlySpan<float> weights, int batch)
    {
        double weightSum = LossReduction.WeightSum(weights, batch);
        for (int i = 0; i < batch; i++)
            dLogRates[i] = (float)(LossReduction.RowScale(weights, i, weightSum) * (Math.Exp(logRates[i]) - labels[i]));
    }
}
