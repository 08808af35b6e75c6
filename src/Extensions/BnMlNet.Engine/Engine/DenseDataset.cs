using BnMlNet.Engine.Training;

namespace BnMlNet.Engine;

/// <summary>
/// An in-memory <see cref="IMiniBatchSource"/> over row-major arrays. The arrays are not copied: do not change them
/// while the dataset is in use. With <see cref="TrainerOwnsArrays"/> the trainer may also overwrite them.
/// </summary>
public sealed partial class DenseDataset : IMiniBatchSource
{
    private readonly float[] _features;
    /// <summary>Where row 0 starts in <see cref="_features"/> (a side of an in-place hold-out starts inside the array).</summary>
    private readonly long _offset;
    private readonly float[] _labels;
    private readonly float[]? _weights;

    /// <summary>Wraps the arrays; validates lengths and that labels are finite and weights finite and non-negative.</summary>
    /// <param name="features">RowCount×<paramref name="featureCount"/> values, row-major.</param>
    /// <param name="labels">One label per row.</param>
    /// <param name="weights">One weight per row, or null.</param>
    /// <param name="featureCount">Features per row (≥ 1).</param>
    public DenseDataset(float[] features, float[] labels, float[]? weights, int featureCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (featureCount < 1) throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "featureCount must be at least 1.");
        if (features.Length != (long)labels.Length * featureCount)
            throw new ArgumentException($"features has {features.Length} values, expected {labels.Length} rows × {featureCount}.", nameof(features));
        if (weights is not null && weights.Length != labels.Length)
            throw new ArgumentException($"weights has {weights.Length} values, expected {labels.Length}.", nameof(weights));
        for (int i = 0; i < labels.Length; i++)
            if (!float.IsFinite(labels[i])) throw new ArgumentException($"Label {i} is {labels[i]}, not finite.", nameof(labels));
        if (weights is not null)
            for (int i = 0; i < weights.Length; i++)
                if (!float.IsFinite(weights[i]) || weights[i] < 0)
                    throw new ArgumentException($"Weight {i} is {weights[i]}; weights must be finite and non-negative.", nameof(weights));
        _features = features;
        _labels = labels;
        _weights = weights;
        FeatureCount = featureCount;
    }

    /// <summary>Arrays made by the engine itself (no checks); <paramref name="features"/> may be longer than rows × featureCount.</summary>
    private DenseDataset(float[] features, float[] labels, float[]? weights, int featureCount, bool owned, long offset = 0)
    {
        _features = features;
        _offset = offset;
        _labels = labels;
        _weights = weights;
        FeatureCount = featureCount;
        TrainerOwnsArrays = owned;
    }

    /// <summary>
    /// Hands the arrays to <see cref="NetworkTrainer.Train"/>: it may overwrite them (the validation hold-out and the
    /// preprocessing stage then work in place, so the features are held once, not two or three times), and the caller
    /// must neither read nor change them afterwards. Default false: the arrays are only read.
    /// </summary>
    public bool TrainerOwnsArrays { get; init; }

    /// <inheritdoc/>
    public int FeatureCount { get; }
    /// <inheritdoc/>
    public long RowCount => _labels.Length;

    /// <inheritdoc/>
    public IEnumerable<MiniBatch> GetBatches(int batchSize, Random? shuffle)
        => GetBatches(batchSize, shuffle, threads: 1);

    /// <summary><see cref="GetBatches(int, Random?)"/>, gathering shuffled rows on up to <paramref name="threads"/> threads.</summary>
    internal IEnumerable<MiniBatch> GetBatches(int batchSize, Random? shuffle, int threads)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be at least 1.");
        return shuffle is null ? InOrder(batchSize) : Shuffled(batchSize, shuffle, threads);
    }

    private IEnumerable<MiniBatch> InOrder(int batchSize)
    {
        int n = _labels.Length, f = FeatureCount;
        for (int start = 0; start < n; start += batchSize)
        {
            int rows = Math.Min(batchSize, n - start);
            yield return new MiniBatch(rows, _features.AsMemory((int)(_offset + (long)start * f), rows * f), _labels.AsMemory(start, rows),
                _weights is null ? (ReadOnlyMemory<float>?)null : _weights.AsMemory(start, rows));
        }
    }

    private IEnumerable<MiniBatch> Shuffled(int batchSize, Random rng, int threads)
    {
        int n = _labels.Length, f = FeatureCount;
        // Fisher–Yates permutation, drawn when the pass starts.
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        // Two sets of buffers, used in turn: a batch's memory stays valid until the batch after next is drawn, so the
        // trainer's stager can reference it instead of copying it.
        int cap = Math.Min(batchSize, Math.Max(n, 1));
        float[][] xsPair = [new float[cap * f], new float[cap * f]], ysPair = [new float[cap], new float[cap]];
        float[]?[] wsPair = _weights is null ? [null, null] : [new float[cap], new float[cap]];
        var gather = new RowGather(_features, f, threads, _offset);
        int turn = 0;
        for (int start = 0; start < n; start += batchSize, turn ^= 1)
        {
            var xs = xsPair[turn];
            var ys = ysPair[turn];
            var ws = wsPair[turn];
            int rows = Math.Min(batchSize, n - start);
            gather.Gather(order, start, rows, xs);
            for (int r = 0; r < rows; r++)
            {
                int src = order[start + r];
                ys[r] = _labels[src];
                if (ws is not null) ws[r] = _weights![src];
            }
            yield return new MiniBatch(rows, xs.AsMemory(0, rows * f), ys.AsMemory(0, rows), ws is null ? (ReadOnlyMemory<float>?)null : ws.AsMemory(0, rows));
        }
    }
}
