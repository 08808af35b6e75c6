using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Persistence;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// Model zips of payload format version 2 (a preprocessing stage: robust scaling, median imputation with missing
/// indicators; regression with a standardized label; trained with a held-out validation set) must load and reproduce
/// their recorded predictions bit for bit, on probe rows holding NaN and ±∞ as well. The version-1 fixtures are
/// checked by Persistence/CompatibilityTests; both read the fixtures through Persistence/CompatibilityHarness. The files were written by <see cref="CompatibilityV2Fixture.WriteFixtures"/>
/// (<c>dotnet run --project tools/CompatFixtures -- recipe-v2</c>, which never overwrites).
/// </summary>
[TestClass]
public sealed class CompatibilityV2Tests
{
    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Multiclass)]
    [DataRow(SyntheticData.Task.Regression)]
    public void Version2ModelReproducesItsRecordedPredictionsBitForBit(SyntheticData.Task task)
    {
        var fixture = CompatibilityHarness.Open("v2", task, payloadVersion: 2);
        Assert.IsTrue(fixture.Input.Any(r => float.IsNaN(r.X1)) && fixture.Input.Any(r => float.IsPositiveInfinity(r.X2)), "the probe holds NaN and +∞");
        Assert.IsNotNull(fixture.Parameters.Preprocessing, "a version-2 model carries its preprocessing");
        CompatibilityHarness.AssertReproducesItsRecordedPredictions(fixture, task);
    }
}
