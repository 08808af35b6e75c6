using BnMlNet.Engine;
using BnMlNet.Engine.Training;
using BnMlNet.Tests.MlNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Recipe;

/// <summary>ValidationFraction: a seeded hold-out when Fit gets no validation set, with the best epoch kept.</summary>
[TestClass]
public sealed class ValidationHoldOutTests
{
    /// <summary>Rows whose first feature is the row index, so a split can be read back.</summary>
    private static DenseDataset Indexed(int rows)
    {
        var x = new float[rows * 2];
        var y = new float[rows];
        for (int i = 0; i < rows; i++) { x[2 * i] = i; x[2 * i + 1] = MathF.Sin(i); y[i] = i % 3; }
        return new DenseDataset(x, y, null, 2);
    }

    /// <summary>A source that is not a DenseDataset (as streamed data is not).</summary>
    private sealed class Opaque(IMiniBatchSource inner) : IMiniBatchSource
    {
        public int FeatureCount => inner.FeatureCount;
        public long RowCount => inner.RowCount;
        public IEnumerable<MiniBatch> GetBatches(int batchSize, Random? shuffle) => inner.GetBatches(batchSize, shuffle);
    }

    private static List<int> Indices(IMiniBatchSource s, Random? shuffle = null) =>
        s.GetBatches(7, shuffle).SelectMany(b => Enumerable.Range(0, b.Rows).Select(i => (int)b.Features.Span[i * 2])).ToList();

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void TheSplitIsSeededDisjointAndComplete(bool opaque)
    {
        IMiniBatchSource data = opaque ? new Opaque(Indexed(500)) : Indexed(500);
        var (train, valid) = HoldOut.Split(data, 0.2, seed: 9);
        var t = Indices(train);
        var v = Indices(valid);
        Assert.AreEqual(train.RowCount, t.Count);
        Assert.AreEqual(valid.RowCount, v.Count);
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 500).ToList(), t.Concat(v).ToList(), "every row on exactly one side");
        if (opaque) Assert.IsTrue(v.Count is > 70 and < 130, $"hashed hold-out of 20% kept {v.Count} of 500");
        else Assert.HasCount(100, v, "cached data: exactly round(N·f)");
        var (_, again) = HoldOut.Split(data, 0.2, seed: 9);
        CollectionAssert.AreEqual(v, Indices(again), "same seed, same split");
        var (_, other) = HoldOut.Split(data, 0.2, seed: 10);
        CollectionAssert.AreNotEqual(v, Indices(other), "another seed, another split");
        // A shuffled pass over the training side still yields only its own rows.
        CollectionAssert.AreEquivalent(t, Indices(train, new Random(1)));
    }

    [TestMethod]
    public void AFractionLeavingFewerThanTwoRowsOnASideIsAClearError()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => HoldOut.Split(Indexed(5), 0.2, 1));
        StringAssert.Contains(e.Message, "ValidationFraction 0.2 of 5 training rows leaves 4 row(s) to train on and 1 to validate on");
        Assert.ThrowsExactly<ArgumentException>(() => HoldOut.Split(Indexed(10), 0.9, 1));

        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.Rows(6, 1));
        var prep = ml.Transforms.CopyColumns("Label", nameof(RawRow.IsPositive)).Append(SyntheticData.Featurize(ml)).Fit(data);
        var fit = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.BatchNormMlp(
            new BatchNormMlpBinaryTrainer.Options { ValidationFraction = 0.1f, NumberOfEpochs = 1 }).Fit(prep.Transform(data)));
        StringAssert.Contains(fit.Message, "set ValidationFraction = 0");
    }

    [TestMethod]
    [DataRow(-0.1f)]
    [DataRow(1f)]
    [DataRow(float.NaN)]
    public void AnInvalidFractionIsRejectedNamingTheOption(float fraction)
    {
        var ml = new MLContext();
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options { ValidationFraction = fraction }));
        Assert.AreEqual(nameof(BatchNormMlpOptionsBase.ValidationFraction), e.ParamName);
    }

    [TestMethod]
    public void TheBestEpochsWeightsAndRunningStatisticsAreKept()
    {
        // Noisy, small: the held-out loss rises after a few epochs at this learning rate.
        var data = BnMlNet.Tests.Engine.TestData.TwoMoons(240, seed: 3, noise: 0.45);
        var settings = new TrainingSettings
        {
            Epochs = 40, LearningRate = 0.05f, BatchSize = 16, Seed = 2, ValidationFraction = 0.25f, EarlyStoppingPatience = 40,
        };
        var spec = new NetworkSpec(2, [64, 64], 1, InputBatchNorm: true);
        var result = new NetworkTrainer(spec, LossKind.BinaryLogLoss, settings).Train(data);
        Assert.IsTrue(result.HeldOutValidation);
        var losses = result.History.Select(r => r.ValidationLoss!.Value).ToList();
        int best = losses.IndexOf(losses.Min()) + 1;
        Assert.AreEqual(best, result.BestEpoch);
        Assert.IsLessThan(result.History.Count, best, "this set should overfit before the last epoch, or the test shows nothing");

        // Independently: the held-out rows' loss under the returned network is the best epoch's logged loss, which holds
        // only if the running statistics came back with the weights.
        var (_, valid) = HoldOut.Split(data, 0.25, settings.Seed);
        double sum = 0; long n = 0;
        var output = new float[1];
        var scratch = result.Network.CreateScratch();
        foreach (var b in valid.GetBatches(64, null))
            for (int i = 0; i < b.Rows; i++)
            {
                result.Network.Predict(b.Features.Span.Slice(i * 2, 2), output, scratch);
                double z = output[0], y = b.Labels.Span[i];
                sum += Math.Max(z, 0) - z * y + Math.Log(1 + Math.Exp(-Math.Abs(z)));
                n++;
            }
        Assert.AreEqual(losses[best - 1], sum / n, 1e-5);
    }

    [TestMethod]
    public void AnExplicitValidationSetWins()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(SyntheticData.Rows(240, 1));
        var valid = ml.Data.LoadFromEnumerable(SyntheticData.Rows(60, 2));
        var prep = ml.Transforms.CopyColumns("Label", nameof(RawRow.IsPositive)).Append(SyntheticData.Featurize(ml)).Fit(train);
        float[] Scores(float fraction)
        {
            var o = new BatchNormMlpBinaryTrainer.Options { ValidationFraction = fraction, HiddenLayerSizes = [8], NumberOfEpochs = 5, Seed = 1, NumberOfThreads = 1, EarlyStoppingPatience = 2 };
            var m = ml.BinaryClassification.Trainers.BatchNormMlp(o).Fit(prep.Transform(train), prep.Transform(valid));
            return m.Transform(prep.Transform(valid)).GetColumn<float>("Score").ToArray();
        }
        CollectionAssert.AreEqual(Scores(0), Scores(0.3f));
    }

    [TestMethod]
    public void StreamedTrainingHoldsOutByHash()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(SyntheticData.Rows(300, 1));
        var prep = ml.Transforms.CopyColumns("Label", nameof(RawRow.IsPositive)).Append(SyntheticData.Featurize(ml)).Fit(train);
        float[] Scores()
        {
            var o = new BatchNormMlpBinaryTrainer.Options { EnsembleSize = 1, RefitOnAllRows = false, ValidationFraction = 0.2f, MaximumCacheMegabytes = 0, HiddenLayerSizes = [8], NumberOfEpochs = 6, Seed = 1, NumberOfThreads = 1, EarlyStoppingPatience = 3 };
            var m = ml.BinaryClassification.Trainers.BatchNormMlp(o).Fit(prep.Transform(train));
            Assert.IsTrue(m.Model.TrainingHistory.All(r => r.ValidationLoss is double v && double.IsFinite(v)), "each epoch is validated on the held-out rows");
            return m.Transform(prep.Transform(train)).GetColumn<float>("Score").ToArray();
        }
        CollectionAssert.AreEqual(Scores(), Scores(), "deterministic");
    }
}
