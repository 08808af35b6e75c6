namespace BnMlNet.Engine.Losses;

/// <summary>
/// The batch reduction shared by every loss: the plain mean (1/B)·Σ lᵢ without weights, and the weighted mean
/// Σ wᵢ·lᵢ / Σ wᵢ with weights (PyTorch's default reduction for weighted losses). A batch whose weights sum to 0
/// has loss 0 and gradient 0.
/// </summary>
internal static class LossReduction
{
    /// <summary>Σ wᵢ over the batch (B when there are no weights).</summary>
    public static double WeightSum(ReadOnlySpan<float> weights, int batch)
    {
        if (weights.IsEmpty) return batch;
        double s = 0;
        for (int i = 0; i < batch; i++) s += weights[i];
        return s;
    }

    /// <summary>The factor wᵢ / Σ w that scales row i's loss derivative (0 when Σ w = 0).</summary>
    public static float RowScale(ReadOnlySpan<float> weights, int row, double weightSum)
        => weightSum <= 0 ? 0f : (float)((weights.IsEmpty ? 1.0 : weights[row]) / weightSum);
}
