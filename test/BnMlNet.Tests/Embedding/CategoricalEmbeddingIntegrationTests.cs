using BnMlNet.Tests.Onnx;
using BnMlNet.Tests.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Tests.Embedding;

/// <summary>
/// The categorical embedding under ML.NET's CrossValidate and permutation feature importance, and a save/load round trip
/// through a fresh process (the folded model needs no new payload: it is saved in the format its other options call for).
/// </summary>
[TestClass]
public sealed class CategoricalEmbeddingIntegrationTests
{
    private static OnnxTestData.Net On(int epochs) => new(Epochs: epochs, Categorical: CategoricalEmbedding.Learned);

    [TestMethod]
    public void CrossValidateAndPermutationFeatureImportanceWithTheEmbedding()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(OnnxTestData.Rows(600, 3));
        var binary = OnnxTestData.Pipeline(ml, OnnxTask.Binary, On(20));
        var folds = ml.BinaryClassification.CrossValidate(data, binary, numberOfFolds: 3);
        Assert.IsTrue(folds.All(f => f.Metrics.AreaUnderRocCurve > 0.8), string.Join(", ", folds.Select(f => f.Metrics.AreaUnderRocCurve)));
        var r = ml.Regression.CrossValidate(data, OnnxTestData.Pipeline(ml, OnnxTask.Regression, On(20)), numberOfFolds: 3);
        Assert.IsTrue(r.All(f => f.Metrics.RSquared > 0.3), string.Join(", ", r.Select(f => f.Metrics.RSquared)));
        var m = ml.MulticlassClassification.CrossValidate(data, OnnxTestData.Pipeline(ml, OnnxTask.Multiclass, On(20)), numberOfFolds: 3);
        Assert.IsTrue(m.All(f => f.Metrics.MicroAccuracy > 0.6), string.Join(", ", m.Select(f => f.Metrics.MicroAccuracy)));

        // Features = [4 colour slots (embedded), X1, X2, X3]; the label depends on X1 most.
        var chain = binary.Fit(data);
        var parts = ((IEnumerable<ITransformer>)chain).ToList();
        IDataView featurized = data;
        foreach (var t in parts.Take(parts.Count - 1)) featurized = t.Transform(featurized);
        var pfi = ml.BinaryClassification.PermutationFeatureImportance((BinaryPredictionTransformer<BatchNormMlpModelParameters>)parts[^1], featurized, permutationCount: 1);
        Assert.HasCount(7, pfi);
        Assert.IsLessThan(-0.05, pfi[4].AreaUnderRocCurve.Mean, "permuting X1 hurts AUC");
        Assert.IsLessThan(pfi[0].AreaUnderRocCurve.Mean - 1e-9, pfi[4].AreaUnderRocCurve.Mean, "X1 matters more than one colour slot");
    }

    [TestMethod]
    [DataRow(NumericEmbedding.None, 2)]
    [DataRow(NumericEmbedding.Periodic, 5)]
    public void TheFoldedModelIsWrittenInThePayloadVersionOfTheSameOptionsWithoutIt(NumericEmbedding numeric, int version)
    {
        var ml = new MLContext(seed: 1);
        var (train, _, _) = OnnxTestData.Split(ml);
        int PayloadVersion(CategoricalEmbedding categorical)
        {
            var model = OnnxTestData.Pipeline(ml, OnnxTask.Binary, new OnnxTestData.Net(Epochs: 2, Embedding: numeric, Categorical: categorical)).Fit(train);
            var (_, entry) = ModelZip.FindOurEntry(ModelZip.Save(ml, model, train.Schema));
            return BitConverter.ToInt32(entry, ModelZip.PayloadStart(entry) + 8);
        }
        Assert.AreEqual(version, PayloadVersion(CategoricalEmbedding.None), "without it");
        Assert.AreEqual(version, PayloadVersion(CategoricalEmbedding.Learned), "with it: no new payload version");
    }

    [TestMethod]
    [DataRow(OnnxTask.Binary)]
    [DataRow(OnnxTask.Multiclass)]
    [DataRow(OnnxTask.Regression)]
    public void RoundTripsInAFreshProcessBitForBit(OnnxTask task)
    {
        var ml = new MLContext(seed: 1);
        var (train, test, _) = OnnxTestData.Split(ml);
        var model = OnnxTestData.Pipeline(ml, task, On(4)).Fit(train);
        FreshProcess.RoundTrip(ml, model, train.Schema, test, reloaded =>
        {
            if (task == OnnxTask.Multiclass)
            {
                var expected = model.Transform(test).GetColumn<float[]>("Score").SelectMany(s => s).ToArray();
                CollectionAssert.AreEqual(expected, reloaded.GetColumn<float[]>("Score").SelectMany(s => s).ToArray());
            }
            else
            {
                var expected = model.Transform(test).GetColumn<float>("Score").ToArray();
                Assert.IsTrue(expected.All(float.IsFinite));
                CollectionAssert.AreEqual(expected, reloaded.GetColumn<float>("Score").ToArray());
            }
        });
    }
}
