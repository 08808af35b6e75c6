using BnMlNet.Engine;
using BnMlNet.Engine.Research;
using BnMlNet.Engine.Layers;
using BnMlNet.Engine.Network;

namespace BnMlNet.Tests.Engine;

/// <summary>The seed's batch-norm invariants and the running-statistics conventions.</summary>
[TestClass]
public sealed class BatchNormTests
{
    [TestMethod]
    public void TrainMode_NormalizedValuesHaveZeroMeanAndUnitVariancePerUnit()
    {
        var spec = new NetworkSpec(6, [16, 8], 2, Activation.Relu);
        var net = new TrainableNetwork(spec, seed: 3);
        const int B = 64;
        var x = TestData.Gaussian(new Random(1), B * 6, 3.0, 5.0);
        net.Forward(x, B, ForwardMode.Train);
        for (int l = 0; l < 2; l++)
        {
            var xhat = net.NormalizedValues(l);
            int c = spec.HiddenSizes[l];
            for (int j = 0; j < c; j++)
            {
                double m = 0, v = 0;
                for (int r = 0; r < B; r++) m += xhat[r * c + j];
                m /= B;
                for (int r = 0; r < B; r++) v += (xhat[r * c + j] - m) * (xhat[r * c + j] - m);
                v /= B;
                // mean: float rounding only (≤ 1e−5); variance: σ²/(σ² + ε), within 1e−3 of 1 for these σ²
                Assert.AreEqual(0.0, m, 1e-5, $"layer {l} unit {j} mean");
                Assert.AreEqual(1.0, v, 1e-3, $"layer {l} unit {j} variance");
            }
        }
    }

    [TestMethod]
    public void BiasBeforeBatchNorm_GetsZeroGradientAndDoesNotChangeTheOutput()
    {
        var spec = new NetworkSpec(4, [8, 8], 1, Activation.Relu) { KeepBiasBeforeBatchNorm = true };
        var data = TestData.SumOfSines(64, 2);
        var settings = new TrainingSettings { BatchSize = 32, Epochs = 1, Seed = 1 };
        var session = new NetworkTrainer(spec with { InputSize = 3 }, LossKind.SquaredError, settings).CreateSession(data);
        session.Step();
        for (int l = 0; l < 2; l++)
        {
            var g = session.GetDenseBiasGradient(l)!;
            Assert.IsNotNull(g);
            foreach (float v in g) Assert.IsTrue(Math.Abs(v) < 1e-6, $"layer {l} bias gradient {v}");
        }
        Assert.IsTrue(session.GetDenseBiasGradient(2)!.Any(v => Math.Abs(v) > 1e-4), "the output bias does learn");

        // shifting the pre-BN bias leaves train-mode outputs unchanged
        var (x, _) = TestData.All(data);
        var before = session.ScoreWithBatchStatistics(x, 64);
        var p = session.Network.Parameters;
        var bias = p.Value(session.Network.Layers[0].Bias!.Value);
        for (int i = 0; i < bias.Length; i++) bias[i] += 0.75f * (i + 1);
        var after = session.ScoreWithBatchStatistics(x, 64);
        for (int i = 0; i < before.Length; i++)
            Assert.AreEqual(before[i], after[i], 1e-5 * Math.Max(1, Math.Abs(before[i])));

        // by default the bias is dropped
        var plain = new NetworkTrainer(spec with { InputSize = 3, KeepBiasBeforeBatchNorm = false }, LossKind.SquaredError, settings).CreateSession(data);
        Assert.IsNull(plain.GetDenseBiasGradient(0));
    }

    [TestMethod]
    public void RunningStatistics_FollowPyTorchMomentumWithUnbiasedVariance()
    {
        const int B = 5, C = 3;
        var rng = new Random(4);
        float[] runMean = new float[C], runVar = [1f, 1f, 1f];
        var expectedMean = new double[C];
        var expectedVar = new double[] { 1, 1, 1 };
        for (int step = 0; step < 3; step++)
        {
            var x = TestData.Gaussian(rng, B * C, 2, 3);
            float[] y = new float[B * C], xhat = new float[B * C], mean = new float[C], variance = new float[C], rstd = new float[C];
            BatchNormLayer.ForwardTrain(y, xhat, mean, variance, rstd, x, [1f, 1f, 1f], [0f, 0f, 0f], B, C, 1e-5f);
            BatchNormLayer.UpdateRunning(runMean, runVar, mean, variance, B, 0.1f);
            for (int c = 0; c < C; c++)
            {
                double m = 0, v = 0;
                for (int r = 0; r < B; r++) m += x[r * C + c];
                m /= B;
                for (int r = 0; r < B; r++) v += (x[r * C + c] - m) * (x[r * C + c] - m);
                expectedMean[c] = 0.9 * expectedMean[c] + 0.1 * m;
                expectedVar[c] = 0.9 * expectedVar[c] + 0.1 * (v / (B - 1));   // unbiased
                Assert.AreEqual(expectedMean[c], runMean[c], 1e-5);
                Assert.AreEqual(expectedVar[c], runVar[c], 1e-5 * expectedVar[c]);
            }
        }
    }

    [TestMethod]
    public void LastBatchOfOneRow_IsMergedIntoThePreviousBatch()
    {
        // 9 rows, batch 4 → 4, 4, 1: the lone row joins the second batch (5 rows).
        var rng = new Random(5);
        var x = TestData.Gaussian(rng, 9 * 3);
        var y = TestData.Uniform(rng, 9);
        var data = new DenseDataset(x, y, null, 3);
        var spec = new NetworkSpec(3, [4], 1);
        var settings = new TrainingSettings { BatchSize = 4, Epochs = 1, Shuffle = false, LearningRate = 0f };
        var session = new NetworkTrainer(spec, LossKind.SquaredError, settings).CreateSession(data);
        Assert.AreEqual(2, session.StepsPerEpoch);
        session.RunEpoch();
        Assert.AreEqual(2L, session.StepCount);

        // The running mean equals two updates: rows 0..3, then rows 4..8 (never a one-row batch).
        var reference = new TrainableNetwork(spec, 0);
        reference.Forward(x.AsSpan(0, 12), 4, ForwardMode.Train);
        reference.Forward(x.AsSpan(12, 15), 5, ForwardMode.Train);
        var got = session.Network.Layers[0].BatchNorm!;
        var want = reference.Layers[0].BatchNorm!;
        CollectionAssert.AreEqual(want.RunningMean, got.RunningMean);
        CollectionAssert.AreEqual(want.RunningVariance, got.RunningVariance);
    }

    /// <summary>Forwards the batches of a DenseDataset without being one, so the trainer copies each batch.</summary>
    private sealed class Opaque(IMiniBatchSource inner) : IMiniBatchSource
    {
        public int FeatureCount => inner.FeatureCount;
        public long RowCount => inner.RowCount;
        public IEnumerable<MiniBatch> GetBatches(int batchSize, Random? shuffle) => inner.GetBatches(batchSize, shuffle);
    }

    [TestMethod]
    [DataRow(9, 4, DisplayName = "4, 4, 1: the lone row is merged")]
    [DataRow(13, 4, DisplayName = "4, 4, 4, 1: the lone row is merged")]
    [DataRow(12, 4, DisplayName = "4, 4, 4")]
    public void ReferencedBatchesTrainLikeCopiedOnes(int rows, int batch)
    {
        // The trainer references a DenseDataset's shuffled batches instead of copying them (the dataset alternates two
        // buffers); any other source is copied. Same rows, weights, shuffle and dropout: the same bits.
        var rng = new Random(8);
        var x = TestData.Gaussian(rng, rows * 3);
        var y = TestData.Uniform(rng, rows);
        var w = TestData.Uniform(rng, rows, 0.1f, 2f);
        var spec = new NetworkSpec(3, [5], 1) { DropoutRate = 0.2f };
        var settings = new TrainingSettings { BatchSize = batch, Epochs = 3, LearningRate = 0.05f, Seed = 4 };
        var referenced = new NetworkTrainer(spec, LossKind.SquaredError, settings).Train(new DenseDataset(x, y, w, 3));
        var copied = new NetworkTrainer(spec, LossKind.SquaredError, settings).Train(new Opaque(new DenseDataset(x, y, w, 3)));
        CollectionAssert.AreEqual(copied.Network.Layers[0].Weights.ToArray(), referenced.Network.Layers[0].Weights.ToArray());
        CollectionAssert.AreEqual(copied.Network.Layers[1].Weights.ToArray(), referenced.Network.Layers[1].Weights.ToArray());
        CollectionAssert.AreEqual(copied.Network.Layers[0].BatchNorm!.RunningMean.ToArray(), referenced.Network.Layers[0].BatchNorm!.RunningMean.ToArray());
        CollectionAssert.AreEqual(copied.History.Select(h => h.TrainLoss).ToArray(), referenced.History.Select(h => h.TrainLoss).ToArray());
    }

    [TestMethod]
    public void DataSetOfOneRow_NeverUpdatesWeightsOrStatistics()
    {
        var data = new DenseDataset([1f, 2f, 3f], [1f], null, 3);
        var spec = new NetworkSpec(3, [4], 1);
        var trainer = new NetworkTrainer(spec, LossKind.SquaredError, new TrainingSettings { Epochs = 2, LearningRate = 0.1f });
        var result = trainer.Train(data);
        var init = new TrainableNetwork(spec, 0).ToInferenceNetwork();
        CollectionAssert.AreEqual(init.Layers[0].Weights.ToArray(), result.Network.Layers[0].Weights.ToArray());
        CollectionAssert.AreEqual(init.Layers[0].BatchNorm!.RunningMean.ToArray(), result.Network.Layers[0].BatchNorm!.RunningMean.ToArray());
        Assert.IsTrue(double.IsNaN(result.History[0].TrainLoss));
    }

    [TestMethod]
    public void LearningRateZero_TrainsNothingButCollectsStatistics()
    {
        var data = TestData.SumOfSines(100, 3);
        var spec = new NetworkSpec(3, [8], 1, InputBatchNorm: true);
        var result = new NetworkTrainer(spec, LossKind.SquaredError, new TrainingSettings { Epochs = 3, BatchSize = 20, LearningRate = 0f }).Train(data);
        var init = new TrainableNetwork(spec, 0).ToInferenceNetwork();
        CollectionAssert.AreEqual(init.Layers[0].Weights.ToArray(), result.Network.Layers[0].Weights.ToArray());
        CollectionAssert.AreEqual(init.Layers[1].Bias!.ToArray(), result.Network.Layers[1].Bias!.ToArray());
        // 15 updates with m = 0.1 from 0 towards the feature means (≈ 0 ± 0.3): no longer all exactly zero
        Assert.IsTrue(result.Network.InputBatchNorm!.RunningMean.Any(v => v != 0f));
        Assert.IsTrue(result.Network.InputBatchNorm!.RunningVariance.All(v => v != 1f));
    }

    [TestMethod]
    [DataRow(BatchNormPlacement.BeforeActivation)]
    [DataRow(BatchNormPlacement.AfterActivation)]
    public void PopulationMode_EqualsExactFullDataStatisticsLayerByLayer(BatchNormPlacement placement)
    {
        var data = TestData.Blobs(203, 6);
        var spec = new NetworkSpec(4, [7, 5], 3, Activation.Tanh, placement, InputBatchNorm: true);
        var settings = new TrainingSettings { Epochs = 2, BatchSize = 16, LearningRate = 1e-2f, RunningStatistics = RunningStatisticsMode.Population };
        var net = new NetworkTrainer(spec, LossKind.SoftmaxCrossEntropy, settings).Train(data).Network;
        var (x, _) = TestData.All(data);
        int n = 203;

        // naive reference in double: each layer's input computed with the earlier layers' final statistics
        double[][] rows = Enumerable.Range(0, n).Select(r => x.Skip(r * 4).Take(4).Select(v => (double)v).ToArray()).ToArray();
        rows = CheckAndApply(net.InputBatchNorm!, rows, "input");
        foreach (var (p, l) in net.Layers.Select((p, l) => (p, l)))
        {
            rows = rows.Select(a => Enumerable.Range(0, p.OutputSize).Select(o =>
                Enumerable.Range(0, p.InputSize).Sum(i => (double)p.Weights[o * p.InputSize + i] * a[i]) + (p.Bias?[o] ?? 0.0)).ToArray()).ToArray();
            if (p.Placement == BatchNormPlacement.BeforeActivation) rows = CheckAndApply(p.BatchNorm!, rows, $"layer {l}");
            if (p.Activation == Activation.Tanh) rows = rows.Select(a => a.Select(Math.Tanh).ToArray()).ToArray();
            if (p.Placement == BatchNormPlacement.AfterActivation) rows = CheckAndApply(p.BatchNorm!, rows, $"layer {l}");
        }
    }

    private static double[][] CheckAndApply(BatchNormParameters bn, double[][] rows, string what)
    {
        int n = rows.Length;
        for (int c = 0; c < bn.Size; c++)
        {
            double m = rows.Average(a => a[c]);
            double v = rows.Sum(a => (a[c] - m) * (a[c] - m)) / (n - 1);
            // float32 forward vs double reference: ≤ 1e−4 relative to the spread
            Assert.AreEqual(m, bn.RunningMean[c], 1e-4 * Math.Sqrt(v) + 1e-6, $"{what} unit {c} mean");
            Assert.AreEqual(v, bn.RunningVariance[c], 2e-4 * v + 1e-7, $"{what} unit {c} variance");
        }
        return rows.Select(a => a.Select((val, c) =>
            bn.Gamma[c] * (val - bn.RunningMean[c]) / Math.Sqrt(bn.RunningVariance[c] + bn.Epsilon) + bn.Beta[c]).ToArray()).ToArray();
    }
}
