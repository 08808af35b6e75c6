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
    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Multiclass)]
    [DataRow(SyntheticData.Task.Regression)]
    public void SavedModelReproducesItsRecordedPredictionsBitForBit(SyntheticData.Task task)
    {
        var fixture = CompatibilityHarness.Open("v1", task, payloadVersion: 1);
        CompatibilityHarness.AssertReproducesItsRecordedPredictions(fixture, task, withPredictedLabel: true);
        Assert.IsGreaterThan(0, fixture.Recorded["output"]!.AsObject().Count);
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
