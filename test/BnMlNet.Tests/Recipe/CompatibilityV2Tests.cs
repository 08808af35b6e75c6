using System.Globalization;
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
/// checked by Persistence/CompatibilityTests. The files were written by <see cref="CompatibilityV2Fixture.WriteFixtures"/>
/// (<c>dotnet run --project tools/CompatFixtures -- recipe-v2</c>, which never overwrites).
/// </summary>
[TestClass]
public sealed class CompatibilityV2Tests
{
    private static string FixtureDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "compat");

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
        var rows = recorded["input"]!.AsArray().Select(CompatibilityV2Fixture.ParseRow).ToList();
        Assert.IsTrue(rows.Any(r => float.IsNaN(r.X1)) && rows.Any(r => float.IsPositiveInfinity(r.X2)), "the probe holds NaN and +∞");

        var ml = new MLContext();
        var model = ml.Model.Load(zip, out _);
        var parameters = ((IEnumerable<ITransformer>)model).OfType<ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters>>().Single().Model;
        Assert.IsNotNull(parameters.Preprocessing, "a version-2 model carries its preprocessing");
        var actual = CompatibilityV2Fixture.Predictions(model, ml.Data.LoadFromEnumerable(rows), task);
        var expected = recorded["output"]!.AsObject();
        Assert.HasCount(expected.Count, actual);
        foreach (var (column, values) in expected)
            CollectionAssert.AreEqual(values!.AsArray().Select(v => v!.ToJsonString()).ToArray(),
                actual[column]!.AsArray().Select(v => v!.ToJsonString()).ToArray(), $"{task} column {column}");
    }
}
