using BnMlNet.Samples.Csv;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Samples.Compare;

/// <summary>
/// Saves a pipeline to a zip, loads it back with a fresh <see cref="MLContext"/> and checks that every prediction
/// on the test set is bitwise identical (Score, and Probability when present).
/// </summary>
public static class RoundTrip
{
    /// <summary>Runs the check; the zip is written safely (no overwrite without <paramref name="force"/>).</summary>
    public static RoundTripResult Check(string task, MLContext ml, ITransformer model, DataViewSchema inputSchema,
        IDataView test, string path, bool force)
    {
        SafeFileWriter.Write(path, force, temp => ml.Model.Save(model, inputSchema, temp));
        var fresh = new MLContext(seed: 0);
        var loaded = fresh.Model.Load(path, out _);

        var before = Bits(model.Transform(test));
        var after = Bits(loaded.Transform(test));
        int rows = before.Count, mismatches = Math.Abs(after.Count - before.Count);
        for (int i = 0; i < Math.Min(before.Count, after.Count); i++)
            if (!before[i].AsSpan().SequenceEqual(after[i])) mismatches++;
        return new RoundTripResult(task, path, rows, mismatches);
    }

    /// <summary>Per row, the bit patterns of every Score and Probability value.</summary>
    private static List<int[]> Bits(IDataView scored)
    {
        var columns = new[] { "Score", "Probability" }
            .Select(n => scored.Schema.GetColumnOrNull(n)).OfType<DataViewSchema.Column>().ToArray();
        var rows = new List<int[]>();
        using var cursor = scored.GetRowCursor(columns);
        var getters = columns.Select<DataViewSchema.Column, Func<IEnumerable<float>>>(c =>
        {
            if (c.Type is VectorDataViewType)
            {
                var g = cursor.GetGetter<VBuffer<float>>(c);
                return () => { VBuffer<float> v = default; g(ref v); return v.DenseValues().ToArray(); };
            }
            var s = cursor.GetGetter<float>(c);
            return () => { float v = 0; s(ref v); return [v]; };
        }).ToArray();
        while (cursor.MoveNext())
            rows.Add(getters.SelectMany(g => g()).Select(BitConverter.SingleToInt32Bits).ToArray());
        return rows;
    }
}
