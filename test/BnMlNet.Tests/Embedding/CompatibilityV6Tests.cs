using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Persistence;
using BnMlNet.Tests.Recipe;
using Microsoft.ML;
using Microsoft.ML.Data;

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
        var fixture = CompatibilityHarness.Open("v6-shared-embedding", task, payloadVersion: 6);
        Assert.AreEqual(6, CompatibilityHarness.PayloadVersion(File.ReadAllBytes(fixture.Zip)));
        Assert.IsNotNull(fixture.Parameters.Embedding, "the embedding is loaded");
        Assert.AreEqual(CompatibilityV6Fixture.Members, fixture.Parameters.EnsembleSize, "the members are loaded");
        CompatibilityHarness.AssertReproducesItsRecordedPredictions(fixture, task);
    }

    [TestMethod]
    public void Version6IsWrittenOnlyForAnEnsembleWithAnEmbedding()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.Rows(120, 1));
        int VersionOf(IEstimator<ITransformer> pipeline) => CompatibilityHarness.PayloadVersion(ModelZip.Save(ml, pipeline.Fit(data), data.Schema));
        Assert.AreEqual(5, VersionOf(CompatibilityV5Fixture.Pipeline(ml, SyntheticData.Task.Binary, epochs: 1)), "one network with an embedding: version 5 as before");
        Assert.AreEqual(6, VersionOf(CompatibilityV6Fixture.Pipeline(ml, SyntheticData.Task.Binary, epochs: 1)), "members sharing an embedding: version 6");
    }

    [TestMethod]
    public void ForeignLayoutsUnderVersion6AreRefused()
    {
        // a version-6 payload relabelled as version 5: version 5 never held members
        DamagedModelTests.AssertClearFailure(CompatibilityHarness.LoadRelabelled("v6-shared-embedding-binary.zip", version: 6, relabelled: 5),
            $"The BatchNormMlp model in this file is damaged: a version 5 payload holds a single network, not {CompatibilityV6Fixture.Members} members");
        // a version-5 payload relabelled as version 6: the ensemble is missing
        DamagedModelTests.AssertClearFailure(CompatibilityHarness.LoadRelabelled("v5-embedding-binary.zip", version: 5, relabelled: 6),
            "The BatchNormMlp model in this file is damaged: a version 6 payload holds an ensemble with a numerical embedding, and this one lacks the ensemble");
        // a version-3 ensemble relabelled as version 6: the parser runs out of bytes where the policy and embedding should be
        DamagedModelTests.AssertClearFailure(CompatibilityHarness.LoadRelabelled("v3-ensemble-binary.zip", version: 3, relabelled: 6),
            "The BatchNormMlp model in this file is damaged: it ends early (truncated)");
        // a newer version asks for an upgrade
        DamagedModelTests.AssertClearFailure(CompatibilityHarness.LoadRelabelled("v6-shared-embedding-binary.zip", version: 6, relabelled: 8),
            "This BatchNormMlp model was saved in payload format version 8; this build of BnMlNet reads up to version 7. Upgrade the BnMlNet package to load it.");
    }

    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Multiclass)]
    [DataRow(SyntheticData.Task.Regression)]
    public void RoundTripsInAFreshProcessBitForBit(SyntheticData.Task task)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(CompatibilityV2Fixture.WithHoles(SyntheticData.Rows(240, 1)));
        var probe = ml.Data.LoadFromEnumerable(CompatibilityV2Fixture.WithHoles(SyntheticData.Rows(60, 2)));
        var model = CompatibilityV6Fixture.Pipeline(ml, task).Fit(train);
        FreshProcess.RoundTrip(ml, model, train.Schema, probe, reloaded =>
        {
            var scores = Flat(model.Transform(probe));
            Assert.IsTrue(scores.All(float.IsFinite));
            CollectionAssert.AreEqual(scores, Flat(reloaded));
        });
    }

    private static float[] Flat(IDataView v) => v.Schema["Score"].Type is VectorDataViewType
        ? v.GetColumn<VBuffer<float>>("Score").SelectMany(b => b.DenseValues()).ToArray()
        : v.GetColumn<float>("Score").ToArray();
}
