using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Persistence;

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
        CompatibilityHarness.AssertVersionFixtureReproduces("v3-ensemble", task, payloadVersion: 3, fixture =>
        {
            var parameters = fixture.Parameters;
            Assert.AreEqual(CompatibilityV3Fixture.Members * parameters.OutputCount, parameters.Layers[^1].OutputSize, "the members are side by side");
        });
    }

    [TestMethod]
    public void Version3IsWrittenOnlyForAnEnsemble()
    {
        var version = new CompatibilityHarness.WrittenVersion();
        Assert.AreEqual(2, version.Of(SyntheticData.Pipeline(version.Ml, SyntheticData.Task.Binary, epochs: 1)), "k = 1 stays in version 2");
        Assert.AreEqual(3, version.Of(CompatibilityV3Fixture.Pipeline(version.Ml, SyntheticData.Task.Binary)), "k > 1 is version 3");
        Assert.AreEqual(3, CompatibilityHarness.PayloadVersion(CompatibilityHarness.ReadZip("v3-ensemble-binary.zip")));
        Assert.AreEqual(2, CompatibilityHarness.PayloadVersion(CompatibilityHarness.ReadZip("v2-binary.zip")));
        Assert.AreEqual(1, CompatibilityHarness.PayloadVersion(CompatibilityHarness.ReadZip("v1-binary.zip")));
    }
}
