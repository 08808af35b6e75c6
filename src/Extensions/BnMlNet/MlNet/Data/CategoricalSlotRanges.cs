using BnMlNet.Engine;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.MlNet.Data;

/// <summary>
/// Reads ML.NET's <c>CategoricalSlotRanges</c> annotation (written by <c>OneHotEncoding</c>, kept by <c>Concatenate</c>,
/// read by LightGbm too) off the trainer's feature column: a vector of ints, inclusive [start, end] pairs, one per
/// categorical feature's one-hot block.
/// </summary>
internal static class CategoricalSlotRanges
{
    /// <summary>
    /// The blocks of <paramref name="column"/> (empty when it carries no annotation), validated: an even count of values,
    /// start ≤ end within the column's slots, ascending, not overlapping; otherwise an error naming the column.
    /// </summary>
    public static CategoricalBlock[] Read(DataViewSchema.Column column, int slots)
    {
        var kind = AnnotationUtils.Kinds.CategoricalSlotRanges;
        var annotation = column.Annotations.Schema.GetColumnOrNull(kind);
        if (annotation is null) return [];
        if (annotation.Value.Type is not VectorDataViewType { ItemType: NumberDataViewType } vt || vt.ItemType.RawType != typeof(int))
            throw Malformed(column, $"its type is {annotation.Value.Type}, expected a vector of Int32");
        var buffer = default(VBuffer<int>);
        column.Annotations.GetValue(kind, ref buffer);
        var values = buffer.DenseValues().ToArray();
        if (values.Length % 2 != 0) throw Malformed(column, $"it has {values.Length} values, expected [start, end] pairs (an even count)");
        var blocks = new CategoricalBlock[values.Length / 2];
        for (int i = 0; i < blocks.Length; i++)
        {
            int start = values[2 * i], end = values[2 * i + 1];
            if (start < 0 || end < start || end >= slots)
                throw Malformed(column, $"range {i} is [{start}, {end}], expected 0 ≤ start ≤ end < {slots} (the column's slot count)");
            if (i > 0 && start <= blocks[i - 1].End)
                throw Malformed(column, $"range {i} [{start}, {end}] starts at or before the end of range {i - 1} [{blocks[i - 1].Start}, {blocks[i - 1].End}]; ranges must be ascending and must not overlap");
            blocks[i] = new CategoricalBlock(start, end - start + 1);
        }
        return blocks;
    }

    private static ArgumentException Malformed(DataViewSchema.Column column, string what) => new(
        $"The feature column '{column.Name}' carries a malformed {AnnotationUtils.Kinds.CategoricalSlotRanges} annotation: {what}. " +
        $"It is written by OneHotEncoding and kept by Concatenate; set {nameof(BatchNormMlpOptionsBase.CategoricalEmbedding)} = None to train without it.",
        "trainData");
}
