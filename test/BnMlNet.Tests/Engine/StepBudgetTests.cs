using BnMlNet.Engine;

namespace BnMlNet.Tests.Engine;

/// <summary>
/// <see cref="TrainingSettings.StepBudget"/>: the planned epochs, the learning rate of every step against the cosine
/// formula written out here over the budgeted horizon, the epoch loop, the off switch, determinism and validation.
/// </summary>
[TestClass]
public sealed class StepBudgetTests
{
    // 300 rows at batch 32: 9 full batches and a last one of 12 rows, so 10 steps per epoch.
    private static readonly DenseDataset Data = TestData.Blobs(300, 7);
    private static readonly NetworkSpec Spec = new(4, [12, 8], 3, DropoutRate: 0.1f, InputBatchNorm: true);
    private const int StepsPerEpoch = 10;

    private static TrainingSettings Settings(int budget, int epochs = 20, LearningRateSchedule schedule = LearningRateSchedule.Cosine) =>
        new() { Epochs = epochs, BatchSize = 32, LearningRate = 0.01f, Schedule = schedule, StepBudget = budget, Seed = 3 };

    private static float[] Weights(InferenceNetwork net)
        => net.Layers.SelectMany(l => l.Weights.Concat(l.Bias ?? []).Concat(l.BatchNorm is { } b
            ? b.Gamma.Concat(b.Beta).Concat(b.RunningMean).Concat(b.RunningVariance) : [])).ToArray();

    [TestMethod]
    [DataRow(0, 20, 20)]     // off: the epochs as given
    [DataRow(35, 20, 4)]     // ⌈35 / 10⌉
    [DataRow(40, 20, 4)]     // exactly 4 epochs of steps
    [DataRow(41, 20, 5)]
    [DataRow(1, 20, 1)]      // never below one epoch
    [DataRow(10_000, 20, 20)] // never above Epochs
    public void PlannedEpochsAreTheBudgetOverTheStepsPerEpochCappedByEpochs(int budget, int epochs, int expected)
    {
        var session = new NetworkTrainer(Spec, LossKind.SoftmaxCrossEntropy, Settings(budget, epochs)).CreateSession(Data);
        Assert.AreEqual(StepsPerEpoch, session.StepsPerEpoch);
        Assert.AreEqual(expected, session.PlannedEpochs);
    }

    [TestMethod]
    public void TheCosineScheduleSpansTheBudgetedEpochs()
    {
        // budget 35 → 4 epochs → T = 40 steps; step t (0-based) has lr·(1 + cos(π·t/T))/2
        var session = new NetworkTrainer(Spec, LossKind.SoftmaxCrossEntropy, Settings(35)).CreateSession(Data);
        const int total = 4 * StepsPerEpoch;
        for (int t = 0; t < total; t++)
        {
            session.Step();
            double expected = 0.01 * 0.5 * (1 + Math.Cos(Math.PI * t / total));
            Assert.AreEqual(expected, session.CurrentLearningRate, 1e-9, $"step {t}");
        }
        Assert.IsLessThan(1e-4, session.CurrentLearningRate, "the schedule has (nearly) reached 0 at the budget's last step");
    }

    [TestMethod]
    public void TrainRunsThePlannedEpochsAndEndsTheScheduleOnTheLastOne()
    {
        var result = new NetworkTrainer(Spec, LossKind.SoftmaxCrossEntropy, Settings(35)).Train(Data);
        Assert.AreEqual(4, result.History.Count);
        Assert.AreEqual(4, result.BestEpoch);
        for (int e = 0; e < 4; e++)
        {
            int lastStep = (e + 1) * StepsPerEpoch - 1;   // an epoch reports the lr of its last step
            Assert.AreEqual(0.01 * 0.5 * (1 + Math.Cos(Math.PI * lastStep / 40.0)), result.History[e].LearningRate, 1e-9, $"epoch {e + 1}");
        }
        // a constant schedule with the same budget runs the same 4 epochs at the base rate
        var constant = new NetworkTrainer(Spec, LossKind.SoftmaxCrossEntropy, Settings(35, schedule: LearningRateSchedule.Constant)).Train(Data);
        Assert.AreEqual(4, constant.History.Count);
        Assert.IsTrue(constant.History.All(r => Math.Abs(r.LearningRate - 0.01) < 1e-9));
    }

    [TestMethod]
    public void WithoutABudgetTheRunIsTheSameAsBefore_AndABudgetOfAllEpochsChangesNothing()
    {
        // Off (0) and a budget that covers every epoch both give Epochs × StepsPerEpoch steps over the same horizon.
        var off = new NetworkTrainer(Spec, LossKind.SoftmaxCrossEntropy, Settings(0, epochs: 5)).Train(Data);
        var covering = new NetworkTrainer(Spec, LossKind.SoftmaxCrossEntropy, Settings(50, epochs: 5)).Train(Data);
        Assert.AreEqual(5, off.History.Count);
        CollectionAssert.AreEqual(Weights(off.Network), Weights(covering.Network));
        // and a shorter budget is a different (shorter, faster-decaying) run
        var shorter = new NetworkTrainer(Spec, LossKind.SoftmaxCrossEntropy, Settings(30, epochs: 5)).Train(Data);
        Assert.AreEqual(3, shorter.History.Count);
        CollectionAssert.AreNotEqual(Weights(off.Network), Weights(shorter.Network));
    }

    [TestMethod]
    public void ABudgetedRunIsBitIdenticalForTheSameSeedAtAnyThreadCount()
    {
        float[] Run(int threads)
        {
            var s = Settings(35);
            s.Threads = threads;
            return Weights(new NetworkTrainer(Spec, LossKind.SoftmaxCrossEntropy, s).Train(Data).Network);
        }
        var one = Run(1);
        CollectionAssert.AreEqual(one, Run(1));
        CollectionAssert.AreEqual(one, Run(2));
    }

    [TestMethod]
    public void EarlyStoppingStillEndsABudgetedRunSooner()
    {
        // validation labels are the training labels shifted by one class: fitting the training set worsens them
        var (x, y) = TestData.All(Data);
        var flipped = new DenseDataset(x, y.Select(v => (v + 1) % 3).ToArray(), null, 4);
        var s = Settings(150);   // 15 planned epochs
        s.EarlyStoppingPatience = 2;
        var result = new NetworkTrainer(Spec, LossKind.SoftmaxCrossEntropy, s).Train(Data, flipped);
        Assert.IsLessThan(15, result.History.Count);
        Assert.AreEqual(result.BestEpoch + 2, result.History.Count);
    }

    [TestMethod]
    public void ANegativeBudgetIsRejectedNamingTheSetting()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Settings(-1).Validate());
        Assert.AreEqual(nameof(TrainingSettings.StepBudget), e.ParamName);
        StringAssert.Contains(e.Message, "at least 0");
    }
}
