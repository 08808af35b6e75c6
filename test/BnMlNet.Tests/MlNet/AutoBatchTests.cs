using BnMlNet.MlNet.Trainers;
using BnMlNet.Tests.SmallTables;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.MlNet;

/// <summary>
/// The automatic batch size (BatchSize = null, the default): 128 up to 11,585 rows trained on, 1024 above (round 10 of
/// docs/tabular-recipe.md). The threshold is where the rule before it, the power of two nearest to N/64 in [128, 1024],
/// left 128, so every table that trained at 128 still does.
/// </summary>
[TestClass]
public sealed class AutoBatchTests
{
    [TestMethod]
    [DataRow(0L, 128)]
    [DataRow(2L, 128)]
    [DataRow(8192L, 128)]
    [DataRow(11585L, 128)]      // N/64 = 181.02: log2 7.4998, the last N the earlier rule gave 128
    [DataRow(11586L, 1024)]     // N/64 = 181.03: log2 7.5001, the earlier rule's first 256
    [DataRow(12881L, 1024)]     // randhie_mdvis's training rows after the hold-out (earlier: 256)
    [DataRow(17612L, 1024)]     // gss_vocab's (earlier: 256)
    [DataRow(34522L, 1024)]     // diamonds' (earlier: 512)
    [DataRow(92681L, 1024)]     // the earlier rule's last 512
    [DataRow(10_000_000L, 1024)]
    [DataRow(long.MaxValue, 1024)]
    public void TheBatchIs128UpToTheEarlierRulesLast128And1024Above(long rows, int expected)
    {
        int batch = AutoBatch.For(rows);
        Assert.AreEqual(expected, batch);
        // Independently: the earlier rule (the nearest power of two to N/64 in log scale, clamped to [128, 1024]); the
        // new rule keeps its 128 and replaces everything above by 1024.
        double earlier = Math.Clamp(Math.Pow(2, Math.Round(Math.Log2(Math.Max(rows, 1) / 64.0))), 128, 1024);
        Assert.AreEqual(earlier == 128 ? 128 : 1024, batch, $"the earlier rule gave {earlier}");
    }

    [TestMethod]
    public void TheThresholdIsWhereTheNearestPowerOfTwoToASixtyFourthOfTheRowsLeaves128()
    {
        // N/64 is nearer 128 than 256 in log scale while N/64 < 128·√2.
        long last = AutoBatch.LastRowsAtSmallest;
        Assert.AreEqual((long)Math.Floor(128 * 64 * Math.Sqrt(2)), last);
        Assert.AreEqual(128, AutoBatch.For(last));
        Assert.AreEqual(1024, AutoBatch.For(last + 1));
    }

    [TestMethod]
    [DataRow(11585, 128, 1e-3f)]     // the last row count of batch 128: the defaults as before, bit for bit
    [DataRow(11586, 1024, 8e-3f)]    // the first of batch 1024: the bench's variant "batch 1024" (docs/performance/steps.md)
    public void ADefaultFitEqualsTheFitWithTheBatchAndRateGivenExplicitly(int rows, int batch, float rate)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.Rows(rows, 1));
        var probe = ml.Data.LoadFromEnumerable(SyntheticData.Rows(60, 2));
        void Short(BatchNormMlpOptionsBase o)
        {
            o.HiddenLayerSizes = [16, 8];
            o.NumberOfEpochs = 2;
            o.ValidationFraction = 0;   // every row trained on
            o.EarlyStoppingPatience = 0;
            o.Seed = 3;
        }
        var auto = RefitOnAllRowsTests.Pipeline(ml, SyntheticData.Task.Binary, Short).Fit(data);
        var given = RefitOnAllRowsTests.Pipeline(ml, SyntheticData.Task.Binary, o => { Short(o); o.BatchSize = batch; o.LearningRate = rate; }).Fit(data);
        CollectionAssert.AreEqual(RefitOnAllRowsTests.Bits(given, probe), RefitOnAllRowsTests.Bits(auto, probe), $"{rows} rows: batch {batch} at lr {rate}");
        var other = RefitOnAllRowsTests.Pipeline(ml, SyntheticData.Task.Binary, o => { Short(o); o.BatchSize = batch == 128 ? 1024 : 512; o.LearningRate = batch == 128 ? 8e-3f : 4e-3f; }).Fit(data);
        CollectionAssert.AreNotEqual(RefitOnAllRowsTests.Bits(other, probe), RefitOnAllRowsTests.Bits(auto, probe), "another batch gives another model");
    }

    [TestMethod]
    public void TheDefaultScalesTheLearningRateAndAnExplicitBatchDoesNot()
    {
        var auto = new BnMlNet.BatchNormMlpBinaryTrainer.Options { LearningRate = 1e-3f };
        Assert.IsNull(auto.BatchSize, "the default is automatic");
        var s = EngineSettings.Training(auto, seed: 1, rowsTrainedOn: 34522);
        Assert.AreEqual(1024, s.BatchSize);
        Assert.AreEqual(8e-3f, s.LearningRate, 1e-9f, "linear (the default since round 8): 1024/128 = 8");
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
    [DataRow(11586L, 1024, 8e-3)]     // the first of batch 1024: ×8 (√ rule: ×2.83)
    [DataRow(34522L, 1024, 8e-3)]     // diamonds
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
