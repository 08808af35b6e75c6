using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using BnMlNet.Tests.MlNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// Model zips of payload format version 2 (a preprocessing stage: robust scaling, median imputation with missing
/// indicators; regression with a standardized label; trained with a held-out validation set) must load and reproduce
/// their recorded predictions bit for bit, on probe rows holding NaN and ±∞ as well. The version-1 fixtures are
/// checked by Reliability/CompatibilityTests. Regenerate (only on a deliberate format change, keeping the old files)
/// with BNMLNET_REGENERATE_COMPAT_V2=1.
/// </summary>
[TestClass]
public sealed class CompatibilityV2Tests
{
    private static string FixtureDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "compat");

    private static List<RawRow> WithHoles(List<RawRow> rows)
    {
        for (int i = 0; i < rows.Count; i++)
        {
            if (i % 6 == 1) rows[i].X1 = float.NaN;
            if (i % 8 == 3) rows[i].X2 = i % 16 == 3 ? float.PositiveInfinity : float.NaN;
        }
        return rows;
    }

    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Multiclass)]
    [DataRow(SyntheticData.Task.Regression)]
    public void Version2ModelReproducesItsRecordedPredictionsBitForBit(SyntheticData.Task task)
    {
        string name = task.ToString().ToLowerInvariant();
        string zip = Path.Combine(FixtureDirectory, $"v2-{name}.zip"), json = Path.Combine(FixtureDirectory, $"v2-{name}.predictions.json");
        Assert.IsTrue(File.Exists(zip) && File.Exists(json), $"missing fixture {zip} / {json}");
        var recorded = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.AreEqual(2, (int)recorded["payloadVersion"]!);
        var rows = recorded["input"]!.AsArray().Select(ParseRow).ToList();
        Assert.IsTrue(rows.Any(r => float.IsNaN(r.X1)) && rows.Any(r => float.IsPositiveInfinity(r.X2)), "the probe holds NaN and +∞");

        var ml = new MLContext();
        var model = ml.Model.Load(zip, out _);
        var parameters = ((IEnumerable<ITransformer>)model).OfType<ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters>>().Single().Model;
        Assert.IsNotNull(parameters.Preprocessing, "a version-2 model carries its preprocessing");
        var actual = Predictions(model, ml.Data.LoadFromEnumerable(rows), task);
        var expected = recorded["output"]!.AsObject();
        Assert.HasCount(expected.Count, actual);
        foreach (var (column, values) in expected)
            CollectionAssert.AreEqual(values!.AsArray().Select(v => v!.ToJsonString()).ToArray(),
                actual[column]!.AsArray().Select(v => v!.ToJsonString()).ToArray(), $"{task} column {column}");
    }

    [TestMethod]
    public void RegenerateFixturesWhenAsked()
    {
        if (Environment.GetEnvironmentVariable("BNMLNET_REGENERATE_COMPAT_V2") != "1")
            return;   // a no-op unless asked: the committed fixtures are the point
        string target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(SourceFile())!, "..", "Fixtures", "compat"));
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(WithHoles(SyntheticData.Rows(240, seed: 1)));
        var probe = WithHoles(SyntheticData.Rows(24, seed: 99));
        foreach (var task in new[] { SyntheticData.Task.Binary, SyntheticData.Task.Multiclass, SyntheticData.Task.Regression })
        {
            string name = task.ToString().ToLowerInvariant();
            var model = SyntheticData.Pipeline(ml, task, epochs: 6).Fit(train);
            ml.Model.Save(model, train.Schema, Path.Combine(target, $"v2-{name}.zip"));
            var document = new JsonObject
            {
                ["payloadVersion"] = 2,
                ["note"] = "Written by Recipe/CompatibilityV2Tests.RegenerateFixturesWhenAsked (BNMLNET_REGENERATE_COMPAT_V2=1): defaults of the recipe (robust scaling, imputation, hold-out, standardized label). Floats are round-trip strings.",
                ["input"] = new JsonArray(probe.Select(r => (JsonNode)new JsonObject
                {
                    ["Color"] = r.Color, ["X1"] = F(r.X1), ["X2"] = F(r.X2), ["Class"] = r.Class, ["IsPositive"] = r.IsPositive, ["Target"] = F(r.Target),
                }).ToArray()),
                ["output"] = Predictions(model, ml.Data.LoadFromEnumerable(probe), task),
            };
            File.WriteAllText(Path.Combine(target, $"v2-{name}.predictions.json"), document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
    }

    private static string SourceFile([CallerFilePath] string path = "") => path;

    private static string F(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static float P(JsonNode? node) => float.Parse((string)node!, CultureInfo.InvariantCulture);

    private static RawRow ParseRow(JsonNode? node) => new()
    {
        Color = (string)node!["Color"]!, X1 = P(node["X1"]), X2 = P(node["X2"]), Class = (string)node["Class"]!,
        IsPositive = (bool)node["IsPositive"]!, Target = P(node["Target"]),
    };

    private static JsonObject Predictions(ITransformer model, IDataView input, SyntheticData.Task task)
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
