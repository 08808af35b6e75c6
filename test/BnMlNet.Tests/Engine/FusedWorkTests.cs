using BnMlNet.Engine;
using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Layers;

namespace BnMlNet.Tests.Engine;

/// <summary>
/// The multi-threaded fused block (<see cref="FusedWork"/>) and the generator's jump-ahead it draws masks with
/// (<see cref="XoshiroJump"/>), against the one-thread passes and the generator drawing in order, bit for bit; and whole
/// default-recipe trainings (input batch norm, batch norm before ReLU, dropout) at 1, 2 and 3 threads.
/// </summary>
[TestClass]
public sealed class FusedWorkTests
{
    [TestMethod]
    [DataRow(1L)]
    [DataRow(2L)]
    [DataRow(63L)]
    [DataRow(64L)]
    [DataRow(1000L)]
    [DataRow(4097L)]
    [DataRow(65541L)]
    public void Jump_IsTheStateAfterThatManyDraws(long steps)
    {
        var drawn = new Xoshiro256(12345);
        for (long i = 0; i < steps; i++) drawn.NextUInt64();
        var source = new Xoshiro256(12345);
        var jumped = new Xoshiro256(0);
        jumped.SetToJumped(source, steps);
        for (int i = 0; i < 8; i++) Assert.AreEqual(drawn.NextUInt64(), jumped.NextUInt64(), $"draw {i} after a jump of {steps}");
        Assert.AreEqual(new Xoshiro256(12345).NextUInt64(), source.NextUInt64(), "the source generator is left as it was");
    }

    [TestMethod]
    public void Jump_OfZero_CopiesTheState()
    {
        var source = new Xoshiro256(7);
        source.NextUInt64();
        var copy = new Xoshiro256(0);
        copy.SetToJumped(source, 0);
        Assert.IsTrue(copy.SameState(source));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => copy.SetToJumped(source, -1));
    }

    private static float[] Values(Random random, int n, double scale = 3)
        => Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();

    private static void AssertBits(float[] expected, float[] actual, string what)
    {
        Assert.AreEqual(expected.Length, actual.Length, what);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}: value {i} is {actual[i]:R}, expected {expected[i]:R}");
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void Forward_OnSeveralThreads_IsTheOneThreadFusedPass(bool dropout)
    {
        var random = new Random(dropout ? 61 : 62);
        foreach (var (rows, c) in new[] { (300, 70), (128, 64), (97, 128), (64, 129), (3, 200) })
        {
            int n = rows * c;
            float[] x = Values(random, n), gamma = Values(random, c, 1), beta = Values(random, c, 1);
            // The one-thread reference: statistics, then the fused pass drawing the whole mask in one call.
            float[] y1 = new float[n], h1 = new float[n], a1 = new float[n], d1 = new float[n], m1 = new float[n];
            float[] mean1 = new float[c], var1 = new float[c], rstd1 = new float[c];
            float[] rm1 = Values(random, c, 1), rv1 = Enumerable.Repeat(1f, c).ToArray();
            float[] rm0 = (float[])rm1.Clone(), rv0 = (float[])rv1.Clone();
            double[] centre = new double[c];
            var rng1 = new Xoshiro256(5);
            BatchNormPasses.Statistics(centre, mean1, var1, rstd1, x, rows, c, 1e-5f, 0, c);
            BatchNormLayer.UpdateRunning(rm1, rv1, mean1, var1, rows, 0.1f);
            FusedPasses.NormalizeReluDropout(y1, h1, a1, d1, m1, x, centre, rstd1, gamma, beta, rows, c, dropout ? rng1 : null, 0.1f);
            foreach (int threads in new[] { 2, 3, 4 })
            {
                string what = $"{rows}×{c}, {threads} threads, dropout {dropout}";
                float[] y2 = new float[n], h2 = new float[n], a2 = new float[n], d2 = new float[n], m2 = new float[n];
                float[] mean2 = new float[c], var2 = new float[c], rstd2 = new float[c];
                float[] rm2 = (float[])rm0.Clone(), rv2 = (float[])rv0.Clone();
                var rng2 = new Xoshiro256(5);
                FusedWork.Forward(y2, h2, a2, d2, m2, x, mean2, var2, rstd2, gamma, beta, rm2, rv2, true, rows, c, 1e-5f, 0.1f,
                    dropout ? rng2 : null, 0.1f, threads);
                AssertBits(mean1, mean2, "mean, " + what);
                AssertBits(var1, var2, "variance, " + what);
                AssertBits(rstd1, rstd2, "rstd, " + what);
                AssertBits(rm1, rm2, "running mean, " + what);
                AssertBits(rv1, rv2, "running variance, " + what);
                AssertBits(h1, h2, "x̂, " + what);
                AssertBits(y1, y2, "batch norm output, " + what);
                AssertBits(a1, a2, "ReLU output, " + what);
                if (dropout)
                {
                    AssertBits(m1, m2, "mask, " + what);
                    AssertBits(d1, d2, "dropout output, " + what);
                    var after1 = new Xoshiro256(0);
                    after1.SetToJumped(rng1, 0);
                    Assert.IsTrue(after1.SameState(rng2), "the generator's state after the masks, " + what);
                }
            }
        }
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void Backward_OnSeveralThreads_IsTheOneThreadFusedPass(bool dropout)
    {
        var random = new Random(dropout ? 63 : 64);
        foreach (var (rows, c) in new[] { (300, 70), (128, 64), (97, 128), (64, 129), (3, 200) })
        {
            int n = rows * c;
            float[] dy = Values(random, n), bnOut = Values(random, n), xhat = Values(random, n), gamma = Values(random, c, 1);
            float[] rstd = Values(random, c, 1).Select(MathF.Abs).ToArray();
            float[] mask = dropout ? Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.1 ? 0f : 1f / 0.9f).ToArray() : [];
            float[] g1 = new float[n], dz1 = new float[n], dg1 = new float[c], db1 = new float[c];
            FusedPasses.MaskReluGradientSums(g1, dg1, db1, dy, mask, bnOut, xhat, rows, c);
            BatchNormPasses.InputGradient(dz1, g1, xhat, gamma, rstd, dg1, db1, rows, c, 0, rows);
            foreach (int threads in new[] { 2, 3, 4 })
            {
                string what = $"{rows}×{c}, {threads} threads, dropout {dropout}";
                float[] g2 = new float[n], dz2 = new float[n], dg2 = Values(random, c), db2 = Values(random, c);
                FusedWork.Backward(dz2, g2, dg2, db2, dy, mask, bnOut, xhat, gamma, rstd, rows, c, threads);
                AssertBits(dg1, dg2, "∂γ, " + what);
                AssertBits(db1, db2, "∂β, " + what);
                AssertBits(dz1, dz2, "∂x, " + what);
            }
        }
    }

    [TestMethod]
    [DataRow(OptimizerKind.Adam, 128)]
    [DataRow(OptimizerKind.AdamW, 300)]
    public void DefaultRecipeNetwork_IsBitIdentical_ForOneTwoAndThreeThreads(OptimizerKind optimizer, int batch)
    {
        // The default recipe's shape: input batch norm, two hidden blocks (BN before ReLU, dropout 0.1), above the
        // parallel thresholds (batch × 64 ≥ 8192), with a last batch of another size.
        var random = new Random(8);
        const int rows = 1000, features = 23, classes = 4;
        var x = Values(random, rows * features);
        var y = Enumerable.Range(0, rows).Select(_ => (float)random.Next(classes)).ToArray();
        var data = new DenseDataset(x, y, null, features);
        var spec = new NetworkSpec(features, [128, 64], classes, InputBatchNorm: true) { DropoutRate = 0.1f };
        float[] Run(int threads)
        {
            var net = new NetworkTrainer(spec, LossKind.SoftmaxCrossEntropy, new TrainingSettings
            {
                Epochs = 3, BatchSize = batch, Threads = threads, Seed = 21, Optimizer = optimizer, WeightDecay = 0.01f,
            }).Train(data).Network;
            return net.Layers.SelectMany(l => l.Weights.Concat(l.Bias ?? []).Concat(l.BatchNorm is { } b
                ? b.Gamma.Concat(b.Beta).Concat(b.RunningMean).Concat(b.RunningVariance) : [])).ToArray();
        }
        var one = Run(1);
        AssertBits(one, Run(2), "1 vs 2 threads");
        AssertBits(one, Run(3), "1 vs 3 threads");
    }
}
