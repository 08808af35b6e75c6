namespace BnMlNet.Engine.Losses;

/// <summary>
/// Softmax cross-entropy on K logits per row with the class index y: l = log Σⱼ e^(zⱼ) − z_y,
/// with the log-sum-exp shifted by max z for stability. ∂l/∂zⱼ = softmax(z)ⱼ − [j = y].
/// With label smoothing ε (as PyTorch's CrossEntropyLoss(label_smoothing=ε)) the target is qⱼ = (1 − ε)·[j = y] + ε/K:
/// l = −Σⱼ qⱼ·log softmax(z)ⱼ = log Σⱼ e^(zⱼ) − (1 − ε)·z_y − (ε/K)·Σⱼ zⱼ, and ∂l/∂zⱼ = softmax(z)ⱼ − qⱼ.
/// </summary>
internal static class SoftmaxCrossEntropy
{
    /// <summary>The (weighted) mean loss over the batch; <paramref name="weightSum"/> receives Σ w.</summary>
    public static double Forward(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights,
        int batch, int classes, out double weightSum, float smoothing = 0)
    {
        weightSum = LossReduction.WeightSum(weights, batch);
        if (weightSum <= 0) return 0;
        double total = 0;
        for (int i = 0; i < batch; i++)
        {
            double l = RowLoss(logits, labels, i, classes, smoothing);
            total += weights.IsEmpty ? l : weights[i] * l;
        }
        return total / weightSum;
    }

    /// <summary>Row <paramref name="i"/>'s loss (unweighted).</summary>
    internal static double RowLoss(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, int i, int classes, float smoothing)
    {
        ReadOnlySpan<float> z = logits.Slice(i * classes, classes);
        int y = ClassIndex(labels[i], classes, i);
        if (smoothing == 0) return HeadFunctions.LogSumExp(z) - z[y];
        double sum = 0;
        foreach (float v in z) sum += v;
        return HeadFunctions.LogSumExp(z) - (1.0 - smoothing) * z[y] - smoothing / classes * sum;
    }

    /// <summary>∂L/∂zᵢⱼ = (wᵢ/Σw)·(softmax(zᵢ)ⱼ − [j = yᵢ]).</summary>
    public static void Backward(Span<float> dLogits, ReadOnlySpan<float> logits, ReadOnlySpan<float> labels,
        ReadOnlySpan<float> weights, int batch, int classes, float smoothing = 0)
    {
        double weightSum = LossReduction.WeightSum(weights, batch);
        BackwardRows(dLogits, logits, labels, weights, weightSum, classes, smoothing, 0, batch);
    }

    /// <summary>Rows [r0, r1) of <see cref="Backward"/>, with Σ w given.</summary>
    internal static void BackwardRows(Span<float> dLogits, ReadOnlySpan<float> logits, ReadOnlySpan<float> labels,
        ReadOnlySpan<float> weights, double weightSum, int classes, float smoothing, int r0, int r1)
    {
        for (int i = r0; i < r1; i++)
        {
            ReadOnlySpan<float> z = logits.Slice(i * classes, classes);
            Span<float> d = dLogits.Slice(i * classes, classes);
            int y = ClassIndex(labels[i], classes, i);
            double lse = HeadFunctions.LogSumExp(z);
            float scale = LossReduction.RowScale(weights, i, weightSum);
            if (smoothing == 0)
            {
                for (int j = 0; j < classes; j++)
                    d[j] = scale * (float)(Math.Exp(z[j] - lse) - (j == y ? 1.0 : 0.0));
                continue;
            }
            double off = smoothing / (double)classes, on = 1.0 - smoothing + off;
            for (int j = 0; j < classes; j++)
                d[j] = scale * (float)(Math.Exp(z[j] - lse) - (j == y ? on : off));
        }
    }

    /// <summary>The label as a class index; throws when it is not an integer in 0..K−1.</summary>
    public static int ClassIndex(float label, int classes, int row)
    {
        int y = (int)label;
        if (y != label || y < 0 || y >= classes)
            throw new ArgumentException($"Row {row} of the batch has label {label}; a multiclass label must be a class index 0..{classes - 1}.");
        return y;
    }
}
