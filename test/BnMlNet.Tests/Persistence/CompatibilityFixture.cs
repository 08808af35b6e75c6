using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BnMlNet.Tests.MlNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Tests.Persistence;

/// <summary>
/// How the compatibility fixtures (Fixtures/compat/{name}-{task}.zip + .predictions.json) are made and read: the v1
/// set here, the later sets (Recipe/CompatibilityV2Fixture, Ensembles/CompatibilityV3Fixture,
/// Scoring/CompatibilityV4Fixture, Embedding/CompatibilityV5Fixture) through <see cref="WriteSet"/>. The tests read them
/// (Persistence/CompatibilityHarness); tools/CompatFixtures (which compiles this file) writes them, only when the
/// format deliberately changes.
/// </summary>
public static class CompatibilityFixture
{
    /// <summary>The tasks a fixture set covers.</summary>
    public static readonly SyntheticData.Task[] Tasks = [SyntheticData.Task.Binary, SyntheticData.Task.Multiclass, SyntheticData.Task.Regression];

    /// <summary>The file names of one v{<paramref name="version"/>} fixture.</summary>
    public static (string Zip, string Json) Files(string directory, int version, SyntheticData.Task task) => Files(directory, $"v{version}", task);

    /// <summary>The file names of one fixture of the set <paramref name="name"/> (e.g. "v2", "v3-ensemble").</summary>
    public static (string Zip, string Json) Files(string directory, string name, SyntheticData.Task task)
    {
        string stem = Path.Combine(directory, $"{name}-{task.ToString().ToLowerInvariant()}");
        return (stem + ".zip", stem + ".predictions.json");
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
        return WriteSet(directory, $"v{version}", ml, train,
            task => SyntheticData.Pipeline(ml, task, epochs: 3).Fit(train),
            (task, model) => new JsonObject
            {
                ["payloadVersion"] = version,
                ["note"] = "Written by tools/CompatFixtures. Floats are round-trip strings.",
                ["input"] = Rows(probe),
                ["output"] = Predictions(ml, model, ml.Data.LoadFromEnumerable(probe), task),
            }).ToList();
    }

    /// <summary>
    /// Writes one fixture set into <paramref name="directory"/>: per task, {<paramref name="name"/>}-{task}.zip (the model
    /// <paramref name="fit"/> trains, saved with <paramref name="train"/>'s schema) and .predictions.json (the document
    /// <paramref name="describe"/> makes of it). Never overwrites: an existing file stops it with an <see cref="IOException"/>.
    /// </summary>
    /// <returns>The files written, as they are written.</returns>
    public static IEnumerable<string> WriteSet(string directory, string name, MLContext ml, IDataView train,
        Func<SyntheticData.Task, ITransformer> fit, Func<SyntheticData.Task, ITransformer, JsonObject> describe)
    {
        foreach (var task in Tasks)
        {
            var (zipPath, jsonPath) = Files(directory, name, task);
            if (File.Exists(zipPath) || File.Exists(jsonPath)) throw new IOException($"{zipPath} exists; fixtures are never overwritten.");
            var model = fit(task);
            ml.Model.Save(model, train.Schema, zipPath);
            File.WriteAllText(jsonPath, describe(task, model).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            yield return zipPath;
            yield return jsonPath;
        }
    }

    /// <summary>A float as the fixtures write it: a round-trip string.</summary>
    public static string F(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static float P(JsonNode? node) => float.Parse((string)node!, CultureInfo.InvariantCulture);

    /// <summary>One probe row as the fixtures write it.</summary>
    public static JsonObject Row(RawRow r) => new()
    {
        ["Color"] = r.Color, ["X1"] = F(r.X1), ["X2"] = F(r.X2), ["Class"] = r.Class, ["IsPositive"] = r.IsPositive, ["Target"] = F(r.Target),
    };

    /// <summary>Probe rows as the fixtures write them.</summary>
    public static JsonArray Rows(IEnumerable<RawRow> rows) => new(rows.Select(r => (JsonNode)Row(r)).ToArray());

    /// <summary>One probe row read back from a fixture.</summary>
    public static RawRow ParseRow(JsonNode? node) => new()
    {
        Color = (string)node!["Color"]!, X1 = P(node["X1"]), X2 = P(node["X2"]), Class = (string)node["Class"]!,
        IsPositive = (bool)node["IsPositive"]!, Target = P(node["Target"]),
    };

    /// <summary>The output columns of <paramref name="task"/> for <paramref name="input"/>, as v1 fixture JSON (binary with PredictedLabel).</summary>
    public static JsonObject Predictions(MLContext ml, ITransformer model, IDataView input, SyntheticData.Task task) =>
        Predictions(model, input, task, withPredictedLabel: true);

    /// <summary>
    /// The output columns of <paramref name="task"/> for <paramref name="input"/>, as fixture JSON: Score (and binary
    /// Probability, and PredictedLabel where <paramref name="withPredictedLabel"/>: the v1 fixtures record it, the later
    /// ones do not), multiclass PredictedClass.
    /// </summary>
    public static JsonObject Predictions(ITransformer model, IDataView input, SyntheticData.Task task, bool withPredictedLabel)
    {
        var scored = model.Transform(input);
        JsonArray Floats(IEnumerable<float> values) => new(values.Select(v => (JsonNode)JsonValue.Create(F(v))!).ToArray());
        var result = new JsonObject();
        switch (task)
        {
            case SyntheticData.Task.Binary:
                result["Score"] = Floats(scored.GetColumn<float>("Score"));
                result["Probability"] = Floats(scored.GetColumn<float>("Probability"));
                if (withPredictedLabel)
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
