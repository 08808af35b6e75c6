using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Persistence;

namespace BnMlNet.Tests.Embedding;

/// <summary>
/// Payload format version 6 (an ensemble sharing a numerical embedding; the version 5 layout under a new number, so a
/// build that reads up to version 5 asks for an upgrade instead of calling the model damaged): the committed fixtures
/// load and reproduce their recorded predictions bit for bit; version 6 is written only for an ensemble with an embedding (an ensemble without one stays version 3, CompatibilityV3Tests);
/// relabelled payloads are refused; a model round-trips in a fresh process bit for bit.
/// </summary>
[TestClass]
public sealed class CompatibilityV6Tests
{
    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Multiclass)]
    [DataRow(SyntheticData.Task.Regression)]
    public void Version6SharedEmbeddingModelReproducesItsRecordedPredictionsBitForBit(SyntheticData.Task task)
    {
        CompatibilityHarness.AssertVersionFixtureReproduces("v6-shared-embedding", task, payloadVersion: 6, fixture =>
        {
            Assert.IsNotNull(fixture.Parameters.Embedding, "the embedding is loaded");
            Assert.AreEqual(CompatibilityV6Fixture.Members, fixture.Parameters.EnsembleSize, "the members are loaded");
        });
    }

    [TestMethod]
    public void Version6IsWrittenOnlyForAnEnsembleWithAnEmbedding()
    {
        var version = new CompatibilityHarness.WrittenVersion();
        Assert.AreEqual(5, version.Of(CompatibilityV5Fixture.Pipeline(version.Ml, SyntheticData.Task.Binary, epochs: 1)), "one network with an embedding: version 5 as before");
        Assert.AreEqual(6, version.Of(CompatibilityV6Fixture.Pipeline(version.Ml, SyntheticData.Task.Binary, epochs: 1)), "members sharing an embedding: version 6");
    }

    [TestMethod]
    public void ForeignLayoutsUnderVersion6AreRefused()
    {
        // a version-6 payload relabelled as version 5: version 5 never held members
        CompatibilityHarness.AssertRelabelledIsRefused("v6-shared-embedding-binary.zip", version: 6, relabelled: 5,
            $"The BatchNormMlp model in this file is damaged: a version 5 payload holds a single network, not {CompatibilityV6Fixture.Members} members");
        // a version-5 payload relabelled as version 6: the ensemble is missing
        CompatibilityHarness.AssertRelabelledIsRefused("v5-embedding-binary.zip", version: 5, relabelled: 6,
            "The BatchNormMlp model in this file is damaged: a version 6 payload holds an ensemble with a numerical embedding, and this one lacks the ensemble");
        // a version-3 ensemble relabelled as version 6: the parser runs out of bytes where the policy and embedding should be
        CompatibilityHarness.AssertRelabelledIsRefused("v3-ensemble-binary.zip", version: 3, relabelled: 6,
            "The BatchNormMlp model in this file is damaged: it ends early (truncated)");
        // a newer version asks for an upgrade
        CompatibilityHarness.AssertRelabelledIsRefused("v6-shared-embedding-binary.zip", version: 6, relabelled: 8, CompatibilityHarness.UpgradeMessage);
    }

    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Multiclass)]
    [DataRow(SyntheticData.Task.Regression)]
    public void RoundTripsInAFreshProcessBitForBit(SyntheticData.Task task) =>
        CompatibilityHarness.AssertRoundTripsInAFreshProcessBitForBit(ml => CompatibilityV6Fixture.Pipeline(ml, task));
}
