using BnMlNet.Tests.Onnx;
using BnMlNet.Tests.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Tests.EmbeddingBatchNorm;

/// <summary>
/// The batch norm on the embeddings' outputs through the ML.NET surface: a contradictory setting is a clear error naming
/// the option, the option changes the model but not its payload version (the frozen model carries it folded into the
/// first layer), Transform, PredictionEngine and ONNX Runtime agree on every task, and a saved model scores the same
/// bits in a fresh process.
/// </summary>
[TestClass]
public sealed class EmbeddingBatchNormScoringTests
{
    private static float[] AllScores(ITransformer model, IDataView data, OnnxTask task)
    {
        var scored = model.Transform(data);
        return task == OnnxTask.Multiclass
            ? scored.GetColumn<float[]>("Score").SelectMany(s => s).ToArray()
            : scored.GetColumn<float>("Score").ToArray();
    }

    private static OnnxTestData.Net On(int epochs, NumericEmbedding numeric = NumericEmbedding.None,
        CategoricalEmbedding categorical = CategoricalEmbedding.Learned, int members = 1) =>
        new(Epochs: epochs, Embedding: numeric, Categorical: categorical, EnsembleSize: members, EmbeddingBatchNorm: true);

    [TestMethod]
    public void WithoutAnyEmbedding_TheOptionIsAClearErrorNamingIt()
    {
        var ml = new MLContext(seed: 1);
        var options = new BatchNormMlpBinaryTrainer.Options
        {
            EmbeddingBatchNorm = true, CategoricalEmbedding = CategoricalEmbedding.None, NumericEmbedding = NumericEmbedding.None,
        };
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.BatchNormMlp(options));
        Assert.AreEqual(nameof(BatchNormMlpOptionsBase.EmbeddingBatchNorm), e.ParamName);
        StringAssert.Contains(e.Message, "CategoricalEmbedding");
        StringAssert.Contains(e.Message, "NumericEmbedding");
        // Either embedding on is enough; the defaults (the categorical embedding on) accept it.
        ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options { EmbeddingBatchNorm = true });
        ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options
        {
            EmbeddingBatchNorm = true, CategoricalEmbedding = CategoricalEmbedding.None, NumericEmbedding = NumericEmbedding.Periodic,
        });
        Assert.IsFalse(new BatchNormMlpRegressionTrainer.Options().EmbeddingBatchNorm, "off by default");
    }

    [TestMethod]
    [DataRow(NumericEmbedding.None, 2)]
    [DataRow(NumericEmbedding.Periodic, 5)]
    public void TheOptionChangesTheModel_ButNotItsPayloadVersion(NumericEmbedding numeric, int version)
    {
        var ml = new MLContext(seed: 1);
        var (train, test, _) = OnnxTestData.Split(ml);
        (int Version, float[] Scores) Fit(bool on)
        {
            var model = OnnxTestData.Pipeline(ml, OnnxTask.Binary, new OnnxTestData.Net(Epochs: 3, Embedding: numeric,
                Categorical: CategoricalEmbedding.Learned, EmbeddingBatchNorm: on)).Fit(train);
            var (_, entry) = ModelZip.FindOurEntry(ModelZip.Save(ml, model, train.Schema));
            return (BitConverter.ToInt32(entry, ModelZip.PayloadStart(entry) + 8), AllScores(model, test, OnnxTask.Binary));
        }
        var off = Fit(false);
        var on = Fit(true);
        Assert.AreEqual(version, off.Version, "without it");
        Assert.AreEqual(version, on.Version, "with it: no new payload version");
        Assert.IsTrue(on.Scores.All(float.IsFinite));
        CollectionAssert.AreNotEqual(off.Scores, on.Scores, "the batch norm changes the model");
    }

    [TestMethod]
    [DataRow(OnnxTask.Binary, NumericEmbedding.None, CategoricalEmbedding.Learned, 1)]
    [DataRow(OnnxTask.Multiclass, NumericEmbedding.None, CategoricalEmbedding.Learned, 1)]
    [DataRow(OnnxTask.Regression, NumericEmbedding.None, CategoricalEmbedding.Learned, 1)]
    [DataRow(OnnxTask.Binary, NumericEmbedding.Periodic, CategoricalEmbedding.Learned, 1)]
    [DataRow(OnnxTask.Regression, NumericEmbedding.Periodic, CategoricalEmbedding.None, 1)]
    [DataRow(OnnxTask.Multiclass, NumericEmbedding.Periodic, CategoricalEmbedding.Learned, 3)]
    public void TransformPredictionEngineAndOnnxRuntimeAgree(OnnxTask task, NumericEmbedding numeric, CategoricalEmbedding categorical, int members)
    {
        var ml = new MLContext(seed: 1);
        var (train, test, testRows) = OnnxTestData.Split(ml);
        var model = OnnxTestData.Pipeline(ml, task, On(4, numeric, categorical, members)).Fit(train);
        byte[] onnx = OnnxRunner.Export(ml, model, train);
        OnnxParity.AssertOutputsMatch(ml, task, model, test, OnnxRunner.Run(onnx, testRows), $"{task} with the embeddings' batch norm");
        using (BatchNormMlpOnnxExport.FoldBatchNormalization())
            OnnxParity.AssertOutputsMatch(ml, task, model, test, OnnxRunner.Run(OnnxRunner.Export(ml, model, train), testRows), $"folded {task}");

        var scores = AllScores(model, test, task);
        Assert.IsTrue(scores.All(float.IsFinite));
        PredictionEngineParity.AssertMatchesTransform(ml, model, testRows, scores, task);
    }

    [TestMethod]
    [DataRow(OnnxTask.Binary, NumericEmbedding.None)]
    [DataRow(OnnxTask.Multiclass, NumericEmbedding.Periodic)]
    [DataRow(OnnxTask.Regression, NumericEmbedding.Periodic)]
    public void RoundTripsInAFreshProcessBitForBit(OnnxTask task, NumericEmbedding numeric)
    {
        var ml = new MLContext(seed: 1);
        var (train, test, _) = OnnxTestData.Split(ml);
        var model = OnnxTestData.Pipeline(ml, task, On(4, numeric)).Fit(train);
        var expected = AllScores(model, test, task);
        Assert.IsTrue(expected.All(float.IsFinite));
        FreshProcess.RoundTrip(ml, model, train.Schema, test, reloaded =>
            CollectionAssert.AreEqual(expected, task == OnnxTask.Multiclass
                ? reloaded.GetColumn<float[]>("Score").SelectMany(s => s).ToArray()
                : reloaded.GetColumn<float>("Score").ToArray()));
    }
}
