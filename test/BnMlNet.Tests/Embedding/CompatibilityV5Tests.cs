using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Persistence;

namespace BnMlNet.Tests.Embedding;

/// <summary>
/// Payload format version 5 (the numerical embedding): the committed fixtures load and reproduce their recorded
/// predictions bit for bit; version 5 is written only for a model with an embedding; a model with one round-trips in a
/// fresh process bit for bit. Older fixtures are checked by their own tests (v1–v4).
/// </summary>
[TestClass]
public sealed class CompatibilityV5Tests
{
    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Multiclass)]
    [DataRow(SyntheticData.Task.Regression)]
    public void Version5EmbeddingModelReproducesItsRecordedPredictionsBitForBit(SyntheticData.Task task)
    {
        CompatibilityHarness.AssertVersionFixtureReproduces("v5-embedding", task, payloadVersion: 5,
            fixture => Assert.IsNotNull(fixture.Parameters.Embedding, "the embedding is loaded"));
    }

    [TestMethod]
    public void Version5IsWrittenOnlyForAModelWithAnEmbedding()
    {
        var version = new CompatibilityHarness.WrittenVersion();
        Assert.AreEqual(2, version.Of(SyntheticData.Pipeline(version.Ml, SyntheticData.Task.Binary, epochs: 1)), "no embedding: the version as before");
        Assert.AreEqual(5, version.Of(CompatibilityV5Fixture.Pipeline(version.Ml, SyntheticData.Task.Binary)), "an embedding is version 5");
    }

    [TestMethod]
    public void ForeignLayoutsUnderVersion5AndDamagedEmbeddingsAreRefused()
    {
        // a version-4 payload relabelled as version 5: the parser runs out of bytes where the embedding block should be
        CompatibilityHarness.AssertRelabelledIsRefused("v4-nonfinite-binary.zip", version: 4, relabelled: 5,
            "The BatchNormMlp model in this file is damaged: it ends early (truncated)");
        // a version-5 payload relabelled as version 4: the embedding block is left over
        CompatibilityHarness.AssertRelabelledIsRefused("v5-embedding-binary.zip", version: 5, relabelled: 4,
            "The BatchNormMlp model in this file is damaged");
        var (zip, name, entry) = CompatibilityHarness.OpenEntry("v5-embedding-binary.zip");
        // a non-finite embedding bias (the last float of the payload) is damage, named
        DamagedModelTests.AssertClearFailure(CompatibilityHarness.LoadWithEntry(zip, name, ModelZip.Resealed(entry, p => BitConverter.GetBytes(float.NaN).CopyTo(p, p.Length - 4))),
            "The BatchNormMlp model in this file is damaged: The embedding's bias");
        CompatibilityHarness.AssertResealedCopyLoads("v5-embedding-binary.zip");
    }

    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Regression)]
    public void RoundTripsInAFreshProcessBitForBit(SyntheticData.Task task) =>
        CompatibilityHarness.AssertRoundTripsInAFreshProcessBitForBit(ml => CompatibilityV5Fixture.Pipeline(ml, task));
}
