using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Persistence;
using BnMlNet.Tests.Recipe;
using Microsoft.ML;
using Microsoft.ML.Data;

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
        var fixture = CompatibilityHarness.Open("v5-embedding", task, payloadVersion: 5);
        Assert.AreEqual(5, CompatibilityHarness.PayloadVersion(File.ReadAllBytes(fixture.Zip)));
        Assert.IsNotNull(fixture.Parameters.Embedding, "the embedding is loaded");
        CompatibilityHarness.AssertReproducesItsRecordedPredictions(fixture, task);
    }

    [TestMethod]
    public void Version5IsWrittenOnlyForAModelWithAnEmbedding()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.Rows(120, 1));
        var plain = SyntheticData.Pipeline(ml, SyntheticData.Task.Binary, epochs: 1).Fit(data);
        var embedded = CompatibilityV5Fixture.Pipeline(ml, SyntheticData.Task.Binary).Fit(data);
        Assert.AreEqual(2, CompatibilityHarness.PayloadVersion(ModelZip.Save(ml, plain, data.Schema)), "no embedding: the version as before");
        Assert.AreEqual(5, CompatibilityHarness.PayloadVersion(ModelZip.Save(ml, embedded, data.Schema)), "an embedding is version 5");
    }

    [TestMethod]
    public void ForeignLayoutsUnderVersion5AndDamagedEmbeddingsAreRefused()
    {
        // a version-4 payload relabelled as version 5: the parser runs out of bytes where the embedding block should be
        DamagedModelTests.AssertClearFailure(CompatibilityHarness.LoadRelabelled("v4-nonfinite-binary.zip", version: 4, relabelled: 5),
            "The BatchNormMlp model in this file is damaged: it ends early (truncated)");
        // a version-5 payload relabelled as version 4: the embedding block is left over
        DamagedModelTests.AssertClearFailure(CompatibilityHarness.LoadRelabelled("v5-embedding-binary.zip", version: 5, relabelled: 4),
            "The BatchNormMlp model in this file is damaged");
        byte[] zip = CompatibilityHarness.ReadZip("v5-embedding-binary.zip");
        var (name, entry) = ModelZip.FindOurEntry(zip);
        // a non-finite embedding bias (the last float of the payload) is damage, named
        DamagedModelTests.AssertClearFailure(CompatibilityHarness.LoadWithEntry(zip, name, ModelZip.Resealed(entry, p => BitConverter.GetBytes(float.NaN).CopyTo(p, p.Length - 4))),
            "The BatchNormMlp model in this file is damaged: The embedding's bias");
        Assert.IsNull(CompatibilityHarness.LoadWithEntry(zip, name, ModelZip.Resealed(entry, _ => { })), "the untouched resealed entry loads, so the edits above are what fails");
    }

    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Regression)]
    public void RoundTripsInAFreshProcessBitForBit(SyntheticData.Task task)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(CompatibilityV2Fixture.WithHoles(SyntheticData.Rows(240, 1)));
        var probe = ml.Data.LoadFromEnumerable(CompatibilityV2Fixture.WithHoles(SyntheticData.Rows(60, 2)));
        var model = CompatibilityV5Fixture.Pipeline(ml, task).Fit(train);
        FreshProcess.RoundTrip(ml, model, train.Schema, probe, reloaded =>
        {
            var scores = model.Transform(probe).GetColumn<float>("Score").ToArray();
            Assert.IsTrue(scores.All(float.IsFinite));
            CollectionAssert.AreEqual(scores, reloaded.GetColumn<float>("Score").ToArray());
        });
    }
}
