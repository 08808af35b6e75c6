using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.MlNet.Data;

/// <summary>Which columns to read and how: shared by the cached reader and the streaming source.</summary>
/// <param name="Data">The data view.</param>
/// <param name="FeatureColumn">The known-size Single vector column.</param>
/// <param name="LabelColumn">The label column (Boolean, key or Single by task).</param>
/// <param name="WeightColumn">The optional Single weight column.</param>
/// <param name="Task">Decides how the label is read.</param>
/// <param name="ThrowOnNonFinite">Throw on a NaN/±∞ feature instead of skipping the row.</param>
/// <param name="IsCanceled">Polled every 1024 rows.</param>
/// <param name="KeepNonFinite">Keep rows with NaN/±∞ features (the model's preprocessing imputes and clips them).</param>
/// <param name="CheckMagnitude">Refuse finite features above <see cref="UsableRowCursor.MaxFeatureMagnitude"/> (off when the model scales its inputs).</param>
internal sealed record RowSpec(IDataView Data, string FeatureColumn, string LabelColumn, string? WeightColumn, ModelTask Task,
    bool ThrowOnNonFinite, Func<bool>? IsCanceled, bool KeepNonFinite = false, bool CheckMagnitude = true)
{
    /// <summary>Features per row, from the column type (a known-size vector, else a clear error).</summary>
    public int FeatureCount => Data.Schema[FeatureColumn].Type is VectorDataViewType { IsKnownSize: true } vt ? vt.Size
        : throw new ArgumentException($"Feature column '{FeatureColumn}' must be a known-size vector of Single, but is {Data.Schema[FeatureColumn].Type}.");

    /// <summary>Bytes one cached row takes: features, label and (if any) weight as Single.</summary>
    public long RowBytes => sizeof(float) * ((long)FeatureCount + 1 + (WeightColumn is null ? 0 : 1));
}

/// <summary>
/// A cursor over the usable rows of a training set: rows with a NaN/±∞ feature (unless that is an error), a missing
/// label (NaN regression value, key 0) or a negative/non-finite weight are skipped and counted. The same rules apply
/// whether the data is cached or streamed, so both modes see the same rows in the same order.
/// </summary>
internal sealed class UsableRowCursor : IDisposable
{
    /// <summary>Features whose magnitude is above this are refused: batch norm's variance (their square) would overflow Single.</summary>
    public const float MaxFeatureMagnitude = 1e18f;

    private readonly RowSpec _spec;
    private readonly DataViewRowCursor _cursor;
    private readonly ValueGetter<VBuffer<float>> _getFeatures;
    private readonly Func<float> _getLabel;
    private readonly ValueGetter<float>? _getWeight;
    private readonly float[] _row;
    private VBuffer<float> _buffer;
    private float _weight = 1;

    public UsableRowCursor(RowSpec spec)
    {
        _spec = spec;
        var schema = spec.Data.Schema;
        int featureCount = spec.FeatureCount;
        var featureCol = schema[spec.FeatureColumn];
        var labelCol = schema[spec.LabelColumn];
        DataViewSchema.Column? weightCol = spec.WeightColumn is null ? null : schema[spec.WeightColumn];
        var columns = new List<DataViewSchema.Column> { featureCol, labelCol };
        if (weightCol is { } wc) columns.Add(wc);
        _cursor = spec.Data.GetRowCursor(columns);
        _getFeatures = _cursor.GetGetter<VBuffer<float>>(featureCol);
        _getLabel = LabelGetter(_cursor, labelCol, spec.Task);
        _getWeight = weightCol is { } w ? _cursor.GetGetter<float>(w) : null;
        _row = new float[featureCount];
    }

    /// <summary>The current row's features (valid until the next <see cref="MoveNext"/>).</summary>
    public ReadOnlySpan<float> Features => _row;
    /// <summary>The current row's label as the engine's float.</summary>
    public float Label { get; private set; }
    /// <summary>The current row's weight (1 without a weight column).</summary>
    public float Weight => _weight;

    public long RowsSeen { get; private set; }
    public long SkippedNonFiniteFeatures { get; private set; }
    public long SkippedBadLabels { get; private set; }
    public long SkippedBadWeights { get; private set; }

    /// <summary>Advances to the next usable row; false at the end of the data.</summary>
    public bool MoveNext()
    {
        while (_cursor.MoveNext())
        {
            if ((RowsSeen & 1023) == 0 && _spec.IsCanceled?.Invoke() == true)
                throw new OperationCanceledException("Training was canceled while reading the data.");
            RowsSeen++;
            _getFeatures(ref _buffer);
            if (_buffer.Length != _row.Length)
                throw new InvalidOperationException($"Row {RowsSeen} of feature column '{_spec.FeatureColumn}' has {_buffer.Length} values; the column's type says {_row.Length}.");
            _buffer.CopyTo(_row);
            int bad = _spec.KeepNonFinite && !_spec.ThrowOnNonFinite ? -1 : FirstNonFinite(_row);
            if (bad >= 0)
            {
                if (_spec.ThrowOnNonFinite)
                    throw new InvalidOperationException(
                        $"Row {RowsSeen} of feature column '{_spec.FeatureColumn}' holds {_row[bad]} at slot {bad}. " +
                        $"Remove or impute such values (e.g. mlContext.Transforms.ReplaceMissingValues), or set {nameof(BatchNormMlpOptionsBase.ThrowOnNonFiniteFeatures)} = false to skip such rows.");
                SkippedNonFiniteFeatures++;
                continue;
            }
            float label = _getLabel();
            if (!float.IsFinite(label)) { SkippedBadLabels++; continue; }
            if (_getWeight is not null)
            {
                _getWeight(ref _weight);
                if (!(_weight >= 0) || !float.IsFinite(_weight)) { SkippedBadWeights++; continue; }
            }
            // Only rows that would be used are held to the magnitude limit.
            int huge = _spec.CheckMagnitude ? FirstHuge(_row) : -1;
            if (huge >= 0)
                throw new ArgumentOutOfRangeException(_spec.FeatureColumn,
                    $"Row {RowsSeen} of feature column '{_spec.FeatureColumn}' holds {_row[huge]} at slot {huge}; BatchNormMlp accepts feature " +
                    $"magnitudes up to {MaxFeatureMagnitude:G3} (batch normalization squares them, and Single overflows at 3.4E+38). " +
                    "Rescale the features first, e.g. with mlContext.Transforms.NormalizeMinMax or NormalizeLogMeanVariance.");
            Label = label;
            return true;
        }
        return false;
    }

    public void Dispose() => _cursor.Dispose();

    /// <summary>A getter that turns the label into the engine's float; NaN marks a row to skip.</summary>
    private static Func<float> LabelGetter(DataViewRowCursor cursor, DataViewSchema.Column labelCol, ModelTask task)
    {
        switch (task)
        {
            case ModelTask.Binary:
            {
                var get = cursor.GetGetter<bool>(labelCol);
                bool value = false;
                return () => { get(ref value); return value ? 1f : 0f; };
            }
            case ModelTask.Multiclass:
            {
                var get = cursor.GetGetter<uint>(labelCol);
                uint key = 0;
                // Key 0 is ML.NET's missing value; key k stands for class k − 1.
                return () => { get(ref key); return key == 0 ? float.NaN : key - 1; };
            }
            default:
            {
                var get = cursor.GetGetter<float>(labelCol);
                float value = 0;
                return () => { get(ref value); return value; };
            }
        }
    }

    private static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }

    private static int FirstHuge(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
            if (float.IsFinite(values[i]) && MathF.Abs(values[i]) > MaxFeatureMagnitude) return i;
        return -1;
    }
}
