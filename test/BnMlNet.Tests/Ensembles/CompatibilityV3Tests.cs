using System.Text.Json.Nodes;
using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Persistence;
using BnMlNet.Tests.Recipe;
using Microsoft.ML;

namespace BnMlNet.Tests.Ensembles;

/// <summary>
/// Model zips of payload format version 3 (an ensemble of <see cref="CompatibilityV3Fixture.Members"/> members) load and
/// reproduce their recorded predictions bit for bit, on probe rows holding NaN and ±∞. The v1 and v2 fixtures are
/// checked by Persistence/CompatibilityTests and Recipe/CompatibilityV2Tests.
/// </summary>
[TestClass]
public sealed class CompatibilityV3Tests
{
    private static string FixtureDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "compat");

    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Multiclass)]
    [DataRow(SyntheticData.Task.Regression)]
    public void Version3EnsembleReproducesItsRecordedPredictionsBitForBit(SyntheticData.Task task)
    {
        string name = task.ToString().ToLowerInvariant();
        string zip = Path.Combine(FixtureDirectory, $"v3-ensemble-{name}.zip"), json = Path.Combine(FixtureDirectory, $"v3-ensemble-{name}.predictions.json");
        Assert.IsTrue(File.Exists(zip) && File.Exists(json), $"missing fixture {zip} / {json}");
        var recorded = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.AreEqual(3, (int)recorded["payloadVersion"]!);
        var rows = recorded["input"]!.AsArray().Select(CompatibilityV2Fixture.ParseRow).ToList();

        var ml = new MLContext();
        var model = ml.Model.Load(zip, out _);
        var parameters = ((IEnumerable<ITransformer>)model).OfType<ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters>>().Single().Model;
        Assert.AreEqual(CompatibilityV3Fixture.Members * parameters.OutputCount, parameters.Layers[^1].OutputSize, "the members are side by side");
        var actual = CompatibilityV2Fixture.Predictions(model, ml.Data.LoadFromEnumerable(rows), task);
        var expected = recorded["output"]!.AsObject();
        Assert.HasCount(expected.Count, actual);
        foreach (var (column, values) in expected)
            CollectionAssert.AreEqual(values!.AsArray().Select(v => v!.ToJsonString()).ToArray(),
                actual[column]!.AsArray().Select(v => v!.ToJsonString()).ToArray(), $"{task} column {column}");
    }

    [TestMethod]
    public void Version3IsWrittenOnlyForAnEnsemble()
    {
        static int PayloadVersion(byte[] zip)
        {
            var (_, entry) = ModelZip.FindOurEntry(zip);
            return BitConverter.ToInt32(entry, ModelZip.PayloadStart(entry) + 8);
        }
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.Rows(120, 1));
        var single = SyntheticData.Pipeline(ml, SyntheticData.Task.Binary, epochs: 1).Fit(data);
        var ensemble = CompatibilityV3Fixture.Pipeline(ml, SyntheticData.Task.Binary).Fit(data);
        Assert.AreEqual(2, PayloadVersion(ModelZip.Save(ml, single, data.Schema)), "k = 1 stays in version 2");
        Assert.AreEqual(3, PayloadVersion(ModelZip.Save(ml, ensemble, data.Schema)), "k > 1 is version 3");
        Assert.AreEqual(3, PayloadVersion(File.ReadAllBytes(Path.Combine(FixtureDirectory, "v3-ensemble-binary.zip"))));
        Assert.AreEqual(2, PayloadVersion(File.ReadAllBytes(Path.Combine(FixtureDirectory, "v2-binary.zip"))));
        Assert.AreEqual(1, PayloadVersion(File.ReadAllBytes(Path.Combine(FixtureDirectory, "v1-binary.zip"))));
    }
}
