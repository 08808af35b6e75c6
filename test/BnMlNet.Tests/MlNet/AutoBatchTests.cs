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
        Assert.AreEqual((double)expected, Math.Clamp(exact, 128, 1024));
    }

    [TestMethod]
    public void TheDefaultScalesTheLearningRateAndAnExplicitBatchDoesNot()
    {
        var auto = new BnMlNet.BatchNormMlpBinaryTrainer.Options { LearningRate = 1e-3f };
        Assert.IsNull(auto.BatchSize, "the default is automatic");
        var s = EngineSettings.Training(auto, seed: 1, rowsTrainedOn: 34522);
        Assert.AreEqual(512, s.BatchSize);
        Assert.AreEqual(4e-3f, s.LearningRate, 1e-9f, "linear (the default since round 8): 512/128 = 4");
        var small = EngineSettings.Training(auto, seed: 1, rowsTrainedOn: 3000);
        Assert.AreEqual(128, small.BatchSize);
        Assert.AreEqual(1e-3f, small.LearningRate, "128 rows: the learning rate as given, bit for bit");
        var fixedBatch = new BnMlNet.BatchNormMlpBinaryTrainer.Options { LearningRate = 1e-3f, BatchSize = 512 };
        var f = EngineSettings.Training(fixedBatch, seed: 1, rowsTrainedOn: 34522);
        Assert.AreEqual(512, f.BatchSize);
        Assert.AreEqual(1e-3f, f.LearningRate, "an explicit batch keeps the learning rate as given");
    }

    [TestMethod]
    [DataRow(3000L, 128, 1e-3)]       // a small table: the rate as given under either rule
    [DataRow(11585L, 128, 1e-3)]      // the last row count of batch 128
    [DataRow(11586L, 256, 2e-3)]      // the first of batch 256: ×2 (√ rule: ×1.41)
    [DataRow(34522L, 512, 4e-3)]      // diamonds: ×4 (√ rule: ×2)
    [DataRow(10_000_000L, 1024, 8e-3)]
    public void LinearScalingMultipliesTheRateByTheBatchOver128(long rows, int batch, double expected)
    {
        var linear = new BnMlNet.BatchNormMlpBinaryTrainer.Options { LearningRate = 1e-3f, LearningRateBatchScaling = BnMlNet.LearningRateBatchScaling.Linear };
        var s = EngineSettings.Training(linear, seed: 1, rowsTrainedOn: rows);
        Assert.AreEqual(batch, s.BatchSize);
        Assert.AreEqual((float)expected, s.LearningRate, 1e-9f);
        Assert.AreEqual(BnMlNet.LearningRateBatchScaling.Linear, new BnMlNet.BatchNormMlpRegressionTrainer.Options().LearningRateBatchScaling, "the default");
        var root = EngineSettings.Training(new BnMlNet.BatchNormMlpBinaryTrainer.Options { LearningRate = 1e-3f, LearningRateBatchScaling = BnMlNet.LearningRateBatchScaling.SquareRoot }, seed: 1, rowsTrainedOn: rows);
        Assert.AreEqual((float)(1e-3 * Math.Sqrt(batch / 128.0)), root.LearningRate, 1e-9f, "the earlier rule: √(batch/128)");
        if (batch == 128) Assert.AreEqual(root.LearningRate, s.LearningRate, "batch 128: the same rate bit for bit under both rules");
        var explicitBatch = new BnMlNet.BatchNormMlpBinaryTrainer.Options { LearningRate = 1e-3f, BatchSize = batch, LearningRateBatchScaling = BnMlNet.LearningRateBatchScaling.Linear };
        Assert.AreEqual(1e-3f, EngineSettings.Training(explicitBatch, seed: 1, rowsTrainedOn: rows).LearningRate, "an explicit batch is never scaled");
    }

    [TestMethod]
    [DataRow(-1)]
    [DataRow(2)]
    public void AnUndefinedScalingIsRejectedByName(int value)
    {
        var o = new BnMlNet.BatchNormMlpBinaryTrainer.Options { LearningRateBatchScaling = (BnMlNet.LearningRateBatchScaling)value };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => EngineSettings.Training(o, seed: 1, rowsTrainedOn: 34522));
        Assert.AreEqual(nameof(BnMlNet.BatchNormMlpOptionsBase.LearningRateBatchScaling), e.ParamName);
        StringAssert.Contains(e.Message, "must be one of");
    }

    [TestMethod]
    [DataRow(43152L, false, 0.2f, 34522L)]
    [DataRow(43152L, true, 0.2f, 43152L)]
    [DataRow(43152L, false, 0f, 43152L)]
    public void TheRowsTrainedOnLeaveOutTheHoldOut(long rows, bool hasValidation, float fraction, long expected)
        => Assert.AreEqual(expected, AutoBatch.RowsTrainedOn(rows, hasValidation, fraction));
}
