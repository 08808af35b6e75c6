using BnMlNet.Engine;

namespace BnMlNet.MlNet.Data;

/// <summary>
/// An <see cref="IMiniBatchSource"/> that reads an <see cref="Microsoft.ML.IDataView"/> again on every pass instead of
/// caching it, for training data larger than <see cref="BatchNormMlpOptionsBase.MaximumCacheMegabytes"/>. Memory is
/// bounded by the shuffle buffer (<see cref="ShuffleBufferRows"/> rows) plus one mini-batch.
/// </summary>
/// <remarks>
/// <para>
/// Rows are filtered exactly as the cached reader filters them (<see cref="UsableRowCursor"/>), so an unshuffled pass
/// yields the same batches as <see cref="DenseDataset"/> over the same rows, and training gives the same model bit for bit.
/// </para>
/// <para>
/// A shuffled pass uses a seeded shuffle buffer: the first B rows fill it; each further row replaces a uniformly drawn
/// buffered row, which is emitted; at the end of the data the rows still buffered are emitted in a Fisher–Yates
/// permutation drawn the way <see cref="DenseDataset"/> draws its. With B ≥ the row count this is exactly
/// <see cref="DenseDataset"/>'s permutation; with a smaller B rows move at most about B places earlier (a local
/// shuffle), which is why streaming and cached training give different (each deterministic) models.
/// </para>
/// <para>
/// The row count comes from a first counting pass, which also surfaces data errors before training starts. A data
/// view that yields a different number of usable rows on a later pass (a non-deterministic source) is an error.
/// Not thread-safe: one pass at a time.
/// </para>
/// </remarks>
internal sealed class StreamingBatchSource : IMiniBatchSource
{
    private readonly RowSpec _spec;

    private StreamingBatchSource(RowSpec spec, int shuffleBufferRows)
    {
        _spec = spec;
        FeatureCount = spec.FeatureCount;
        ShuffleBufferRows = shuffleBufferRows;
    }

    /// <summary>Counts the usable rows in one pass (validating every row) and returns the source.</summary>
    /// <param name="spec">The data and columns.</param>
    /// <param name="shuffleBufferRows">Rows held for shuffling (at least 1; a pass never buffers fewer than a batch).</param>
    public static StreamingBatchSource Open(RowSpec spec, int shuffleBufferRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shuffleBufferRows, 1);
        var source = new StreamingBatchSource(spec, shuffleBufferRows);
        using var rows = new UsableRowCursor(spec);
        long usable = 0;
        while (rows.MoveNext()) usable++;
        source.RowCount = usable;
        source.RowsSeen = rows.RowsSeen;
        source.SkippedNonFiniteFeatures = rows.SkippedNonFiniteFeatures;
        source.SkippedBadLabels = rows.SkippedBadLabels;
        source.SkippedBadWeights = rows.SkippedBadWeights;
        return source;
    }

    /// <inheritdoc/>
    public int FeatureCount { get; }
    /// <inheritdoc/>
    public long RowCount { get; private set; }
    /// <summary>The shuffle buffer's capacity in rows (a pass uses at least one batch and at most the row count).</summary>
    public int ShuffleBufferRows { get; }
    /// <summary>Rows in the data view at the counting pass.</summary>
    public long RowsSeen { get; private set; }
    /// <summary>Rows skipped at the counting pass for a NaN or infinite feature.</summary>
    public long SkippedNonFiniteFeatures { get; private set; }
    /// <summary>Rows skipped at the counting pass for a missing label.</summary>
    public long SkippedBadLabels { get; private set; }
    /// <summary>Rows skipped at the counting pass for a bad weight.</summary>
    public long SkippedBadWeights { get; private set; }

    /// <inheritdoc/>
    public IEnumerable<MiniBatch> GetBatches(int batchSize, Random? shuffle)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return shuffle is null ? InOrder(batchSize) : Shuffled(batchSize, shuffle);
    }

    private IEnumerable<MiniBatch> InOrder(int batchSize)
    {
        var batch = new BatchBuffer(batchSize, FeatureCount, _spec.WeightColumn is not null);
        long emitted = 0;
        using (var rows = new UsableRowCursor(_spec))
        {
            while (rows.MoveNext())
            {
                batch.Add(rows.Features, rows.Label, rows.Weight);
                emitted++;
                if (batch.IsFull) { yield return batch.Take(); }
            }
        }
        if (batch.Rows > 0) yield return batch.Take();
        CheckCount(emitted);
    }

    private IEnumerable<MiniBatch> Shuffled(int batchSize, Random rng)
    {
        int f = FeatureCount;
        bool weighted = _spec.WeightColumn is not null;
        int capacity = (int)Math.Min(Math.Max(ShuffleBufferRows, batchSize), Math.Max(RowCount, 1));
        var xs = new float[(long)capacity * f];
        var ys = new float[capacity];
        var ws = weighted ? new float[capacity] : null;
        var batch = new BatchBuffer(batchSize, f, weighted);
        int held = 0;
        long emitted = 0;
        using (var rows = new UsableRowCursor(_spec))
        {
            while (rows.MoveNext())
            {
                if (held < capacity)
                {
                    rows.Features.CopyTo(xs.AsSpan(held * f, f));
                    ys[held] = rows.Label;
                    if (ws is not null) ws[held] = rows.Weight;
                    held++;
                    continue;
                }
                int j = rng.Next(capacity);
                batch.Add(xs.AsSpan(j * f, f), ys[j], ws?[j] ?? 1f);
                emitted++;
                rows.Features.CopyTo(xs.AsSpan(j * f, f));
                ys[j] = rows.Label;
                if (ws is not null) ws[j] = rows.Weight;
                if (batch.IsFull) yield return batch.Take();
            }
        }
        // Drain: a Fisher–Yates permutation of what is held, drawn as DenseDataset draws its.
        var order = new int[held];
        for (int i = 0; i < held; i++) order[i] = i;
        for (int i = held - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        foreach (int src in order)
        {
            batch.Add(xs.AsSpan(src * f, f), ys[src], ws?[src] ?? 1f);
            emitted++;
            if (batch.IsFull) yield return batch.Take();
        }
        if (batch.Rows > 0) yield return batch.Take();
        CheckCount(emitted);
    }

    private void CheckCount(long emitted)
    {
        if (emitted != RowCount)
            throw new InvalidOperationException(
                $"The training data changed between passes: the first pass counted {RowCount} usable rows, a later pass {emitted}. " +
                $"Streaming (the data exceeds {nameof(BatchNormMlpOptionsBase.MaximumCacheMegabytes)}) reads the data view once per epoch " +
                "and needs it to give the same rows every time; raise the budget to cache it, or save the data first (e.g. mlContext.Data.SaveAsBinary).");
    }

    /// <summary>One mini-batch being filled; its arrays are reused after it is taken.</summary>
    private sealed class BatchBuffer(int batchSize, int featureCount, bool weighted)
    {
        private readonly float[] _xs = new float[(long)batchSize * featureCount];
        private readonly float[] _ys = new float[batchSize];
        private readonly float[]? _ws = weighted ? new float[batchSize] : null;

        public int Rows { get; private set; }
        public bool IsFull => Rows == batchSize;

        public void Add(ReadOnlySpan<float> features, float label, float weight)
        {
            features.CopyTo(_xs.AsSpan(Rows * featureCount, featureCount));
            _ys[Rows] = label;
            if (_ws is not null) _ws[Rows] = weight;
            Rows++;
        }

        public MiniBatch Take()
        {
            int rows = Rows;
            Rows = 0;
            return new MiniBatch(rows, _xs.AsMemory(0, rows * featureCount), _ys.AsMemory(0, rows),
                _ws is null ? (ReadOnlyMemory<float>?)null : _ws.AsMemory(0, rows));
        }
    }
}
