using BnMlNet.Engine;
using BnMlNet.Engine.Layers;
using BnMlNet.Engine.Threading;

namespace BnMlNet.Tests.Engine;

/// <summary>
/// The multi-threaded training step (worker team, channel/row-block batch norm, element blocks for activations, Adam
/// and the gather): the same bits for every thread count, at sizes large enough for every parallel path to run.
/// </summary>
[TestClass]
public sealed class ParallelTrainingTests
{
    private static DenseDataset Data(int rows, int features, int classes, int seed)
    {
        var random = new Random(seed);
        var x = new float[rows * features];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
        var y = new float[rows];
        for (int i = 0; i < rows; i++) y[i] = random.Next(classes);
        return new DenseDataset(x, y, null, features);
    }

    private static float[] AllValues(InferenceNetwork net)
        => net.Layers.SelectMany(l => l.Weights.Concat(l.Bias ?? []).Concat(l.BatchNorm is { } b
            ? b.Gamma.Concat(b.Beta).Concat(b.RunningMean).Concat(b.RunningVariance) : [])).ToArray();

    [TestMethod]
    [DataRow(Activation.Relu, BatchNormPlacement.BeforeActivation, false, OptimizerKind.Adam)]
    [DataRow(Activation.Gelu, BatchNormPlacement.AfterActivation, true, OptimizerKind.AdamW)]
    [DataRow(Activation.Tanh, BatchNormPlacement.BeforeActivation, true, OptimizerKind.Adam)]
    public void LargeLayers_AreBitIdentical_ForOneTwoAndThreeThreads(Activation activation, BatchNormPlacement placement,
        bool inputBatchNorm, OptimizerKind optimizer)
    {
        // 130 features × 96 rows and 200/72 channels: above the parallel thresholds, with widths that are not multiples of 16.
        var data = Data(400, 130, 5, 3);
        var spec = new NetworkSpec(130, [200, 72], 5, activation, placement, InputBatchNorm: inputBatchNorm);
        float[] Run(int threads) => AllValues(new NetworkTrainer(spec, LossKind.SoftmaxCrossEntropy, new TrainingSettings
        {
            Epochs = 2, BatchSize = 96, Threads = threads, Seed = 9, Optimizer = optimizer, WeightDecay = 0.01f,
        }).Train(data).Network);
        var one = Run(1);
        CollectionAssert.AreEqual(one, Run(2), "1 vs 2 threads");
        CollectionAssert.AreEqual(one, Run(3), "1 vs 3 threads");
    }

    [TestMethod]
    public void BatchNormWork_MatchesTheSerialLayer_BitForBit()
    {
        var random = new Random(4);
        const int rows = 70, channels = 203;
        float[] Fill(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 4 - 1)).ToArray();
        var x = Fill(rows * channels);
        var gamma = Fill(channels);
        var beta = Fill(channels);
        var dy = Fill(rows * channels);
        (float[] Y, float[] Xhat, float[] Rstd, float[] Dx, float[] DGamma, float[] RunningMean) Run(int threads)
        {
            float[] y = new float[rows * channels], xhat = new float[rows * channels], dx = new float[rows * channels];
            float[] mean = new float[channels], variance = new float[channels], rstd = new float[channels];
            float[] runningMean = new float[channels], runningVariance = Enumerable.Repeat(1f, channels).ToArray();
            float[] dGamma = new float[channels], dBeta = new float[channels];
            BatchNormWork.ForwardTrain(y, xhat, mean, variance, rstd, x, gamma, beta, runningMean, runningVariance, true,
                rows, channels, 1e-5f, 0.1f, threads);
            BatchNormWork.Backward(dx, dGamma, dBeta, dy, xhat, gamma, rstd, rows, channels, threads);
            return (y, xhat, rstd, dx, dGamma, runningMean);
        }
        var serial = Run(1);
        foreach (int threads in new[] { 2, 3, 5 })
        {
            var parallel = Run(threads);
            CollectionAssert.AreEqual(serial.Y, parallel.Y, $"y, {threads} threads");
            CollectionAssert.AreEqual(serial.Xhat, parallel.Xhat, $"x̂, {threads} threads");
            CollectionAssert.AreEqual(serial.Rstd, parallel.Rstd, $"rstd, {threads} threads");
            CollectionAssert.AreEqual(serial.Dx, parallel.Dx, $"dx, {threads} threads");
            CollectionAssert.AreEqual(serial.DGamma, parallel.DGamma, $"dγ, {threads} threads");
            CollectionAssert.AreEqual(serial.RunningMean, parallel.RunningMean, $"running mean, {threads} threads");
        }
    }

    private sealed class Recorder(int parts, int throwAt = -1) : IPartitionedWork
    {
        public readonly int[] Runs = new int[parts];

        public void Execute(int part)
        {
            Interlocked.Increment(ref Runs[part]);
            if (part == throwAt) throw new InvalidOperationException("part failed");
        }
    }

    [TestMethod]
    public void WorkerTeam_RunsEveryPartOnce_FromConcurrentCallers_AndRethrows()
    {
        Parallel.For(0, 4, _ =>
        {
            for (int i = 0; i < 500; i++)
            {
                var work = new Recorder(1 + i % 7);
                WorkerTeam.Run(work, work.Runs.Length);
                Assert.IsTrue(work.Runs.All(r => r == 1), "every part exactly once");
            }
        });
        var failing = new Recorder(4, throwAt: 2);
        Assert.ThrowsExactly<InvalidOperationException>(() => WorkerTeam.Run(failing, 4));
        Assert.IsTrue(failing.Runs.All(r => r == 1), "the other parts still ran");
        var after = new Recorder(3);
        WorkerTeam.Run(after, 3);
        Assert.IsTrue(after.Runs.All(r => r == 1), "the team still works after an exception");
    }
}
