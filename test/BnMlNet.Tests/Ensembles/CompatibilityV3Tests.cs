using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Persistence;
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
    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Multiclass)]
    [DataRow(SyntheticData.Task.Regression)]
    public void Version3EnsembleReproducesItsRecordedPredictionsBitForBit(SyntheticData.Task task)
    {
        var fixture = CompatibilityHarness.Open("v3-ensemble", task, payloadVersion: 3);
        var parameters = fixture.Parameters;
        Assert.AreEqual(CompatibilityV3Fixture.Members * parameters.OutputCount, parameters.Layers[^1].OutputSize, "the members are side by side");
        CompatibilityHarness.AssertReproducesItsRecordedPredictions(fixture, task);
    }

    [TestMethod]
    public void Version3IsWrittenOnlyForAnEnsemble()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.Rows(120, 1));
        var single = SyntheticData.Pipeline(ml, SyntheticData.Task.Binary, epochs: 1).Fit(data);
        var ensemble = CompatibilityV3Fixture.Pipeline(ml, SyntheticData.Task.Binary).Fit(data);
        Assert.AreEqual(2, CompatibilityHarness.PayloadVersion(ModelZip.Save(ml, single, data.Schema)), "k = 1 stays in version 2");
        Assert.AreEqual(3, CompatibilityHarness.PayloadVersion(ModelZip.Save(ml, ensemble, data.Schema)), "k > 1 is version 3");
        Assert.AreEqual(3, CompatibilityHarness.PayloadVersion(CompatibilityHarness.ReadZip("v3-ensemble-binary.zip")));
        Assert.AreEqual(2, CompatibilityHarness.PayloadVersion(CompatibilityHarness.ReadZip("v2-binary.zip")));
        Assert.AreEqual(1, CompatibilityHarness.PayloadVersion(CompatibilityHarness.ReadZip("v1-binary.zip")));
    }
}
