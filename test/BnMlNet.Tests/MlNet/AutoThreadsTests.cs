using BnMlNet.Engine;
using BnMlNet.MlNet.Trainers;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.MlNet;

/// <summary>
/// The automatic thread count (NumberOfThreads = null, the default): every core from 16 Mi multiply-adds per training
/// step (batch × dense weights × members), else 1; and the model does not depend on it.
/// </summary>
[TestClass]
public sealed class AutoThreadsTests
{
    [TestMethod]
    public void AStepCountsTheBatchTimesEveryDenseWeightOfEveryMember()
    {
        var spec = new NetworkSpec(26, [128, 64], 5);
        Assert.AreEqual(512L * (26 * 128 + 128 * 64 + 64 * 5), AutoThreads.StepMultiplyAdds(spec, 512));
        var ensemble = spec with { EnsembleSize = 8 };
        Assert.AreEqual(8 * AutoThreads.StepMultiplyAdds(spec, 512), AutoThreads.StepMultiplyAdds(ensemble, 512));
        Assert.AreEqual(100L * 7, AutoThreads.StepMultiplyAdds(new NetworkSpec(7, [], 1), 100), "a linear model: one layer");
    }

    [TestMethod]
    public void TabularNetworksTrainOnOneThreadAndFashionMnistsOnEveryCore()
    {
        // diamonds at its automatic batch (512): 6.2 M multiply-adds per step, measured slower on 2 threads.
        Assert.AreEqual(1, AutoThreads.For(new NetworkSpec(26, [128, 64], 5), 512, cores: 2));
        // mpls_person_search at batch 512: 11.6 M, still slower on 2 threads.
        Assert.AreEqual(1, AutoThreads.For(new NetworkSpec(112, [128, 64], 1), 512, cores: 2));
        // Fashion-MNIST's bench network at batch 128: 34.3 M, 1.5× faster on 2 threads.
        Assert.AreEqual(2, AutoThreads.For(new NetworkSpec(784, [256, 256], 10), 128, cores: 2));
        Assert.AreEqual(1, AutoThreads.For(new NetworkSpec(784, [256, 256], 10), 128, cores: 1), "one core: one thread");
        // The boundary itself.
        var spec = new NetworkSpec(1024, [], 1);   // 1024 weights per row
        Assert.AreEqual(1, AutoThreads.For(spec, 16 * 1024 - 1, cores: 4));
        Assert.AreEqual(4, AutoThreads.For(spec, 16 * 1024, cores: 4));
    }

    [TestMethod]
    public void TrainingSettingsApplyTheRuleOnlyWhenNumberOfThreadsIsNull()
    {
        var tabular = new NetworkSpec(26, [128, 64], 1);
        var auto = new BatchNormMlpRegressionTrainer.Options();
        Assert.AreEqual(1, EngineSettings.Training(auto, seed: 1, rowsTrainedOn: 34522, network: tabular).Threads);
        Assert.AreEqual(Environment.ProcessorCount, EngineSettings.Training(auto, seed: 1, rowsTrainedOn: 34522).Threads, "no network: one per core");
        var fixedThreads = new BatchNormMlpRegressionTrainer.Options { NumberOfThreads = 2 };
        Assert.AreEqual(2, EngineSettings.Training(fixedThreads, seed: 1, rowsTrainedOn: 34522, network: tabular).Threads, "an explicit count wins");
    }

    [TestMethod]
    public void TheAutomaticCountGivesTheSameModelAsOneAndTwoThreads()
    {
        var rows = Enumerable.Range(0, 600).Select(i =>
        {
            var r = new Random(i);
            var f = Enumerable.Range(0, 6).Select(_ => (float)r.NextDouble()).ToArray();
            return new Row { Features = f, Label = f[0] + f[1] > 1 };
        }).ToList();
        float[] Scores(int? threads)
        {
            var ml = new MLContext(1);
            var data = ml.Data.LoadFromEnumerable(rows);
            var model = ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options
            {
                NumberOfThreads = threads, NumberOfEpochs = 4, Seed = 3,
            }).Fit(data);
            return ml.Data.CreateEnumerable<Scored>(model.Transform(data), reuseRowObject: false).Select(s => s.Score).ToArray();
        }
        var auto = Scores(null);
        CollectionAssert.AreEqual(Scores(1), auto, "automatic vs 1 thread, bit for bit");
        CollectionAssert.AreEqual(Scores(2), auto, "automatic vs 2 threads, bit for bit");
    }

    private sealed class Row
    {
        [Microsoft.ML.Data.VectorType(6)] public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    private sealed class Scored
    {
        public float Score { get; set; }
    }
}
