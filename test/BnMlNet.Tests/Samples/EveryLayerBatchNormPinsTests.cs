using BnMlNet.Samples.Bench;
using BnMlNet.Samples.Experiments;

namespace BnMlNet.Tests.Samples;

/// <summary>
/// Round 12 made BN on the last hidden layer only the trainer's default. The measurements that are about the plain
/// network with BN on every hidden layer keep it, set explicitly: the Fashion-MNIST bench (comparable with
/// bench/pytorch_bench.py), the seed-claim experiments on Fashion-MNIST (the engine's spec) and experiment 9's tabular
/// learning-rate sweep (claim 1).
/// </summary>
[TestClass]
public sealed class EveryLayerBatchNormPinsTests
{
    [TestMethod]
    public void TheFashionMnistBenchTrainsBatchNormOnEveryHiddenLayer()
    {
        var o = FashionMnistBench.TrainerOptions(new BenchSettings(), [256, 256]);
        Assert.AreEqual(BatchNormHiddenLayers.Every, o.BatchNormHiddenLayers);
        Assert.IsNull(o.BatchNormLayers);
        Assert.AreEqual(BatchNormPlacement.BeforeActivation, o.BatchNormPlacement);
        Assert.IsFalse(o.InputBatchNorm, "pytorch_bench.py has no input BN");
        Assert.AreNotEqual(BatchNormHiddenLayers.Every, new BatchNormMlpMulticlassTrainer.Options().BatchNormHiddenLayers,
            "the pin is needed: the default is another network");
    }

    [TestMethod]
    public void TheSeedClaimExperimentsNetworkHasBatchNormOnEveryHiddenLayer()
    {
        var spec = TrainingRun.Spec([100, 100, 100], Activation.Relu, batchNorm: true);
        Assert.IsNull(spec.BatchNormLayers, "the engine's null: every hidden layer");
        Assert.AreEqual(BatchNormPlacement.BeforeActivation, spec.Placement);
        Assert.AreEqual(BatchNormPlacement.None, TrainingRun.Spec([100], Activation.Relu, batchNorm: false).Placement);
    }

    [TestMethod]
    public void TheTabularLearningRateSweepsWithBnVariantIsBatchNormOnEveryHiddenLayer()
    {
        var o = new BatchNormMlpBinaryTrainer.Options();
        TabularSuite.WithBnOnEveryLayer.Edit!(o);
        Assert.AreEqual(BatchNormHiddenLayers.Every, o.BatchNormHiddenLayers);
        Assert.IsNull(o.BatchNormLayers);
        Assert.AreEqual("with BN", TabularSuite.WithBnOnEveryLayer.Name, "experiment 9's column name is unchanged");
    }
}
