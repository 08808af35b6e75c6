using System.Globalization;
using System.Text;
using System.Text.Json;
using BnMlNet.Samples.Csv;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Serving.Tests;

/// <summary>One row's answer: the floats (binary: score, probability; multiclass: the class scores; regression: score) and the label.</summary>
public sealed record RowAnswer(float[] Numbers, string Label)
{
    /// <summary>Equal to the last bit.</summary>
    public bool SameBits(RowAnswer other) =>
        Label == other.Label && Numbers.Length == other.Numbers.Length &&
        Numbers.Zip(other.Numbers).All(p => BitConverter.SingleToInt32Bits(p.First) == BitConverter.SingleToInt32Bits(p.Second));

    public override string ToString() =>
        $"{Label} [{string.Join(", ", Numbers.Select(n => n.ToString("R", CultureInfo.InvariantCulture)))}]";
}

/// <summary>The references the service's answers are checked against, and the JSON requests built from a CSV.</summary>
public static class Answers
{
    /// <summary>The model's own <c>Transform</c> over the CSV rows (ML.NET's TextLoader reading the same text).</summary>
    public static List<RowAnswer> FromTransform(string modelPath, string csvPath)
    {
        var ml = new MLContext(seed: 1);
        var input = CsvModelInput.Load(ml, modelPath, csvPath, withLabel: false);
        var scored = input.Model.Transform(input.Data);
        var answers = new List<RowAnswer>();
        switch (input.Sidecar.Task)
        {
            case MlTask.Binary:
            {
                using var cursor = scored.GetRowCursor(scored.Schema);
                var label = cursor.GetGetter<bool>(scored.Schema["PredictedLabel"]);
                var probability = cursor.GetGetter<float>(scored.Schema["Probability"]);
                var score = cursor.GetGetter<float>(scored.Schema["Score"]);
                bool l = false; float p = 0, s = 0;
                while (cursor.MoveNext())
                {
                    label(ref l); probability(ref p); score(ref s);
                    answers.Add(new RowAnswer([s, p], l ? "true" : "false"));
                }
                break;
            }
            case MlTask.Multiclass:
            {
                using var cursor = scored.GetRowCursor(scored.Schema);
                var label = cursor.GetGetter<ReadOnlyMemory<char>>(scored.Schema["PredictedLabel"]);
                var score = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
                ReadOnlyMemory<char> l = default; VBuffer<float> s = default;
                while (cursor.MoveNext())
                {
                    label(ref l); score(ref s);
                    answers.Add(new RowAnswer(s.DenseValues().ToArray(), l.ToString()));
                }
                break;
            }
            default:
            {
                using var cursor = scored.GetRowCursor(scored.Schema);
                var score = cursor.GetGetter<float>(scored.Schema["Score"]);
                float s = 0;
                while (cursor.MoveNext())
                {
                    score(ref s);
                    answers.Add(new RowAnswer([s], ""));
                }
                break;
            }
        }
        return answers;
    }

    /// <summary>The sample app's <c>predict</c> command's output for the CSV, parsed back to floats.</summary>
    public static List<RowAnswer> FromPredictCommand(string modelPath, string csvPath)
    {
        string outPath = Path.Combine(Path.GetDirectoryName(csvPath)!, $"predict-{Guid.NewGuid():N}.csv");
        var output = new StringWriter();
        int code = BnMlNet.Samples.Program.Run(["predict", "--model", modelPath, "--data", csvPath, "--out", outPath], output);
        Assert.AreEqual(0, code, output.ToString());
        var sidecar = ModelSidecar.Load(modelPath);
        var lines = File.ReadAllLines(outPath);
        var header = lines[0].Split(',');
        int first = Array.IndexOf(header, "PredictedLabel");
        static float F(string s) => float.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
        return lines.Skip(1).Select(line =>
        {
            var f = line.Split(',');
            return sidecar.Task switch
            {
                MlTask.Binary => new RowAnswer([F(f[first + 2]), F(f[first + 1])], f[first] == "1" ? "true" : "false"),
                MlTask.Multiclass => new RowAnswer(f[(first + 1)..].Select(F).ToArray(), f[first]),
                _ => new RowAnswer([F(f[^1])], ""),
            };
        }).ToList();
    }

    /// <summary>The service's answer parsed: floats read back from their JSON text.</summary>
    public static List<RowAnswer> FromJson(string json, ModelSidecar sidecar)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(row => sidecar.Task switch
        {
            MlTask.Binary => new RowAnswer([row.GetProperty("score").GetSingle(), row.GetProperty("probability").GetSingle()],
                row.GetProperty("predictedLabel").GetBoolean() ? "true" : "false"),
            MlTask.Multiclass => new RowAnswer(sidecar.Classes.Select(c => row.GetProperty("scores").GetProperty(c).GetSingle()).ToArray(),
                row.GetProperty("predictedLabel").GetString()!),
            _ => new RowAnswer([row.GetProperty("score").GetSingle()], ""),
        }).ToList();
    }

    /// <summary>
    /// The rows <paramref name="from"/>…<paramref name="from"/>+<paramref name="count"/> of the CSV as a JSON request:
    /// numeric fields as JSON numbers with the CSV's exact text (null when empty), text fields as strings.
    /// </summary>
    public static string RequestBody(string csvPath, int from = 0, int count = int.MaxValue)
    {
        var table = CsvSchemaSniffer.Read(csvPath);
        var sb = new StringBuilder("[");
        foreach (var row in table.Rows.Skip(from).Take(count))
        {
            if (sb.Length > 1) sb.Append(',');
            sb.Append('{');
            for (int c = 0; c < table.Columns.Count; c++)
            {
                var column = table.Columns[c];
                if (c > 0) sb.Append(',');
                sb.Append(JsonSerializer.Serialize(column.Name)).Append(':');
                string value = row[column.Index];
                sb.Append(column.Kind == CsvColumnKind.Text ? JsonSerializer.Serialize(value)
                    : value.Length == 0 ? "null" : value);
            }
            sb.Append('}');
        }
        return sb.Append(']').ToString();
    }

    /// <summary>Asserts the two lists agree row by row to the last bit.</summary>
    public static void AssertSameBits(IReadOnlyList<RowAnswer> expected, IReadOnlyList<RowAnswer> actual, string what)
    {
        Assert.HasCount(expected.Count, actual, what);
        for (int i = 0; i < expected.Count; i++)
            Assert.IsTrue(expected[i].SameBits(actual[i]), $"{what}, row {i}: expected {expected[i]}, got {actual[i]}");
    }
}
