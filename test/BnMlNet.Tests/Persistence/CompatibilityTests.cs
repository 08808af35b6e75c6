using System.Text.Json.Nodes;
using BnMlNet.Tests.MlNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Persistence;

/// <summary>
/// Backward compatibility: model zips saved by format version 1 (committed under Fixtures/compat/) must load and
/// reproduce their recorded predictions bit for bit. New ones are written (only when the format deliberately changes,
/// beside the old ones) by the tool: <c>dotnet run --project tools/CompatFixtures -- VERSION</c>.
/// </summary>
[TestClass]
public sealed class CompatibilityTests
{
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
        var rows = recorded["input"]!.AsArray().Select(CompatibilityFixture.ParseRow).ToList();

        var ml = new MLContext();
        var model = ml.Model.Load(zip, out _);
        var actual = CompatibilityFixture.Predictions(ml, model, ml.Data.LoadFromEnumerable(rows), task);
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
    public void TheFixtureToolWritesFixturesThatReproduceAndNeverOverwrites()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"bnmlnet-compat-{Guid.NewGuid():N}");
        try
        {
            var files = CompatibilityFixture.Write(dir, version: 99);
            Assert.HasCount(6, files);
            var ml = new MLContext();
            foreach (var task in CompatibilityFixture.Tasks)
            {
                var (zip, json) = CompatibilityFixture.Files(dir, 99, task);
                var recorded = JsonNode.Parse(File.ReadAllText(json))!;
                var rows = recorded["input"]!.AsArray().Select(CompatibilityFixture.ParseRow).ToList();
                var actual = CompatibilityFixture.Predictions(ml, ml.Model.Load(zip, out _), ml.Data.LoadFromEnumerable(rows), task);
                Assert.AreEqual(recorded["output"]!.ToJsonString(), actual.ToJsonString(), $"{task}");
            }
            var before = files.Select(File.ReadAllBytes).ToList();
            var e = Assert.ThrowsExactly<IOException>(() => CompatibilityFixture.Write(dir, version: 99));
            StringAssert.Contains(e.Message, "already exists");
            for (int i = 0; i < files.Count; i++) CollectionAssert.AreEqual(before[i], File.ReadAllBytes(files[i]), files[i]);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
