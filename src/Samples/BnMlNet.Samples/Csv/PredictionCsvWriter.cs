using System.Globalization;
using BnMlNet.Samples.Cli;
using CsvHelper;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Samples.Csv;

/// <summary>
/// Writes <c>predict</c>'s output with CsvHelper: every input column as it was, then the predictions —
/// binary: PredictedLabel, Probability, Score; multiclass: PredictedLabel and one Score.&lt;class&gt; per class;
/// regression: Score. One output row per input row, same order.
/// </summary>
public static class PredictionCsvWriter
{
    /// <summary>Scores <paramref name="input"/> and writes the predictions (safely; see <see cref="SafeFileWriter"/>).</summary>
    /// <returns>The number of rows written.</returns>
    public static int Write(CsvModelInput input, string outPath, bool force)
    {
        var predictions = Predict(input);
        if (predictions.Values.Count != input.Table.Rows.Count)
            throw new UserInputException(
                $"{input.Table.Path}: ML.NET read {predictions.Values.Count} rows but CsvHelper read {input.Table.Rows.Count}; " +
                "check for comment lines (//) or quoted line breaks.");

        SafeFileWriter.Write(outPath, force, temp =>
        {
            using var csv = CsvWriter.Create(File.Create(temp), CsvWriterOptions.Default with { NewLine = "\n" }, leaveOpen: false);
            csv.WriteHeader(input.Table.Columns.Select(c => c.Name).Concat(predictions.Header).ToArray());
            for (int i = 0; i < input.Table.Rows.Count; i++)
                csv.WriteRecord(input.Table.Rows[i].Concat(predictions.Values[i]).ToArray());
        });
        return input.Table.Rows.Count;
    }

    private static (IReadOnlyList<string> Header, List<string[]> Values) Predict(CsvModelInput input)
    {
        var scored = input.Model.Transform(input.Data);
        var rows = new List<string[]>();
        static string F(float v) => v.ToString("R", CultureInfo.InvariantCulture);
        switch (input.Sidecar.Task)
        {
            case MlTask.Binary:
            {
                var columns = new[] { scored.Schema["PredictedLabel"], scored.Schema["Probability"], scored.Schema["Score"] };
                using var cursor = scored.GetRowCursor(columns);
                var label = cursor.GetGetter<bool>(columns[0]);
                var probability = cursor.GetGetter<float>(columns[1]);
                var score = cursor.GetGetter<float>(columns[2]);
                bool l = false; float p = 0, s = 0;
                while (cursor.MoveNext())
                {
                    label(ref l); probability(ref p); score(ref s);
                    rows.Add([l ? "1" : "0", F(p), F(s)]);
                }
                return (["PredictedLabel", "Probability", "Score"], rows);
            }
            case MlTask.Multiclass:
            {
                var columns = new[] { scored.Schema["PredictedLabel"], scored.Schema["Score"] };
                using var cursor = scored.GetRowCursor(columns);
                var label = cursor.GetGetter<ReadOnlyMemory<char>>(columns[0]);
                var score = cursor.GetGetter<VBuffer<float>>(columns[1]);
                ReadOnlyMemory<char> l = default; VBuffer<float> s = default;
                while (cursor.MoveNext())
                {
                    label(ref l); score(ref s);
                    rows.Add(s.DenseValues().Select(F).Prepend(l.ToString()).ToArray());
                }
                return (input.Sidecar.Classes.Select(c => $"Score.{c}").Prepend("PredictedLabel").ToList(), rows);
            }
            default:
            {
                var column = scored.Schema["Score"];
                using var cursor = scored.GetRowCursor([column]);
                var score = cursor.GetGetter<float>(column);
                float s = 0;
                while (cursor.MoveNext())
                {
                    score(ref s);
                    rows.Add([F(s)]);
                }
                return (["Score"], rows);
            }
        }
    }
}
