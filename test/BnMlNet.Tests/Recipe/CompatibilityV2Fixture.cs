using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BnMlNet.Tests.MlNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// Writes and reads the tabular recipe's payload-version-2 fixtures (Fixtures/compat/v2-*): the recipe's default
/// pipelines trained on rows with NaN and +∞, and their predictions on such rows. Shared by the test and by
/// tools/CompatFixtures (no test framework here).
/// </summary>
public static class CompatibilityV2Fixture
{
    public static List<RawRow> WithHoles(List<RawRow> rows)
    {
        for (int i = 0; i < rows.Count; i++)
        {
            if (i % 6 == 1) rows[i].X1 = float.NaN;
            if (i % 8 == 3) rows[i].X2 = i % 16 == 3 ? float.PositiveInfinity : float.NaN;
        }
        return rows;
    }

    /// <summary>Writes the v2 fixtures into <paramref name="target"/> (run by <c>dotnet run --project tools/CompatFixtures -- recipe-v2</c>); never overwrites.</summary>
    public static IEnumerable<string> WriteFixtures(string target)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(WithHoles(SyntheticData.Rows(240, seed: 1)));
        var probe = WithHoles(SyntheticData.Rows(24, seed: 99));
        foreach (var task in new[] { SyntheticData.Task.Binary, SyntheticData.Task.Multiclass, SyntheticData.Task.Regression })
        {
            string name = task.ToString().ToLowerInvariant();
            var model = SyntheticData.Pipeline(ml, task, epochs: 6).Fit(train);
            string zipPath = Path.Combine(target, $"v2-{name}.zip"), jsonPath = Path.Combine(target, $"v2-{name}.predictions.json");
            if (File.Exists(zipPath) || File.Exists(jsonPath)) throw new IOException($"{zipPath} exists; fixtures are never overwritten.");
            ml.Model.Save(model, train.Schema, zipPath);
            var document = new JsonObject
            {
                ["payloadVersion"] = 2,
                ["note"] = "Written by Recipe/CompatibilityV2Tests.WriteFixtures (tools/CompatFixtures recipe-v2): defaults of the recipe (robust scaling, imputation, hold-out, standardized label). Floats are round-trip strings.",
                ["input"] = new JsonArray(probe.Select(r => (JsonNode)new JsonObject
                {
                    ["Color"] = r.Color, ["X1"] = F(r.X1), ["X2"] = F(r.X2), ["Class"] = r.Class, ["IsPositive"] = r.IsPositive, ["Target"] = F(r.Target),
                }).ToArray()),
                ["output"] = Predictions(model, ml.Data.LoadFromEnumerable(probe), task),
            };
            File.WriteAllText(jsonPath, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            yield return zipPath;
            yield return jsonPath;
        }
    }

    public static string F(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static float P(JsonNode? node) => float.Parse((string)node!, CultureInfo.InvariantCulture);

    public static RawRow ParseRow(JsonNode? node) => new()
    {
        Color = (string)node!["Color"]!, X1 = P(node["X1"]), X2 = P(node["X2"]), Class = (string)node["Class"]!,
        IsPositive = (bool)node["IsPositive"]!, Target = P(node["Target"]),
    };

    public static JsonObject Predictions(ITransformer model, IDataView input, SyntheticData.Task task)
    {
        var scored = model.Transform(input);
        JsonArray Floats(IEnumerable<float> values) => new(values.Select(v => (JsonNode)JsonValue.Create(F(v))!).ToArray());
        var result = new JsonObject();
        switch (task)
        {
            case SyntheticData.Task.Binary:
                result["Score"] = Floats(scored.GetColumn<float>("Score"));
                result["Probability"] = Floats(scored.GetColumn<float>("Probability"));
                break;
            case SyntheticData.Task.Multiclass:
                result["Score"] = new JsonArray(scored.GetColumn<VBuffer<float>>("Score").Select(v => (JsonNode)Floats(v.DenseValues())).ToArray());
                result["PredictedClass"] = new JsonArray(scored.GetColumn<ReadOnlyMemory<char>>("PredictedClass").Select(m => (JsonNode)JsonValue.Create(m.ToString())!).ToArray());
                break;
            default:
                result["Score"] = Floats(scored.GetColumn<float>("Score"));
                break;
        }
        return result;
    }
}
