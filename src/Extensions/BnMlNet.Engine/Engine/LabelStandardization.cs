namespace BnMlNet.Engine;

/// <summary>
/// The affine map between a regression label and the standardized target the network trains on:
/// t = (y − <see cref="Mean"/>) / <see cref="Scale"/>, with the (weighted) mean and population standard deviation of the
/// training labels. After training it is folded into the output layer (W ← s·W, b ← s·b + μ), so the frozen network
/// answers in the label's own units and every scoring path (Transform, PredictionEngine, ONNX) applies it identically.
/// </summary>
/// <param name="Mean">μ = Σ w·y / Σ w (0 with <paramref name="LogLink"/>).</param>
/// <param name="Scale">s = √(Σ w·(y − μ)² / Σ w), &gt; 0; with <paramref name="LogLink"/> the weighted mean label.</param>
/// <param name="LogLink">
/// Poisson's log link: t = y/s (no centering, counts stay ≥ 0), and the fold adds log s to the output bias, since
/// e^(ŷ + log s) = s·e^ŷ.
/// </param>
public sealed record LabelScaling(double Mean, double Scale, bool LogLink = false)
{
    /// <summary>
    /// For the Poisson head: checks every label is ≥ 0 and finite, and measures s = Σ w·y / Σ w.
    /// </summary>
    /// <exception cref="ArgumentException">A label is negative or not finite, or every weighted label is 0.</exception>
    public static LabelScaling FitPoisson(IMiniBatchSource data)
    {
        PoissonLabels.Check(data, "training");
        double sw = 0, swy = 0;
        foreach (var b in data.GetBatches(4096, null))
        {
            var y = b.Labels.Span;
            var w = b.Weights is { } ws ? ws.Span : default;
            for (int i = 0; i < b.Rows; i++)
            {
                double wi = w.IsEmpty ? 1 : w[i];
                sw += wi;
                swy += wi * y[i];
            }
        }
        if (!(sw > 0 && swy > 0)) throw new ConstantLabelException(0f);
        return new LabelScaling(0, swy / sw, LogLink: true);
    }

    /// <summary>
    /// Measures μ and s over one pass of <paramref name="data"/> (two-pass mean then spread, in double).
    /// </summary>
    /// <exception cref="ArgumentException">A label is not finite, the weights sum to 0, or the label is constant.</exception>
    public static LabelScaling Fit(IMiniBatchSource data)
    {
        ArgumentNullException.ThrowIfNull(data);
        double sw = 0, swy = 0;
        foreach (var b in data.GetBatches(4096, null))
        {
            var y = b.Labels.Span;
            var w = b.Weights is { } ws ? ws.Span : default;
            for (int i = 0; i < b.Rows; i++)
            {
                if (!float.IsFinite(y[i]))
                    throw new ArgumentException($"A training label is {y[i]}; a regression label must be a finite number.", nameof(data));
                double wi = w.IsEmpty ? 1 : w[i];
                sw += wi;
                swy += wi * y[i];
            }
        }
        if (!(sw > 0)) throw new ArgumentException("The training rows' weights sum to 0: the label's mean is undefined.", nameof(data));
        double mean = swy / sw, ss = 0;
        float first = float.NaN;
        bool varies = false;
        foreach (var b in data.GetBatches(4096, null))
        {
            var y = b.Labels.Span;
            var w = b.Weights is { } ws ? ws.Span : default;
            for (int i = 0; i < b.Rows; i++)
            {
                double d = y[i] - mean, wi = w.IsEmpty ? 1 : w[i];
                ss += wi * d * d;
                if (wi > 0)
                {
                    if (float.IsNaN(first)) first = y[i];
                    else if (y[i] != first) varies = true;
                }
            }
        }
        double scale = Math.Sqrt(ss / sw);
        if (!varies || !(scale > 0) || !double.IsFinite(scale))
            throw new ConstantLabelException(first);
        return new LabelScaling(mean, scale);
    }

    /// <summary>t = (y − μ)/s, computed in double and rounded once.</summary>
    public float Standardize(float label) => (float)((label - Mean) / Scale);

    /// <summary><paramref name="data"/> with every label standardized (features and weights untouched).</summary>
    public IMiniBatchSource Apply(IMiniBatchSource data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data is DenseDataset dense) return dense.MapLabels(Standardize);
        return new MappedLabelSource(data, Standardize);
    }

    /// <summary>The network with the inverse map folded into its output layer: ŷ = s·(W·h + b) + μ = (s·W)·h + (s·b + μ).</summary>
    public InferenceNetwork Fold(InferenceNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var layers = network.Layers.ToArray();
        var last = layers[^1];
        if (last.Bias is null || last.BatchNorm is not null)
            throw new InvalidOperationException("The output layer must have a bias and no batch norm to carry the label scaling.");
        var weights = LogLink ? last.Weights.ToArray() : last.Weights.Select(w => (float)(w * Scale)).ToArray();
        var bias = LogLink ? last.Bias.Select(b => (float)(b + Math.Log(Scale))).ToArray() : last.Bias.Select(b => (float)(b * Scale + Mean)).ToArray();
        layers[^1] = new DenseLayerParameters(last.InputSize, last.OutputSize, weights, bias, null, last.Placement, last.Activation);
        return new InferenceNetwork(layers, network.InputBatchNorm, network.LeakyReluSlope, network.EnsembleSize, network.Combination, network.Embedding);
    }

    /// <summary>
    /// An epoch report in the label's units: RMSE × s always; the losses × s² for squared error. Huber and Poisson
    /// losses have no such map and stay in the units trained on (Huber's δ = 1 standard deviation; Poisson on y/s).
    /// </summary>
    public EpochReport ToLabelUnits(EpochReport report, LossKind loss = LossKind.SquaredError)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (loss != LossKind.SquaredError) return report with { ValidationMetric = report.ValidationMetric * Scale };
        double s2 = Scale * Scale;
        return report with
        {
            TrainLoss = report.TrainLoss * s2,
            ValidationLoss = report.ValidationLoss * s2,
            ValidationMetric = report.ValidationMetric * Scale,
        };
    }
}

/// <summary>An <see cref="IMiniBatchSource"/> whose labels pass through a map (features and weights untouched).</summary>
internal sealed class MappedLabelSource(IMiniBatchSource inner, Func<float, float> map) : IMiniBatchSource
{
    public int FeatureCount => inner.FeatureCount;
    public long RowCount => inner.RowCount;

    public IEnumerable<MiniBatch> GetBatches(int batchSize, Random? shuffle)
    {
        float[] labels = [];
        foreach (var b in inner.GetBatches(batchSize, shuffle))
        {
            if (labels.Length < b.Rows) labels = new float[Math.Max(b.Rows, batchSize)];
            var y = b.Labels.Span;
            for (int i = 0; i < b.Rows; i++) labels[i] = map(y[i]);
            yield return b with { Labels = labels.AsMemory(0, b.Rows) };
        }
    }
}

/// <summary>The training label is the same for every (weighted) row, so it cannot be standardized.</summary>
public sealed class ConstantLabelException : ArgumentException
{
    /// <summary>Creates the exception for the one value every row has.</summary>
    public ConstantLabelException(float value)
        : base($"The regression label is constant (every weighted training row has {value}): there is nothing to learn, and it " +
               "cannot be standardized. Check the label column, or set StandardizeLabel = false to fit the constant.")
    {
        Value = value;
    }

    /// <summary>The value every row has.</summary>
    public float Value { get; }
}

/// <summary>Poisson's labels are counts (or rates): finite and ≥ 0.</summary>
internal static class PoissonLabels
{
    /// <exception cref="ArgumentException">A label is negative or not finite.</exception>
    public static void Check(IMiniBatchSource data, string which)
    {
        long row = 0;
        foreach (var b in data.GetBatches(4096, null))
        {
            var y = b.Labels.Span;
            for (int i = 0; i < b.Rows; i++, row++)
                if (!(y[i] >= 0) || !float.IsFinite(y[i]))
                    throw new InvalidLabelException($"The Poisson loss needs labels ≥ 0 (counts or rates), but usable {which} row {row + 1} has {y[i]}.");
        }
    }
}

/// <summary>A label the chosen head cannot take (e.g. a negative count for the Poisson loss).</summary>
public sealed class InvalidLabelException(string message) : ArgumentException(message);
