using BnMlNet.Tests.MlNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Persistence;

/// <summary>Save with mlContext.Model.Save, load in this process and in a fresh one, and compare bit for bit.</summary>
[TestClass]
public sealed class PersistenceTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Multiclass)]
    [DataRow(SyntheticData.Task.Regression)]
    public void WholePipelineRoundTripsInAFreshProcessBitForBit(SyntheticData.Task task)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(SyntheticData.Rows(600, seed: 1));
        var test = ml.Data.LoadFromEnumerable(SyntheticData.Rows(200, seed: 2));
        var model = SyntheticData.Pipeline(ml, task).Fit(train);

        var expected = model.Transform(test);
        FreshProcess.RoundTrip(ml, model, train.Schema, test, actual => AssertSameScores(expected, actual, task));
    }

    [TestMethod]
    public void LoadedModelKeepsTheTypedTransformerAndItsStatistics()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(SyntheticData.Rows(300, seed: 1));
        var featurized = SyntheticData.Featurize(ml).Fit(train).Transform(ml.Transforms.CopyColumns("Label", "IsPositive").Fit(train).Transform(train));
        var trained = ml.BinaryClassification.Trainers.BatchNormMlp(hiddenLayerSizes: [8], numberOfEpochs: 3).Fit(featurized);

        using var stream = new MemoryStream();
        ml.Model.Save(trained, featurized.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext().Model.Load(stream, out _);

        var typed = loaded as ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters>;
        Assert.IsNotNull(typed, $"the loaded transformer is {loaded.GetType()}");
        var before = trained.Model.Layers;
        var after = typed.Model.Layers;
        Assert.HasCount(before.Count, after);
        for (int i = 0; i < before.Count; i++)
        {
            CollectionAssert.AreEqual(before[i].Weights.ToArray(), after[i].Weights.ToArray());
            if (before[i].BatchNorm is { } bn)
            {
                CollectionAssert.AreEqual(bn.RunningMean.ToArray(), after[i].BatchNorm!.RunningMean.ToArray());
                CollectionAssert.AreEqual(bn.RunningVariance.ToArray(), after[i].BatchNorm!.RunningVariance.ToArray());
            }
        }
        Assert.HasCount(3, typed.Model.TrainingHistory);
    }

    private static void AssertSameScores(IDataView expected, IDataView actual, SyntheticData.Task task)
    {
        if (task == SyntheticData.Task.Multiclass)
        {
            var e = expected.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
            var a = actual.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
            Assert.HasCount(e.Length, a);
            for (int i = 0; i < e.Length; i++) CollectionAssert.AreEqual(e[i], a[i], $"row {i}");
            CollectionAssert.AreEqual(
                expected.GetColumn<ReadOnlyMemory<char>>("PredictedClass").Select(m => m.ToString()).ToArray(),
                actual.GetColumn<ReadOnlyMemory<char>>("PredictedClass").Select(m => m.ToString()).ToArray());
            return;
        }
        CollectionAssert.AreEqual(expected.GetColumn<float>("Score").ToArray(), actual.GetColumn<float>("Score").ToArray());
        if (task == SyntheticData.Task.Binary)
        {
            CollectionAssert.AreEqual(expected.GetColumn<float>("Probability").ToArray(), actual.GetColumn<float>("Probability").ToArray());
            CollectionAssert.AreEqual(expected.GetColumn<bool>("PredictedLabel").ToArray(), actual.GetColumn<bool>("PredictedLabel").ToArray());
        }
    }
}
