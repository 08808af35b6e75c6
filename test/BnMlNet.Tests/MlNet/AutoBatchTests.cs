using BnMlNet.MlNet.Trainers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.MlNet;

/// <summary>The automatic batch size (BatchSize = null, the default): the power of two nearest to N/64 in [128, 1024].</summary>
[TestClass]
public sealed class AutoBatchTests
{
    [TestMethod]
    [DataRow(2L, 128)]
    [DataRow(8192L, 128)]
    [DataRow(11585L, 128)]      // N/64 = 181.02: log2 7.4998 rounds down
    [DataRow(11586L, 256)]      // N/64 = 181.03: log2 7.5001 rounds up
    [DataRow(17612L, 256)]      // gss_vocab's training rows after the hold-out
    [DataRow(34522L, 512)]      // diamonds
    [DataRow(92681L, 1024)]
    [DataRow(10_000_000L, 1024)]
    public void TheBatchIsThePowerOfTwoNearestToASixtyFourthOfTheRows(long rows, int expected)
    {
        Assert.AreEqual(expected, AutoBatch.For(rows));
        // The rule's own words, checked independently: the nearest power of two in log scale, clamped.
        double exact = Math.Pow(2, Math.Round(Math.Log2(Math.Max(rows, 1) / 64.0)));
        Assert.AreEqual(Math.Clamp(exact, 128, 1024), expected);
    }

    [TestMethod]
    public void TheDefaultScalesTheLearningRateAndAnExplicitBatchDoesNot()
    {
        var auto = new BnMlNet.BatchNormMlpBinaryTrainer.Options { LearningRate = 1e-3f };
        Assert.IsNull(auto.BatchSize, "the default is automatic");
        var s = EngineSettings.Training(auto, seed: 1, rowsTrainedOn: 34522);
        Assert.AreEqual(512, s.BatchSize);
        Assert.AreEqual(2e-3f, s.LearningRate, 1e-9f, "√(512/128) = 2");
        var small = EngineSettings.Training(auto, seed: 1, rowsTrainedOn: 3000);
        Assert.AreEqual(128, small.BatchSize);
        Assert.AreEqual(1e-3f, small.LearningRate, "128 rows: the learning rate as given, bit for bit");
        var fixedBatch = new BnMlNet.BatchNormMlpBinaryTrainer.Options { LearningRate = 1e-3f, BatchSize = 512 };
        var f = EngineSettings.Training(fixedBatch, seed: 1, rowsTrainedOn: 34522);
        Assert.AreEqual(512, f.BatchSize);
        Assert.AreEqual(1e-3f, f.LearningRate, "an explicit batch keeps the learning rate as given");
    }

    [TestMethod]
    [DataRow(43152L, false, 0.2f, 34522L)]
    [DataRow(43152L, true, 0.2f, 43152L)]
    [DataRow(43152L, false, 0f, 43152L)]
    public void TheRowsTrainedOnLeaveOutTheHoldOut(long rows, bool hasValidation, float fraction, long expected)
        => Assert.AreEqual(expected, AutoBatch.RowsTrainedOn(rows, hasValidation, fraction));
}
