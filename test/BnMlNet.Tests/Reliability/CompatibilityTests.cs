using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using BnMlNet.Tests.MlNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Reliability;

/// <summary>
/// Backward compatibility: model zips saved by format version 1 (committed under Fixtures/compat/) must load and
/// reproduce their recorded predictions bit for bit. Regenerate them (only when the format deliberately changes, and
/// keep the old ones as well) with BNMLNET_REGENERATE_COMPAT=1.
/// </summary>
[TestClass]
public sealed class CompatibilityTests
{
    private static readonly SyntheticData.Task[] Tasks = [SyntheticData.Task.Binary, SyntheticData.Task.Multiclass, SyntheticData.Task.Regression];

    private static string FixtureDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "compat");

    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Multiclass)]
    [DataRow(SyntheticData.Task.Regression)]
    public void SavedModelReproducesItsRecordedPredictionsBitForBit(SyntheticData.Task task)
    {
        string name = task.ToString().ToLowerInvariant();
        string zip = Path.Combine(FixtureDirectory, $"v1-{name}.zip"), json = Path.Combine(FixtureDirectory, $"v1-{name}.predictions.json");
        Assert.IsTrue(File.Exists(zip) && File.Exists(json), $"missing fixture {zip} / {json}");
        var recorded = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.AreEqual(1, (int)recorded["payloadVersion"]!);
        var rows = recorded["input"]!.AsArray().Select(ParseRow).ToList();

        var ml = new MLContext();
        var model = ml.Model.Load(zip, out _);
        var actual = Predictions(ml, model, ml.Data.LoadFromEnumerable(rows), task);
        var expected = recorded["output"]!.AsObject();
        Assert.HasCount(expected.Count, actual);
        foreach (var (column, values) in expected)
        {
            var mine = actual[column]!.AsArray().Select(v => v!.ToJsonString()).ToArray();
            var theirs = values!.AsArray().Select(v => v!.ToJsonString()).ToArray();
            CollectionAssert.AreEqual(theirs, mine, $"{task} column {column}");
        }
        Assert.IsGreaterThan(0, expected.Count);
    }

    [TestMethod]
    public void RegenerateFixturesWhenAsked()
    {
        if (Environment.GetEnvironmentVariable("BNMLNET_REGENERATE_COMPAT") != "1")
            return;   // a no-op unless asked: the committed fixtures are the point
        string target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(SourceFile())!, "..", "Fixtures", "compat"));
        Directory.CreateDirectory(target);
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(SyntheticData.Rows(240, seed: 1));
        var probe = SyntheticData.Rows(24, seed: 99);
        foreach (var task in Tasks)
        {
            string name = task.ToString().ToLowerInvariant();
            var model = SyntheticData.Pipeline(ml, task, epochs: 3).Fit(train);
            ml.Model.Save(model, train.Schema, Path.Combine(target, $"v1-{name}.zip"));
            var output = Predictions(ml, model, ml.Data.LoadFromEnumerable(probe), task);
            var document = new JsonObject
            {
                ["payloadVersion"] = 1,
                ["note"] = "Written by CompatibilityTests.RegenerateFixturesWhenAsked (BNMLNET_REGENERATE_COMPAT=1). Floats are round-trip strings.",
                ["input"] = new JsonArray(probe.Select(r => (JsonNode)new JsonObject
                {
                    ["Color"] = r.Color, ["X1"] = F(r.X1), ["X2"] = F(r.X2), ["Class"] = r.Class, ["IsPositive"] = r.IsPositive, ["Target"] = F(r.Target),
                }).ToArray()),
                ["output"] = output,
            };
            File.WriteAllText(Path.Combine(target, $"v1-{name}.predictions.json"), document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
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

    private static JsonObject Predictions(MLContext ml, ITransformer model, IDataView input, SyntheticData.Task task)
    {
        var scored = model.Transform(input);
        JsonArray Floats(IEnumerable<float> values) => new(values.Select(v => (JsonNode)JsonValue.Create(F(v))!).ToArray());
        var result = new JsonObject();
        switch (task)
        {
            case SyntheticData.Task.Binary:
                result["Score"] = Floats(scored.GetColumn<float>("Score"));
                result["Probability"] = Floats(scored.GetColumn<float>("Probability"));
                result["PredictedLabel"] = new JsonArray(scored.GetColumn<bool>("PredictedLabel").Select(b => (JsonNode)JsonValue.Create(b)!).ToArray());
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
