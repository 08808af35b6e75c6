using BnMlNet.Engine;
using BnMlNet.Engine.Training;

namespace BnMlNet.Tests.Engine;

/// <summary>
/// Reduce-on-plateau in training (<see cref="TrainingSettings.PlateauPatience"/>) and the fixed reductions that replay it
/// (<see cref="TrainingSettings.LearningRateReductionEpochs"/>): the rate of every step against base × factor^k written
/// out here, the reductions against the rule over the run's own validation losses, the replay bit for bit, threads,
/// the off switch and the settings' validation.
/// </summary>
[TestClass]
public sealed class PlateauTrainingTests
{
    // 300 rows at batch 32: 9 full batches and one of 12 rows, so 10 steps per epoch.
    private static readonly DenseDataset Data = TestData.Blobs(300, 7);
    private static readonly NetworkSpec Spec = new(4, [12, 8], 3, DropoutRate: 0.1f, InputBatchNorm: true);
    private static readonly NetworkSpec RegressionSpec = new(3, [16, 8], 1);

    private static float[] Weights(InferenceNetwork net)
        => net.Layers.SelectMany(l => l.Weights.Concat(l.Bias ?? []).Concat(l.BatchNorm is { } b
            ? b.Gamma.Concat(b.Beta).Concat(b.RunningMean).Concat(b.RunningVariance) : [])).ToArray();

    /// <summary>A regression run that plateaus often: a high rate on a small hold-out.</summary>
    private static TrainingSettings Plateauing(int threads = 1) => new()
    {
        Epochs = 80, BatchSize = 32, LearningRate = 0.03f, Seed = 11, Threads = threads, ValidationFraction = 0.25f,
        StandardizeLabel = true, EarlyStoppingPatience = 8, PlateauPatience = 2, PlateauFactor = 0.3f, PlateauMaxReductions = 3,
    };

    [TestMethod]
    public void FixedReductionsScaleEveryStepAfterTheirEpochOnTopOfTheSchedule()
    {
        // After epochs 2 and 4, × 0.5 each: epochs 1–2 at 1×, 3–4 at 0.5×, 5–6 at 0.25× the cosine rate of the step.
        var settings = new TrainingSettings
        {
            Epochs = 6, BatchSize = 32, LearningRate = 0.01f, Seed = 3, Schedule = LearningRateSchedule.Cosine,
            PlateauFactor = 0.5f, LearningRateReductionEpochs = [2, 4],
        };
        var session = new NetworkTrainer(Spec, LossKind.SoftmaxCrossEntropy, settings).CreateSession(Data);
        Assert.AreEqual(10, session.StepsPerEpoch);
        double[] scale = [1, 1, 0.5, 0.5, 0.25, 0.25];
        for (int t = 0; t < 60; t++)
        {
            session.Step();
            double cosine = 0.01 * 0.5 * (1 + Math.Cos(Math.PI * t / 60));
            Assert.AreEqual(cosine * scale[t / 10], session.CurrentLearningRate, 1e-6 * cosine, $"step {t}");
        }
    }

    [TestMethod]
    public void TheTrainerReducesWhereTheRuleSaysAndEachEpochRunsAtTheReducedRate()
    {
        var settings = Plateauing();
        var result = new NetworkTrainer(RegressionSpec, LossKind.SquaredError, settings).Train(TestData.SumOfSines(400, 2));
        var reductions = result.LearningRateReductionEpochs;
        Assert.IsNotEmpty(reductions, "the run plateaued (else this test could not fail)");

        // The rule over the run's own validation losses (label units; with min-delta 0 their order is that of the trained units).
        var rule = new EarlyStopping(8, 0, plateauPatience: 2, maxReductions: 3);
        var expected = new List<int>();
        int stopped = 0;
        foreach (var r in result.History)
        {
            rule.Observe(r.Epoch, r.ValidationLoss!.Value);
            if (rule.ShouldStop) { stopped = r.Epoch; break; }
            if (rule.ReduceNow) expected.Add(r.Epoch);
        }
        CollectionAssert.AreEqual(expected, reductions.ToList());
        Assert.AreEqual(stopped == 0 ? settings.Epochs : stopped, result.History.Count, "the run ends where the rule stops");
        Assert.AreEqual(rule.BestEpoch, result.BestEpoch);

        foreach (var r in result.History)
        {
            int k = reductions.Count(e => e < r.Epoch);
            double rate = 0.03 * Math.Pow(0.3, k);
            Assert.AreEqual(rate, r.LearningRate, 1e-6 * rate, $"epoch {r.Epoch}");
        }
    }

    [TestMethod]
    public void FixedReductionsReplayAPlateauRunBitForBit()
    {
        var data = TestData.SumOfSines(400, 2);
        var settings = Plateauing();
        settings.RestoreBestModel = false;   // the last epoch's model, so a fixed run of as many epochs can match it
        var first = new NetworkTrainer(RegressionSpec, LossKind.SquaredError, settings).Train(data);
        Assert.IsNotEmpty(first.LearningRateReductionEpochs);

        var replay = Plateauing();
        replay.PlateauPatience = 0;
        replay.EarlyStoppingPatience = 0;
        replay.Epochs = first.History.Count;
        replay.LearningRateReductionEpochs = first.LearningRateReductionEpochs;
        var second = new NetworkTrainer(RegressionSpec, LossKind.SquaredError, replay).Train(data);
        CollectionAssert.AreEqual(first.LearningRateReductionEpochs.ToList(), second.LearningRateReductionEpochs.ToList());
        CollectionAssert.AreEqual(Weights(first.Network), Weights(second.Network));
    }

    [TestMethod]
    public void APlateauRunIsTheSameOnOneAndTwoThreads()
    {
        var data = TestData.SumOfSines(400, 2);
        var one = new NetworkTrainer(RegressionSpec, LossKind.SquaredError, Plateauing(1)).Train(data);
        var two = new NetworkTrainer(RegressionSpec, LossKind.SquaredError, Plateauing(2)).Train(data);
        Assert.IsNotEmpty(one.LearningRateReductionEpochs);
        CollectionAssert.AreEqual(one.LearningRateReductionEpochs.ToList(), two.LearningRateReductionEpochs.ToList());
        CollectionAssert.AreEqual(Weights(one.Network), Weights(two.Network));
    }

    [TestMethod]
    public void OffOrOutOfReachTheBitsAreTheOldOnes()
    {
        var data = TestData.SumOfSines(400, 2);
        TrainingSettings Old() { var s = Plateauing(); s.PlateauPatience = 0; s.PlateauMaxReductions = 0; return s; }
        var old = new NetworkTrainer(RegressionSpec, LossKind.SquaredError, Old()).Train(data);
        Assert.IsEmpty(old.LearningRateReductionEpochs);
        // the other factor and a fixed reduction after the last epoch, a relative delta of 0 and a fraction of 0 change nothing
        var same = Old();
        same.PlateauFactor = 0.7f;
        same.LearningRateReductionEpochs = [80];
        same.EarlyStoppingRelativeMinDelta = 0;
        same.EarlyStoppingPatienceFraction = 0;
        var unchanged = new NetworkTrainer(RegressionSpec, LossKind.SquaredError, same).Train(data);
        Assert.IsEmpty(unchanged.LearningRateReductionEpochs);
        CollectionAssert.AreEqual(Weights(old.Network), Weights(unchanged.Network));
        Assert.AreEqual(old.History.Count, unchanged.History.Count);
        // and the plateau run is another model (so the equality above could fail)
        var plateau = new NetworkTrainer(RegressionSpec, LossKind.SquaredError, Plateauing()).Train(data);
        CollectionAssert.AreNotEqual(Weights(old.Network), Weights(plateau.Network));
    }

    [TestMethod]
    public void WithoutAValidationSetThePlateauDoesNothing()
    {
        var s = Plateauing();
        s.ValidationFraction = 0;
        s.Epochs = 5;
        var result = new NetworkTrainer(RegressionSpec, LossKind.SquaredError, s).Train(TestData.SumOfSines(200, 3));
        Assert.HasCount(5, result.History);
        Assert.IsEmpty(result.LearningRateReductionEpochs);
        Assert.IsTrue(result.History.All(r => Math.Abs(r.LearningRate - 0.03) < 1e-9));
    }

    public static IEnumerable<object[]> InvalidSettings()
    {
        yield return [nameof(TrainingSettings.PlateauPatience), "is -1;", (Action<TrainingSettings>)(s => s.PlateauPatience = -1)];
        yield return [nameof(TrainingSettings.PlateauFactor), "is 1;", (Action<TrainingSettings>)(s => s.PlateauFactor = 1f)];
        yield return [nameof(TrainingSettings.PlateauFactor), "is 0;", (Action<TrainingSettings>)(s => s.PlateauFactor = 0f)];
        yield return [nameof(TrainingSettings.PlateauFactor), "is NaN;", (Action<TrainingSettings>)(s => s.PlateauFactor = float.NaN)];
        yield return [nameof(TrainingSettings.PlateauMaxReductions), "is -2;", (Action<TrainingSettings>)(s => s.PlateauMaxReductions = -2)];
        yield return [nameof(TrainingSettings.EarlyStoppingRelativeMinDelta), "is 1;", (Action<TrainingSettings>)(s => s.EarlyStoppingRelativeMinDelta = 1f)];
        yield return [nameof(TrainingSettings.EarlyStoppingRelativeMinDelta), "is -0.1;", (Action<TrainingSettings>)(s => s.EarlyStoppingRelativeMinDelta = -0.1f)];
        yield return [nameof(TrainingSettings.EarlyStoppingPatienceFraction), "is 1.5;", (Action<TrainingSettings>)(s => s.EarlyStoppingPatienceFraction = 1.5f)];
        yield return [nameof(TrainingSettings.PlateauPatience), "is 3, which needs early stopping", (Action<TrainingSettings>)(s => { s.PlateauPatience = 3; s.EarlyStoppingPatience = 0; })];
        yield return [nameof(TrainingSettings.LearningRateReductionEpochs), "[0] is 0;", (Action<TrainingSettings>)(s => s.LearningRateReductionEpochs = [0, 3])];
        yield return [nameof(TrainingSettings.LearningRateReductionEpochs), "[1] is 3, not above", (Action<TrainingSettings>)(s => s.LearningRateReductionEpochs = [3, 3])];
        yield return [nameof(TrainingSettings.LearningRateReductionEpochs), "Set one of them only", (Action<TrainingSettings>)(s =>
        {
            s.EarlyStoppingPatience = 5;
            s.PlateauPatience = 2;
            s.LearningRateReductionEpochs = [4];
        })];
    }

    [TestMethod]
    [DynamicData(nameof(InvalidSettings))]
    public void InvalidSettingsAreRefusedNamingTheSetting(string name, string valueOrRemedy, Action<TrainingSettings> spoil)
    {
        var s = new TrainingSettings();
        spoil(s);
        var e = Assert.Throws<ArgumentException>(s.Validate);
        Assert.AreEqual(name, e.ParamName);
        StringAssert.Contains(e.Message, name);
        StringAssert.Contains(e.Message, valueOrRemedy, "the message gives the value given (or, for a conflict, what to do)");
    }
}
