using BnMlNet.Engine;

namespace BnMlNet.MlNet.Data;

/// <summary>What reading a training set found: the rows (cached or streamed) and what was skipped and why.</summary>
/// <param name="Dataset">An in-memory <see cref="DenseDataset"/>, or a <see cref="StreamingBatchSource"/> when the data exceeds the cache budget.</param>
/// <param name="RowsSeen">Rows in the data view.</param>
/// <param name="SkippedNonFiniteFeatures">Rows skipped for a NaN or infinite feature.</param>
/// <param name="SkippedBadLabels">Rows skipped for a missing label (NaN regression value, key 0).</param>
/// <param name="SkippedBadWeights">Rows skipped for a negative or non-finite weight.</param>
internal sealed record ReadResult(IMiniBatchSource Dataset, long RowsSeen, long SkippedNonFiniteFeatures, long SkippedBadLabels, long SkippedBadWeights)
{
    /// <summary>True when the rows are streamed from the data view each pass rather than cached.</summary>
    public bool Streamed => Dataset is StreamingBatchSource;
}

/// <summary>
/// Reads an <see cref="Microsoft.ML.IDataView"/> into the engine's contiguous float arrays (features row-major,
/// labels as floats: binary 0/1, multiclass the class index 0..K−1, regression the value; optional weights), unless
/// that would take more than the cache budget: then it returns a <see cref="StreamingBatchSource"/> that reads the
/// data view again on every pass.
/// </summary>
internal static class TrainingDataReader
{
    /// <summary>
    /// Reads every usable row (see <see cref="UsableRowCursor"/> for what is skipped). The data is cached when its
    /// usable rows fit in <paramref name="maxCacheBytes"/> (features, label and weight as 4-byte floats), else streamed.
    /// When the data view knows its row count and that already exceeds the budget, nothing is cached; otherwise the
    /// cache is abandoned as soon as it would pass the budget.
    /// </summary>
    public static ReadResult Read(RowSpec spec, long maxCacheBytes)
    {
        int featureCount = spec.FeatureCount;
        long rowBytes = spec.RowBytes;
        long maxRows = Math.Max(0, maxCacheBytes) / rowBytes;
        long? known = spec.Data.GetRowCount();
        if (known is long n && n > maxRows) return Stream(spec, maxRows);

        long reserveRows = Math.Min(known ?? 1024, maxRows);
        var features = new GrowableFloats(reserveRows * featureCount, maxRows * featureCount);
        var labels = new GrowableFloats(reserveRows, maxRows);
        var weights = spec.WeightColumn is null ? null : new GrowableFloats(reserveRows, maxRows);
        using (var rows = new UsableRowCursor(spec))
        {
            while (rows.MoveNext())
            {
                if (!features.TryAdd(rows.Features)) return Stream(spec, maxRows);
                labels.TryAdd(rows.Label);
                weights?.TryAdd(rows.Weight);
            }
            // The arrays are this reader's own: the trainer may hold out and preprocess in place (features held once).
            var dataset = new DenseDataset(features.ToArray(), labels.ToArray(), weights?.ToArray(), featureCount) { TrainerOwnsArrays = true };
            return new ReadResult(dataset, rows.RowsSeen, rows.SkippedNonFiniteFeatures, rows.SkippedBadLabels, rows.SkippedBadWeights);
        }
    }

    private static ReadResult Stream(RowSpec spec, long bufferRows)
    {
        var source = StreamingBatchSource.Open(spec, (int)Math.Clamp(bufferRows, 1, Array.MaxLength / Math.Max(1, spec.FeatureCount)));
        return new ReadResult(source, source.RowsSeen, source.SkippedNonFiniteFeatures, source.SkippedBadLabels, source.SkippedBadWeights);
    }
}
