using BnMlNet.Engine;
using BnMlNet.MlNet.Model;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.MlNet.Data;

/// <summary>What reading a training set found: the cached rows and what was skipped and why.</summary>
internal sealed record ReadResult(DenseDataset Dataset, long RowsSeen, long SkippedNonFiniteFeatures, long SkippedBadLabels, long SkippedBadWeights);

/// <summary>
/// Reads an <see cref="IDataView"/> into the engine's contiguous float arrays: features row-major, labels as floats
/// (binary 0/1, multiclass the class index 0..K−1, regression the value), and optional weights.
/// </summary>
internal static class TrainingDataReader
{
    /// <summary>Reads every usable row. Rows with NaN/±∞ features are skipped and counted, or rejected when asked.</summary>
    public static ReadResult Read(IDataView data, string featureColumn, string labelColumn, string? weightColumn,
        ModelTask task, bool throwOnNonFinite, Func<bool>? isCanceled = null)
    {
        var schema = data.Schema;
        var featureCol = schema[featureColumn];
        int featureCount = featureCol.Type is VectorDataViewType { IsKnownSize: true } vt ? vt.Size
            : throw new ArgumentException($"Feature column '{featureColumn}' must be a known-size vector of Single, but is {featureCol.Type}.");
        var labelCol = schema[labelColumn];
        DataViewSchema.Column? weightCol = weightColumn is null ? null : schema[weightColumn];

        var columns = new List<DataViewSchema.Column> { featureCol, labelCol };
        if (weightCol is { } wc) columns.Add(wc);

        var features = new GrowableFloats(featureCount * 1024);
        var labels = new GrowableFloats(1024);
        var weights = weightCol is null ? null : new GrowableFloats(1024);
        long seen = 0, badFeatures = 0, badLabels = 0, badWeights = 0;
        var row = new float[featureCount];

        using (var cursor = data.GetRowCursor(columns))
        {
            var getFeatures = cursor.GetGetter<VBuffer<float>>(featureCol);
            var getLabel = LabelGetter(cursor, labelCol, task);
            ValueGetter<float>? getWeight = weightCol is { } w ? cursor.GetGetter<float>(w) : null;
            VBuffer<float> buffer = default;
            float weight = 1;

            while (cursor.MoveNext())
            {
                if ((seen & 1023) == 0 && isCanceled?.Invoke() == true)
                    throw new OperationCanceledException("Training was canceled while reading the data.");
                seen++;
                getFeatures(ref buffer);
                if (buffer.Length != featureCount)
                    throw new InvalidOperationException($"Row {seen} of feature column '{featureColumn}' has {buffer.Length} values; the column's type says {featureCount}.");
                buffer.CopyTo(row);
                if (!AllFinite(row))
                {
                    if (throwOnNonFinite)
                        throw new InvalidOperationException(
                            $"Row {seen} of feature column '{featureColumn}' holds NaN or infinity at slot {FirstNonFinite(row)}. " +
                            $"Remove or impute such values (e.g. mlContext.Transforms.ReplaceMissingValues), or set {nameof(BatchNormMlpOptionsBase.ThrowOnNonFiniteFeatures)} = false to skip such rows.");
                    badFeatures++;
                    continue;
                }
                float label = getLabel();
                if (!float.IsFinite(label)) { badLabels++; continue; }
                if (getWeight is not null)
                {
                    getWeight(ref weight);
                    if (!(weight >= 0) || !float.IsFinite(weight)) { badWeights++; continue; }
                }

                features.Add(row);
                labels.Add(label);
                weights?.Add(weight);
            }
        }

        int rows = labels.Count;
        var dataset = new DenseDataset(features.ToArray(), labels.ToArray(), weights?.ToArray(), featureCount);
        return new ReadResult(dataset, seen, badFeatures, badLabels, badWeights);
    }

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

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
            if (!float.IsFinite(v)) return false;
        return true;
    }

    private static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }
}
