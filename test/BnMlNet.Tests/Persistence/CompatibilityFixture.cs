using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BnMlNet.Tests.MlNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Tests.Persistence;

/// <summary>
/// How the compatibility fixtures (Fixtures/compat/v{N}-{task}.zip + .predictions.json) are made and read. The tests
/// read them; tools/CompatFixtures (which compiles this file) writes them, only when the format deliberately changes.
/// </summary>
public static class CompatibilityFixture
{
    /// <summary>The tasks a fixture set covers.</summary>
    public static readonly SyntheticData.Task[] Tasks = [SyntheticData.Task.Binary, SyntheticData.Task.Multiclass, SyntheticData.Task.Regression];

    /// <summary>The file names of one fixture.</summary>
    public static (string Zip, string Json) Files(string directory, int version, SyntheticData.Task task)
    {
        string name = task.ToString().ToLowerInvariant();
        return (Path.Combine(directory, $"v{version}-{name}.zip"), Path.Combine(directory, $"v{version}-{name}.predictions.json"));
    }

    /// <summary>
    /// Trains the synthetic pipelines, saves them and records their predictions on a fixed probe set, as
    /// v{<paramref name="version"/>} fixtures in <paramref name="directory"/>. Refuses to overwrite an existing file.
    /// </summary>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> Write(string directory, int version)
    {
        var files = Tasks.SelectMany(t => { var (z, j) = Files(directory, version, t); return new[] { z, j }; }).ToList();
        if (files.FirstOrDefault(File.Exists) is { } existing)
            throw new IOException($"{existing} already exists. Fixtures of a released format version are never rewritten; " +
                "bump the model format version and write new ones beside the old.");
        Directory.CreateDirectory(directory);
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(SyntheticData.Rows(240, seed: 1));
        var probe = SyntheticData.Rows(24, seed: 99);
        foreach (var task in Tasks)
        {
            var (zip, json) = Files(directory, version, task);
            var model = SyntheticData.Pipeline(ml, task, epochs: 3).Fit(train);
            ml.Model.Save(model, train.Schema, zip);
            var document = new JsonObject
            {
                ["payloadVersion"] = version,
                ["note"] = "Written by tools/CompatFixtures. Floats are round-trip strings.",
                ["input"] = new JsonArray(probe.Select(r => (JsonNode)new JsonObject
                {
                    ["Color"] = r.Color, ["X1"] = F(r.X1), ["X2"] = F(r.X2), ["Class"] = r.Class, ["IsPositive"] = r.IsPositive, ["Target"] = F(r.Target),
                }).ToArray()),
                ["output"] = Predictions(ml, model, ml.Data.LoadFromEnumerable(probe), task),
            };
            File.WriteAllText(json, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
        return files;
    }

    /// <summary>A float as the fixtures write it: a round-trip string.</summary>
    public static string F(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static float P(JsonNode? node) => float.Parse((string)node!, CultureInfo.InvariantCulture);

    /// <summary>One probe row read back from a fixture.</summary>
    public static RawRow ParseRow(JsonNode? node) => new()
    {
        Color = (string)node!["Color"]!, X1 = P(node["X1"]), X2 = P(node["X2"]), Class = (string)node["Class"]!,
        IsPositive = (bool)node["IsPositive"]!, Target = P(node["Target"]),
    };

    /// <summary>The output columns of <paramref name="task"/> for <paramref name="input"/>, as fixture JSON.</summary>
    public static JsonObject Predictions(MLContext ml, ITransformer model, IDataView input, SyntheticData.Task task)
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
