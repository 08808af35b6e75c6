using BnMlNet.Engine;
using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Layers;

namespace BnMlNet.Tests.Engine;

/// <summary>
/// The fused passes (<see cref="FusedPasses"/>) against the separate passes they replace, bit for bit, on random
/// shapes (widths that are and are not multiples of 8 and 16) with values spread over many orders of magnitude,
/// zeros of both signs and denormals; and whole trainings through both paths (<see cref="ReferencePaths"/>).
/// </summary>
[TestClass]
public sealed class FusedPassesTests
{
    private static readonly int[] Widths = [1, 3, 7, 8, 9, 15, 16, 17, 26, 31, 33, 64, 100, 128];

    [TestMethod]
    public void InferenceBatchNormIsTheScalarFormula()
    {
        var random = new Random(40);
        foreach (int c in Widths)
        {
            int rows = random.Next(1, 40);
            float[] x = Values(random, rows * c), gamma = Values(random, c), beta = Values(random, c), mean = Values(random, c);
            float[] variance = Values(random, c).Select(MathF.Abs).ToArray();
            float[] fast = new float[rows * c], slow = new float[rows * c];
            BatchNormLayer.ForwardInference(fast, x, gamma, beta, mean, variance, rows, c, 1e-5f);
            BatchNormLayer.ForwardInferenceReference(slow, x, gamma, beta, mean, variance, rows, c, 1e-5f);
            AssertBits(slow, fast, $"inference batch norm, {rows}×{c}");
        }
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void ForwardIsBatchNormThenReluThenDropout(bool dropout)
    {
        var random = new Random(dropout ? 41 : 42);
        foreach (int c in Widths)
        {
            int rows = random.Next(2, 40), n = rows * c;
            float[] z = Values(random, n), gamma = Values(random, c), beta = Values(random, c);
            float rate = dropout ? 0.1f + 0.4f * (float)random.NextDouble() : 0f;
            // reference: batch norm over the batch, ReLU, dropout, each over the whole batch
            float[] y1 = new float[n], h1 = new float[n], a1 = new float[n], m1 = new float[n], d1 = new float[n];
            float[] mean = new float[c], variance = new float[c], rstd = new float[c];
            BatchNormLayer.ForwardTrain(y1, h1, mean, variance, rstd, z, gamma, beta, rows, c, 1e-5f);
            Activations.Forward(a1, y1, Activation.Relu, 0f);
            var rng1 = new Xoshiro256(7);
            if (dropout) Dropout.Forward(d1, m1, a1, rate, rng1);
            // fused, with the statistics of the same pass
            float[] y2 = new float[n], h2 = new float[n], a2 = new float[n], m2 = new float[n], d2 = new float[n];
            double[] centre = new double[c];
            BatchNormPasses.Statistics(centre, new float[c], new float[c], rstd, z, rows, c, 1e-5f, 0, c);
            var rng2 = new Xoshiro256(7);
            FusedPasses.NormalizeReluDropout(y2, h2, a2, d2, m2, z, centre, rstd, gamma, beta, rows, c, dropout ? rng2 : null, rate);
            string what = $"{rows}×{c}, dropout {rate}";
            AssertBits(h1, h2, "x̂, " + what);
            AssertBits(y1, y2, "batch norm output, " + what);
            AssertBits(a1, a2, "ReLU output, " + what);
            AssertBits(m1, m2, "mask, " + what);
            AssertBits(d1, d2, "dropout output, " + what);
            Assert.AreEqual(rng1.NextUInt64(), rng2.NextUInt64(), "the generator's state after the masks, " + what);
        }
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void BackwardIsDropoutThenReluThenBatchNorm(bool dropout)
    {
        var random = new Random(dropout ? 43 : 44);
        foreach (int c in Widths)
        {
            int rows = random.Next(2, 40), n = rows * c;
            float[] dy = Values(random, n), y = Values(random, n), xhat = Values(random, n), gamma = Values(random, c);
            float[] rstd = Values(random, c).Select(MathF.Abs).ToArray();
            float[] mask = dropout ? Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.2 ? 0f : 1.25f).ToArray() : [];
            // reference: dropout, ReLU, batch norm backward, each over the whole batch
            float[] d = dropout ? new float[n] : dy;
            if (dropout) Dropout.Backward(d, dy, mask);
            float[] g1 = new float[n], dx1 = new float[n], dg1 = new float[c], db1 = new float[c];
            Activations.Backward(g1, d, y, y, Activation.Relu, 0f);
            BatchNormLayer.Backward(dx1, dg1, db1, g1, xhat, gamma, rstd, rows, c);
            // fused
            float[] g2 = new float[n], dx2 = new float[n], dg2 = Values(random, c), db2 = Values(random, c);
            FusedPasses.MaskReluGradientSums(g2, dg2, db2, dy, mask, y, xhat, rows, c);
            BatchNormPasses.InputGradient(dx2, g2, xhat, gamma, rstd, dg2, db2, rows, c, 0, rows);
            string what = $"{rows}×{c}, dropout {dropout}";
            AssertBits(g1, g2, "ReLU gradient, " + what);
            AssertBits(dg1, dg2, "∂γ, " + what);
            AssertBits(db1, db2, "∂β, " + what);
            AssertBits(dx1, dx2, "∂x, " + what);
        }
    }

    [TestMethod]
    [DoNotParallelize] // it flips the process-wide ReferencePaths switch
    [DataRow(1, BatchNormPlacement.BeforeActivation, Activation.Relu)]
    [DataRow(2, BatchNormPlacement.BeforeActivation, Activation.Relu)]
    [DataRow(1, BatchNormPlacement.AfterActivation, Activation.Relu)]
    [DataRow(1, BatchNormPlacement.BeforeActivation, Activation.Gelu)]
    public void TrainingThroughEitherPathGivesTheSameModel(int threads, BatchNormPlacement placement, Activation activation)
    {
        // The default recipe's shape: input batch norm, batch norm before ReLU, dropout; 217 rows at batch 64 (a ragged
        // last batch), a validation set every epoch, an odd width and one over the vector width.
        var data = TestData.Blobs(217, 9);
        var validation = TestData.Blobs(61, 10);
        var spec = new NetworkSpec(4, [37, 19], 3, activation, placement, InputBatchNorm: true) { DropoutRate = 0.15f };
        var settings = new TrainingSettings { Epochs = 4, BatchSize = 64, LearningRate = 1e-2f, Seed = 5, Threads = threads };
        TrainingResult Run(bool reference)
        {
            bool before = ReferencePaths.Enabled;
            ReferencePaths.Enabled = reference;
            try
            {
                return new NetworkTrainer(spec, LossKind.SoftmaxCrossEntropy, settings).Train(data, validation);
            }
            finally
            {
                ReferencePaths.Enabled = before;
            }
        }
        var fused = Run(reference: false);
        var plain = Run(reference: true);
        for (int l = 0; l < plain.Network.Layers.Count; l++)
        {
            AssertBits(plain.Network.Layers[l].Weights.ToArray(), fused.Network.Layers[l].Weights.ToArray(), $"layer {l} weights");
            if (plain.Network.Layers[l].BatchNorm is { } bn)
            {
                var fb = fused.Network.Layers[l].BatchNorm!;
                AssertBits(bn.Gamma.ToArray(), fb.Gamma.ToArray(), $"layer {l} γ");
                AssertBits(bn.RunningMean.ToArray(), fb.RunningMean.ToArray(), $"layer {l} running mean");
                AssertBits(bn.RunningVariance.ToArray(), fb.RunningVariance.ToArray(), $"layer {l} running variance");
            }
        }
        AssertBits(plain.Network.InputBatchNorm!.Beta.ToArray(), fused.Network.InputBatchNorm!.Beta.ToArray(), "input β");
        CollectionAssert.AreEqual(plain.History.Select(h => h.TrainLoss).ToArray(), fused.History.Select(h => h.TrainLoss).ToArray());
        CollectionAssert.AreEqual(plain.History.Select(h => h.ValidationLoss).ToArray(), fused.History.Select(h => h.ValidationLoss).ToArray());
    }

    /// <summary>Values over ±1e−38 … ±1e30 (log-uniform), with exact zeros of both signs and denormals mixed in.</summary>
    private static float[] Values(Random random, int n)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++)
        {
            double u = random.NextDouble();
            float sign = random.Next(2) == 0 ? -1f : 1f;
            v[i] = u < 0.05 ? sign * 0f
                : u < 0.08 ? sign * 1e-40f
                : u < 0.6 ? sign * (float)random.NextDouble() * 3f
                : sign * MathF.Pow(10f, (float)(random.NextDouble() * 68 - 38));
        }
        return v;
    }

    private static void AssertBits(float[] expected, float[] actual, string what)
    {
        Assert.AreEqual(expected.Length, actual.Length, what);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToUInt32Bits(expected[i]) != BitConverter.SingleToUInt32Bits(actual[i]))
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, the separate passes give {expected[i]:R}");
    }
}
