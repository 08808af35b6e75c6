using BnMlNet.Engine;
using BnMlNet.Engine.Research;
using BnMlNet.Engine.Losses;

namespace BnMlNet.Tests.Engine;

/// <summary>The training loop: learning, determinism, early stopping, divergence, cancellation, the session API.</summary>
[TestClass]
public sealed class TrainerTests
{
    private static double Accuracy(InferenceNetwork net, DenseDataset data)
    {
        var (x, y) = TestData.All(data);
        int n = y.Length, k = net.OutputSize;
        var o = new float[n * k];
        net.PredictBatch(x, n, o);
        double sum = 0, w = 0;
        LossFunction.AccumulateMetric(k == 1 ? LossKind.BinaryLogLoss : LossKind.SoftmaxCrossEntropy, o, y, default, n, k, ref sum, ref w);
        return sum / w;
    }

    [TestMethod]
    public void TwoMoons_ReachesHighAccuracy()
    {
        var train = TestData.TwoMoons(600, 1);
        var test = TestData.TwoMoons(400, 2);
        var spec = new NetworkSpec(2, [32, 32], 1);
        var settings = new TrainingSettings { Epochs = 40, BatchSize = 32, LearningRate = 1e-2f, Seed = 3 };
        var result = new NetworkTrainer(spec, LossKind.BinaryLogLoss, settings).Train(train, test);
        double acc = Accuracy(result.Network, test);
        Assert.IsTrue(acc >= 0.97, $"test accuracy {acc}");
        Assert.AreEqual("accuracy", result.History[^1].MetricName);
        Assert.AreEqual(acc, result.History[^1].ValidationMetric!.Value, 1e-9);
    }

    [TestMethod]
    public void Blobs_MulticlassWithSgdNesterovAndOneCycle_Learns()
    {
        var train = TestData.Blobs(450, 3);
        var test = TestData.Blobs(300, 4);
        var spec = new NetworkSpec(4, [16], 3, Activation.Gelu, DropoutRate: 0.1f);
        var settings = new TrainingSettings
        {
            Epochs = 15, BatchSize = 32, Optimizer = OptimizerKind.Sgd, LearningRate = 0.1f, Nesterov = true,
            Schedule = LearningRateSchedule.OneCycle, WeightDecay = 1e-4f, GradientClipNorm = 5f,
        };
        var result = new NetworkTrainer(spec, LossKind.SoftmaxCrossEntropy, settings).Train(train, test);
        Assert.IsTrue(Accuracy(result.Network, test) >= 0.9, $"accuracy {Accuracy(result.Network, test)}");
        Assert.IsTrue(result.History[^1].LearningRate < 1e-4, "one-cycle ends far below the peak");
    }

    [TestMethod]
    public void SumOfSines_RegressionReachesLowRmse()
    {
        var train = TestData.SumOfSines(1500, 5);
        var test = TestData.SumOfSines(500, 6);
        var spec = new NetworkSpec(3, [64, 64], 1, Activation.Tanh);
        var settings = new TrainingSettings { Epochs = 40, BatchSize = 32, LearningRate = 3e-3f, Schedule = LearningRateSchedule.Cosine, Seed = 1 };
        var result = new NetworkTrainer(spec, LossKind.SquaredError, settings).Train(train, test);
        double rmse = result.History[^1].ValidationMetric!.Value;
        Assert.AreEqual("rmse", result.History[^1].MetricName);
        // labels have standard deviation ≈ 1.2; a constant predictor has RMSE ≈ 1.2
        Assert.IsTrue(rmse < 0.15, $"test RMSE {rmse}");
    }

    private static float[] AllWeights(InferenceNetwork net)
        => net.Layers.SelectMany(l => l.Weights.Concat(l.Bias ?? []).Concat(l.BatchNorm is { } b
            ? b.Gamma.Concat(b.Beta).Concat(b.RunningMean).Concat(b.RunningVariance) : [])).ToArray();

    [TestMethod]
    public void SameSeed_GivesBitIdenticalModels_AndThreadCountDoesNotMatter()
    {
        var data = TestData.Blobs(300, 7);
        var spec = new NetworkSpec(4, [24, 16], 3, DropoutRate: 0.2f, InputBatchNorm: true);
        float[] Run(int threads, int seed) => AllWeights(new NetworkTrainer(spec, LossKind.SoftmaxCrossEntropy,
            new TrainingSettings { Epochs = 3, BatchSize = 32, Threads = threads, Seed = seed }).Train(data).Network);
        var a = Run(1, 5);
        CollectionAssert.AreEqual(a, Run(1, 5), "same seed, 1 thread");
        var b = Run(2, 5);
        CollectionAssert.AreEqual(b, Run(2, 5), "same seed, 2 threads");
        CollectionAssert.AreEqual(a, b, "1 vs 2 threads");
        CollectionAssert.AreNotEqual(a, Run(1, 6), "another seed gives another model");
    }

    [TestMethod]
    public void EarlyStopping_StopsAfterPatienceAndRestoresTheBestEpoch()
    {
        // the validation labels are the training labels flipped: the better the fit, the worse the validation loss
        var train = TestData.TwoMoons(200, 8);
        var (x, y) = TestData.All(train);
        var flipped = new DenseDataset(x, y.Select(v => 1f - v).ToArray(), null, 2);
        var spec = new NetworkSpec(2, [16], 1);
        var settings = new TrainingSettings { Epochs = 30, BatchSize = 20, LearningRate = 1e-2f, EarlyStoppingPatience = 3 };
        var result = new NetworkTrainer(spec, LossKind.BinaryLogLoss, settings).Train(train, flipped);
        var losses = result.History.Select(h => h.ValidationLoss!.Value).ToArray();
        int best = Array.IndexOf(losses, losses.Min()) + 1;
        Assert.AreEqual(best, result.BestEpoch);
        Assert.AreEqual(best + 3, result.History.Count, "stops after 3 epochs without improvement");
        Assert.IsTrue(result.History.Count < 30);

        // the returned model is the best epoch's: its validation loss is the best one
        var o = new float[y.Length];
        result.Network.PredictBatch(x, y.Length, o);
        double l = LossFunction.Forward(LossKind.BinaryLogLoss, o, y.Select(v => 1f - v).ToArray(), default, y.Length, 1, out _);
        Assert.AreEqual(losses[best - 1], l, 1e-5);
    }

    [TestMethod]
    public void Divergence_ThrowsNamingEpochAndBatchAndSuggestingALowerRate()
    {
        var data = TestData.SumOfSines(64, 9);
        var (x, y) = TestData.All(data);
        var big = new DenseDataset(x, y.Select(v => v * 1e4f).ToArray(), null, 3);
        var spec = new NetworkSpec(3, [8], 1, Placement: BatchNormPlacement.None);
        var settings = new TrainingSettings { Epochs = 5, BatchSize = 8, Optimizer = OptimizerKind.Sgd, LearningRate = 1e3f, Momentum = 0f };
        var e = Assert.ThrowsExactly<TrainingDivergedException>(() => new NetworkTrainer(spec, LossKind.SquaredError, settings).Train(big));
        StringAssert.Contains(e.Message, $"epoch {e.Epoch}");
        StringAssert.Contains(e.Message, $"batch {e.Batch}");
        StringAssert.Contains(e.Message, "lower learning rate");
        Assert.AreEqual(1, e.Epoch);
        Assert.IsTrue(e.Batch >= 1 && e.Batch <= 8);
    }

    [TestMethod]
    public void Cancellation_ThrowsOperationCanceled()
    {
        var data = TestData.TwoMoons(200, 10);
        var spec = new NetworkSpec(2, [8], 1);
        using var cts = new CancellationTokenSource();
        var reports = new List<EpochReport>();
        Assert.ThrowsExactly<OperationCanceledException>(() =>
            new NetworkTrainer(spec, LossKind.BinaryLogLoss, new TrainingSettings { Epochs = 10, BatchSize = 20 })
                .Train(data, null, r => { reports.Add(r); cts.Cancel(); }, cts.Token));
        Assert.AreEqual(1, reports.Count);
        cts.Dispose();
        using var pre = new CancellationTokenSource();
        pre.Cancel();
        Assert.ThrowsExactly<OperationCanceledException>(() =>
            new NetworkTrainer(spec, LossKind.BinaryLogLoss, new TrainingSettings()).Train(data, cancellationToken: pre.Token));
    }

    [TestMethod]
    public void EpochReports_AreFilledIn()
    {
        var data = TestData.TwoMoons(100, 11);
        var reports = new List<EpochReport>();
        var result = new NetworkTrainer(new NetworkSpec(2, [8], 1), LossKind.BinaryLogLoss,
            new TrainingSettings { Epochs = 3, BatchSize = 25 }).Train(data, null, reports.Add);
        Assert.AreEqual(3, reports.Count);
        CollectionAssert.AreEqual(reports, result.History.ToList());
        Assert.AreEqual(3, result.BestEpoch);
        for (int i = 0; i < 3; i++)
        {
            Assert.AreEqual(i + 1, reports[i].Epoch);
            Assert.IsTrue(double.IsFinite(reports[i].TrainLoss) && reports[i].TrainLoss > 0);
            Assert.IsNull(reports[i].ValidationLoss);
            Assert.IsTrue(reports[i].Seconds >= 0);
            Assert.AreEqual(1e-3, reports[i].LearningRate, 1e-9);
        }
    }

    [TestMethod]
    public void Session_StepsSnapshotsAndReadsActivationInputs()
    {
        var data = TestData.Blobs(96, 12);
        var (x, _) = TestData.All(data);
        var spec = new NetworkSpec(4, [8, 6], 3, Activation.Sigmoid);
        var trainer = new NetworkTrainer(spec, LossKind.SoftmaxCrossEntropy, new TrainingSettings { BatchSize = 32, Epochs = 2 });
        var session = trainer.CreateSession(data);
        Assert.AreEqual(3, session.StepsPerEpoch);
        Assert.AreEqual(2, session.HiddenLayerCount);
        double loss = session.Step();
        Assert.IsTrue(double.IsFinite(loss));
        Assert.AreEqual(1L, session.StepCount);
        var report = session.RunEpoch();   // finishes the current epoch
        Assert.AreEqual(3L, session.StepCount);
        Assert.AreEqual(1, report.Epoch);
        Assert.AreEqual(1, session.CompletedEpochs);

        var pre = session.GetActivationInputs(x, 10, hiddenLayer: 1);
        Assert.AreEqual(10 * 6, pre.Length);
        // inference-mode pre-activations match the snapshot's explicit BN: y = γ(z − μ)/√(σ² + ε) + β
        var snap = session.Snapshot();
        var expected = ExplicitPreActivations(snap, x, 10, hiddenLayer: 1);
        for (int i = 0; i < pre.Length; i++)
            Assert.AreEqual(expected[i], pre[i], 1e-4 * (1 + Math.Abs(expected[i])), $"value {i}");
        var trainMode = session.GetActivationInputs(x, 10, hiddenLayer: 1, useBatchStatistics: true);
        Assert.AreEqual(60, trainMode.Length);
        // train-mode BN normalizes by the batch's own statistics: (y − β)/γ has mean 0 and (biased) variance ≈ 1
        var bn = snap.Layers[1].BatchNorm!;
        for (int c = 0; c < 6; c++)
        {
            var xhat = Enumerable.Range(0, 10).Select(r => (trainMode[r * 6 + c] - bn.Beta[c]) / (double)bn.Gamma[c]).ToArray();
            double mean = xhat.Average(), variance = xhat.Select(v => (v - mean) * (v - mean)).Average();
            Assert.AreEqual(0, mean, 1e-4, $"unit {c} mean");
            Assert.AreEqual(1, variance, 2e-2, $"unit {c} variance (ε = 1e-5 pulls it slightly below 1)");
        }
        var scored = session.ScoreWithBatchStatistics(x, 10);
        Assert.AreEqual(30, scored.Length);
        var inference = new float[30];
        snap.PredictBatch(x, 10, inference);
        CollectionAssert.AreNotEqual(inference, scored, "batch statistics differ from running statistics");
        Assert.IsNull(session.GetDenseBiasGradient(0));
        Assert.IsNotNull(session.GetDenseBiasGradient(2));
    }

    /// <summary>The pre-activations of a hidden layer, computed from the frozen parameters with explicit BN (sigmoid, BN before activation).</summary>
    private static double[] ExplicitPreActivations(InferenceNetwork net, float[] x, int rows, int hiddenLayer)
    {
        double[] a = x.Take(rows * net.InputSize).Select(v => (double)v).ToArray();
        int width = net.InputSize;
        for (int l = 0; ; l++)
        {
            var layer = net.Layers[l];
            var y = new double[rows * layer.OutputSize];
            for (int r = 0; r < rows; r++)
                for (int o = 0; o < layer.OutputSize; o++)
                {
                    double z = layer.Bias?[o] ?? 0;
                    for (int i = 0; i < width; i++) z += layer.Weights[o * width + i] * a[r * width + i];
                    var bn = layer.BatchNorm!;
                    y[r * layer.OutputSize + o] = bn.Gamma[o] * (z - bn.RunningMean[o]) / Math.Sqrt(bn.RunningVariance[o] + bn.Epsilon) + bn.Beta[o];
                }
            if (l == hiddenLayer) return y;
            a = y.Select(v => 1 / (1 + Math.Exp(-v))).ToArray();
            width = layer.OutputSize;
        }
    }

    [TestMethod]
    public void PopulationStatistics_ViaSession_ReplaceRunningAverages()
    {
        var data = TestData.Blobs(90, 13);
        var session = new NetworkTrainer(new NetworkSpec(4, [5], 3), LossKind.SoftmaxCrossEntropy, new TrainingSettings { BatchSize = 30 }).CreateSession(data);
        session.RunEpoch();
        var before = session.Snapshot().Layers[0].BatchNorm!.RunningMean.ToArray();
        session.RecomputePopulationStatistics();
        var after = session.Snapshot().Layers[0].BatchNorm!.RunningMean.ToArray();
        CollectionAssert.AreNotEqual(before, after);
    }

    [TestMethod]
    public void SteadyStateTrainingSteps_DoNotAllocate()
    {
        var data = TestData.Blobs(640, 14);
        var spec = new NetworkSpec(4, [32, 16], 3, DropoutRate: 0.1f, InputBatchNorm: true);
        var settings = new TrainingSettings { BatchSize = 64, Epochs = 3, GradientClipNorm = 1f, Shuffle = true };
        var session = new NetworkTrainer(spec, LossKind.SoftmaxCrossEntropy, settings).CreateSession(data);
        session.RunEpoch();
        session.Step();   // starts epoch 2 (the per-epoch permutation and iterator are allocated here)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) session.Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // The engine itself allocates nothing per batch; Gemm.Multiply must not either (threads = 1).
        Assert.AreEqual(0L, allocated, "bytes allocated by 5 steady-state steps (engine + Gemm.Multiply)");
    }
}
