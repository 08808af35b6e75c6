namespace BnMlNet.Engine.Training;

/// <summary>
/// Per-class loss weights (imbalanced labels): every row's weight is multiplied by the weight of its class, so the loss
/// is Σ c[y]·w·l / Σ c[y]·w, as PyTorch's weighted <c>CrossEntropyLoss</c> with mean reduction. Applies to training and
/// validation alike, so early stopping watches the same objective.
/// </summary>
internal static class ClassWeighting
{
    /// <summary>The per-class factors the settings ask for, or null when none apply.</summary>
    /// <exception cref="ArgumentException">Class weights that do not match the head, or balancing with a single class present.</exception>
    public static float[]? Resolve(TrainingSettings settings, LossKind loss, int outputSize, IMiniBatchSource train)
    {
        if (settings.ClassWeights is { } given)
        {
            int classes = loss == LossKind.BinaryLogLoss ? 2 : loss == LossKind.SoftmaxCrossEntropy ? outputSize : 0;
            if (classes == 0) throw new ArgumentException("ClassWeights apply to classification heads only.", nameof(settings));
            if (given.Count != classes)
                throw new ArgumentException($"ClassWeights has {given.Count} entries, but the label has {classes} classes; give one weight per class, in class order.", nameof(settings));
            return given.ToArray();
        }
        if (!settings.BalanceClasses) return null;
        if (loss != LossKind.BinaryLogLoss) throw new ArgumentException("BalanceClasses applies to the binary head only.", nameof(settings));
        double positive = 0, negative = 0;
        foreach (var b in train.GetBatches(4096, null))
        {
            var y = b.Labels.Span;
            var w = b.Weights is { } ws ? ws.Span : default;
            for (int i = 0; i < b.Rows; i++)
            {
                double wi = w.IsEmpty ? 1 : w[i];
                if (y[i] >= 0.5f) positive += wi; else negative += wi;
            }
        }
        if (!(positive > 0) || !(negative > 0))
            throw new ArgumentException($"The training rows hold {(positive > 0 ? "no negative" : "no positive")} example, so the classes cannot be balanced (UnbalancedSets).", nameof(train));
        return [1f, (float)(negative / positive)];
    }

    /// <summary><paramref name="data"/> with each row's weight multiplied by its class's factor.</summary>
    public static IMiniBatchSource Apply(IMiniBatchSource data, float[] classWeights, LossKind loss)
    {
        Func<float, float> weightOf = loss == LossKind.BinaryLogLoss
            ? label => classWeights[label >= 0.5f ? 1 : 0]
            : label => classWeights[(int)label];
        return data is DenseDataset dense ? dense.MapWeights(weightOf) : new ClassWeightedSource(data, weightOf);
    }

    private sealed class ClassWeightedSource(IMiniBatchSource inner, Func<float, float> weightOf) : IMiniBatchSource
    {
        public int FeatureCount => inner.FeatureCount;
        public long RowCount => inner.RowCount;

        public IEnumerable<MiniBatch> GetBatches(int batchSize, Random? shuffle)
        {
            float[] weights = [];
            foreach (var b in inner.GetBatches(batchSize, shuffle))
            {
                if (weights.Length < b.Rows) weights = new float[Math.Max(b.Rows, batchSize)];
                var y = b.Labels.Span;
                var w = b.Weights is { } ws ? ws.Span : default;
                for (int i = 0; i < b.Rows; i++) weights[i] = (w.IsEmpty ? 1f : w[i]) * weightOf(y[i]);
                yield return b with { Weights = weights.AsMemory(0, b.Rows) };
            }
        }
    }
}
