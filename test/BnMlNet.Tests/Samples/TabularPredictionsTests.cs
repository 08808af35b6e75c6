using BnMlNet.Samples.Csv;
using BnMlNet.Samples.Experiments;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Samples;

/// <summary>Experiment 12's metric of averaged predictions against values worked out by hand.</summary>
[TestClass]
public sealed class TabularPredictionsTests
{
    [TestMethod]
    public void BinaryAucOfTheAveragedProbabilities()
    {
        float[] labels = [0, 1, 0, 1];
        var a = new TestPredictions(MlTask.Binary, 0, labels, [0.1f, 0.3f, 0.6f, 0.8f], 1);
        var b = new TestPredictions(MlTask.Binary, 0, labels, [0.3f, 0.3f, 0.4f, 0.6f], 1);
        // mean [0.2, 0.3, 0.5, 0.7]: of the 4 (positive, negative) pairs only (0.3, 0.5) is out of order
        Assert.AreEqual(0.75, TabularPredictions.AveragedMetric([a, b]), 1e-12);
    }

    [TestMethod]
    public void MulticlassAccuracyOfTheAveragedProbabilities()
    {
        float[] keys = [1, 2, 3, 1];   // 1-based keys, as ML.NET stores them
        var a = new TestPredictions(MlTask.Multiclass, 0, keys, [0.6f, 0.3f, 0.1f, 0.2f, 0.5f, 0.3f, 0.5f, 0.3f, 0.2f, 0.5f, 0.4f, 0.1f], 3);
        var b = new TestPredictions(MlTask.Multiclass, 0, keys, [0.4f, 0.5f, 0.1f, 0.2f, 0.7f, 0.1f, 0.1f, 0.2f, 0.7f, 0.6f, 0.1f, 0.3f], 3);
        // mean rows: [0.5 0.4 0.1] → 1 ✓; [0.2 0.6 0.2] → 2 ✓; [0.3 0.25 0.45] → 3 ✓; [0.55 0.25 0.2] → 1 ✓; a alone misses row 3 (it says 1)
        Assert.AreEqual(1.0, TabularPredictions.AveragedMetric([a, b]), 1e-12);
        Assert.AreEqual(0.75, TabularPredictions.AveragedMetric([a]), 1e-12);
    }

    [TestMethod]
    public void RegressionRSquaredOfTheAveragedScores()
    {
        float[] labels = [1, 2, 3, 4];
        var a = new TestPredictions(MlTask.Regression, 0, labels, [1, 3, 3, 4], 1);
        var b = new TestPredictions(MlTask.Regression, 0, labels, [1, 1, 3, 4], 1);
        Assert.AreEqual(0.8, TabularPredictions.AveragedMetric([a]), 1e-6);   // 1 − 1/5
        Assert.AreEqual(1.0, TabularPredictions.AveragedMetric([a, b]), 1e-6);   // the errors cancel
    }

    [TestMethod]
    public void MembersOfDifferentRowsAreRefusedAndADivergedMemberGivesNaN()
    {
        var a = new TestPredictions(MlTask.Regression, 0, [1, 2], [1, 2], 1);
        var other = new TestPredictions(MlTask.Regression, 0, [1, 3], [1, 2], 1);
        Assert.Throws<ArgumentException>(() => TabularPredictions.AveragedMetric([a, other]));
        var diverged = new TestPredictions(MlTask.Regression, double.NaN, [], [], 1);
        Assert.IsTrue(double.IsNaN(TabularPredictions.AveragedMetric([a, diverged])));
    }
}
