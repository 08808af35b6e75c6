using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.MlNet;

/// <summary>
/// Each task trains on real data and is evaluated with ML.NET's own evaluators, beside FastTree on the same split.
/// The thresholds are ones a broken model cannot reach.
/// </summary>
[TestClass]
public sealed class EndToEndTests
{
    /// <summary>
    /// Fits <paramref name="ours"/>'s estimator on <paramref name="train"/> and evaluates it on <paramref name="test"/>,
    /// then the same for <paramref name="trees"/> (each estimator made just before its fit, in that order).
    /// </summary>
    private static (TMetrics Ours, TMetrics Trees) BesideTrees<TMetrics>(IDataView train, IDataView test, Func<IDataView, TMetrics> evaluate,
        Func<IEstimator<ITransformer>> ours, Func<IEstimator<ITransformer>> trees)
    {
        var oursMetrics = evaluate(ours().Fit(train).Transform(test));
        return (oursMetrics, evaluate(trees().Fit(train).Transform(test)));
    }

    [TestMethod]
    public void AdultBinaryReachesAuc089BesideFastTree()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = TestData.Adult(ml);
        var (ours, fastTree) = BesideTrees(train, test, v => ml.BinaryClassification.Evaluate(v),
            () => ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options
            {
                HiddenLayerSizes = [64, 32], NumberOfEpochs = 6, BatchSize = 256, LearningRate = 2e-3f, Seed = 1, NumberOfThreads = 1,
            }),
            () => ml.BinaryClassification.Trainers.FastTree());
        Console.WriteLine($"Adult AUC: BatchNormMlp {ours.AreaUnderRocCurve:F4}, FastTree {fastTree.AreaUnderRocCurve:F4}");
        Assert.IsGreaterThanOrEqualTo(0.89, ours.AreaUnderRocCurve);
        Assert.IsGreaterThan(fastTree.AreaUnderRocCurve - 0.05, ours.AreaUnderRocCurve, "within 0.05 AUC of FastTree on the same split");
        Assert.IsGreaterThan(0.8, ours.Accuracy);
        Assert.IsLessThan(1.0, ours.LogLoss, "log-loss of calibrated probabilities");
    }

    [TestMethod]
    public void BreastCancerBinaryReachesAccuracy095BesideFastTree()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = TestData.BreastCancer(ml);
        var (ours, fastTree) = BesideTrees(train, test, v => ml.BinaryClassification.Evaluate(v),
            () => ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options
            {
                HiddenLayerSizes = [32, 16], NumberOfEpochs = 30, BatchSize = 32, LearningRate = 3e-3f, Seed = 1, NumberOfThreads = 1,
            }),
            () => ml.BinaryClassification.Trainers.FastTree());
        Console.WriteLine($"Breast cancer accuracy: BatchNormMlp {ours.Accuracy:F4}, FastTree {fastTree.Accuracy:F4}");
        Assert.IsGreaterThanOrEqualTo(0.95, ours.Accuracy);
        Assert.IsGreaterThan(fastTree.Accuracy - 0.03, ours.Accuracy, "within 3 points of FastTree on the same split");
    }

    [TestMethod]
    public void HousingRegressionReachesR2070BesideFastTree()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = TestData.Housing(ml);
        var (ours, fastTree) = BesideTrees(train, test, v => ml.Regression.Evaluate(v),
            () => ml.Regression.Trainers.BatchNormMlp(new BatchNormMlpRegressionTrainer.Options
            {
                HiddenLayerSizes = [64, 32], NumberOfEpochs = 150, BatchSize = 32, LearningRate = 3e-3f, Seed = 1, NumberOfThreads = 1,
            }),
            () => ml.Regression.Trainers.FastTree());
        Console.WriteLine($"Housing R²: BatchNormMlp {ours.RSquared:F4}, FastTree {fastTree.RSquared:F4}");
        Assert.IsGreaterThanOrEqualTo(0.70, ours.RSquared);
        Assert.IsGreaterThan(fastTree.RSquared - 0.1, ours.RSquared, "within 0.1 R² of FastTree on the same split");
    }

    [TestMethod]
    public void FashionMnistMulticlassReachesAccuracy085BesideFastTree()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = TestData.FashionMnistFull(ml, trainPerClass: 2000, testPerClass: 300);
        var (ours, lightweight) = BesideTrees(train, test, v => ml.MulticlassClassification.Evaluate(v),
            () => ml.MulticlassClassification.Trainers.BatchNormMlp(new BatchNormMlpMulticlassTrainer.Options
            {
                HiddenLayerSizes = [256, 128], NumberOfEpochs = 8, BatchSize = 128, LearningRate = 2e-3f, Seed = 1, NumberOfThreads = 2,
            }),
            () => ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastTree(numberOfTrees: 20)));
        Console.WriteLine($"Fashion-MNIST accuracy: BatchNormMlp {ours.MicroAccuracy:F4}, FastTree OVA (20 trees) {lightweight.MicroAccuracy:F4}");
        Assert.IsGreaterThanOrEqualTo(0.85, ours.MicroAccuracy);
        Assert.IsGreaterThan(lightweight.MicroAccuracy - 0.03, ours.MicroAccuracy, "within 3 points of a small FastTree one-vs-all");
    }

    [TestMethod]
    public void ShippedBinaryDataTrainsWithTheSimpleOverload()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = TestData.Anes96(ml);
        var model = ml.BinaryClassification.Trainers.BatchNormMlp(hiddenLayerSizes: [16], numberOfEpochs: 30, learningRate: 3e-3f).Fit(train);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
        Assert.IsGreaterThan(0.85, metrics.Accuracy);
        Assert.IsGreaterThan(0.9, metrics.AreaUnderRocCurve);
    }
}
