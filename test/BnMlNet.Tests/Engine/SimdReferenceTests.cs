using BnMlNet.Engine.Layers;
using BnMlNet.Engine.Optimizers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Engine;

/// <summary>
/// The vectorized branches of Adam, the batch-norm passes and the activations against plain scalar loops written
/// here from the formulas, at sizes below, at and above the vector width (16 floats for 512-bit, 8 for 256-bit)
/// with remainders, and above the thresholds where the work is split over threads. The engine promises the scalar
/// formula's bits (no fused multiply-add, the same operation order), so the comparisons are bit for bit, except
/// tanh, which goes through System.Numerics.Tensors' vectorized approximation and is held to an absolute error of 2e−7.
/// </summary>
[TestClass]
public sealed class SimdReferenceTests
{
    /// <summary>Lengths around the vector widths, with remainders, and one above the parallel thresholds.</summary>
    private static readonly int[] Lengths = [1, 7, 8, 15, 16, 17, 31, 33, 203, 1003, 40_003];

    [TestMethod]
    [DataRow(false, 1)]
    [DataRow(true, 1)]
    [DataRow(false, 3)]
    [DataRow(true, 3)]
    public void AdamMatchesTheScalarFormulaBitForBit(bool decoupled, int threads)
    {
        foreach (int n in Lengths)
        {
            var random = new Random(n);
            const float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f, decay = 0.01f, lr = 1e-3f;
            int decayed = n * 2 / 3 + (n > 2 ? 1 : 0);   // the decayed prefix ends off the vector grid
            var values = Fill(random, n, 1f);
            var reference = (float[])values.Clone();
            float[] m = new float[n], v = new float[n];
            var adam = new Adam(n, beta1, beta2, eps, decay, decoupled, threads);
            for (int t = 1; t <= 3; t++)
            {
                var g = Fill(random, n, 0.1f);
                adam.Step(values, g, decayed, lr);
                double bias1 = 1.0 - Math.Pow(beta1, t), bias2 = 1.0 - Math.Pow(beta2, t);
                float stepSize = (float)(lr / bias1), inv = (float)(1.0 / Math.Sqrt(bias2)), factor = 1f - lr * decay;
                for (int i = 0; i < n; i++)
                {
                    float p = reference[i], gi = g[i];
                    if (i < decayed)
                    {
                        if (decoupled) p *= factor;
                        else gi += decay * p;
                    }
                    m[i] = beta1 * m[i] + (1f - beta1) * gi;
                    v[i] = beta2 * v[i] + (1f - beta2) * gi * gi;
                    reference[i] = p - stepSize * m[i] / (MathF.Sqrt(v[i]) * inv + eps);
                }
                AssertBits(reference, values, $"Adam{(decoupled ? "W" : "")} n={n} step {t} threads {threads}");
                Assert.IsTrue(adam.LastStepFinite);
            }
        }
    }

    [TestMethod]
    public void AdamReportsANonFiniteValueInTheVectorBodyAndInTheTail()
    {
        foreach (int at in new[] { 3, 20, 202 })   // inside a 16-lane block, inside an 8-lane block, in the tail
        {
            const int n = 203;
            var values = new float[n];
            var g = new float[n];
            g[at] = float.NaN;
            var adam = new Adam(n, 0.9f, 0.999f, 1e-8f, 0f, decoupled: false);
            adam.Step(values, g, 0, 1e-3f);
            Assert.IsFalse(adam.LastStepFinite, $"NaN gradient at {at}");
        }
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(3)]
    public void BatchNormForwardAndBackwardMatchTheScalarFormulasBitForBit(int threads)
    {
        foreach (var (rows, channels) in new[] { (2, 1), (5, 7), (3, 16), (4, 17), (9, 33), (37, 203), (64, 203) })
        {
            var random = new Random(rows * 1000 + channels);
            int n = rows * channels;
            var x = Fill(random, n, 3f);
            for (int i = 0; i < n; i++) x[i] += 5f * (i % channels % 3);   // channel offsets, so centring matters
            var gamma = Fill(random, channels, 1f);
            var beta = Fill(random, channels, 1f);
            float eps = 1e-5f;

            // Reference forward: μ and σ² in double, two passes in row order; x̂ = (float)(x − μ)·rstd; y = γ·x̂ + β.
            var mean = new double[channels];
            var rstd = new float[channels];
            var variance = new float[channels];
            for (int c = 0; c < channels; c++)
            {
                double s = 0;
                for (int r = 0; r < rows; r++) s += x[r * channels + c];
                mean[c] = s / rows;
                double q = 0;
                for (int r = 0; r < rows; r++) { double d = x[r * channels + c] - mean[c]; q += d * d; }
                variance[c] = (float)(q / rows);
                rstd[c] = (float)(1.0 / Math.Sqrt(q / rows + eps));
            }
            float[] refXhat = new float[n], refY = new float[n];
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < channels; c++)
                {
                    int i = r * channels + c;
                    float h = (float)(x[i] - mean[c]) * rstd[c];
                    refXhat[i] = h;
                    refY[i] = h * gamma[c] + beta[c];
                }

            float[] y = new float[n], xhat = new float[n], bm = new float[channels], bv = new float[channels], br = new float[channels];
            float[] runningMean = new float[channels], runningVariance = Enumerable.Repeat(1f, channels).ToArray();
            BatchNormWork.ForwardTrain(y, xhat, bm, bv, br, x, gamma, beta, runningMean, runningVariance, updateRunning: true,
                rows, channels, eps, 0.1f, threads);
            string at = $"B={rows} C={channels} threads {threads}";
            AssertBits(mean.Select(v => (float)v).ToArray(), bm, $"mean {at}");
            AssertBits(variance, bv, $"variance {at}");
            AssertBits(rstd, br, $"rstd {at}");
            AssertBits(refXhat, xhat, $"x̂ {at}");
            AssertBits(refY, y, $"y {at}");
            float unbias = rows / (float)(rows - 1);
            AssertBits(mean.Select(v => (1f - 0.1f) * 0f + 0.1f * (float)v).ToArray(), runningMean, $"running mean {at}");
            AssertBits(variance.Select(v => (1f - 0.1f) * 1f + 0.1f * (unbias * v)).ToArray(), runningVariance, $"running variance {at}");

            // Reference backward: ∂β = Σ g, ∂γ = Σ g·x̂ (float, row order); ∂x = γ·rstd·(1/B)·(B·g − ∂β − x̂·∂γ).
            var dy = Fill(random, n, 1f);
            float[] refDBeta = new float[channels], refDGamma = new float[channels], refDx = new float[n];
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < channels; c++)
                {
                    int i = r * channels + c;
                    refDBeta[c] = refDBeta[c] + dy[i];
                    refDGamma[c] = dy[i] * xhat[i] + refDGamma[c];
                }
            float invB = 1f / rows;
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < channels; c++)
                {
                    int i = r * channels + c;
                    refDx[i] = gamma[c] * br[c] * invB * (rows * dy[i] - refDBeta[c] - xhat[i] * refDGamma[c]);
                }
            float[] dx = new float[n], dGamma = new float[channels], dBeta = new float[channels];
            BatchNormWork.Backward(dx, dGamma, dBeta, dy, xhat, gamma, br, rows, channels, threads);
            AssertBits(refDBeta, dBeta, $"∂β {at}");
            AssertBits(refDGamma, dGamma, $"∂γ {at}");
            AssertBits(refDx, dx, $"∂x {at}");
        }
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(3)]
    public void ReluForwardAndBackwardMatchTheScalarLoopBitForBit(int threads)
    {
        foreach (int n in Lengths.Append(70_001))
        {
            var random = new Random(n + 5);
            var x = Fill(random, n, 2f);
            if (n > 5) { x[1] = -0f; x[2] = 0f; x[3] = float.NaN; x[4] = float.PositiveInfinity; x[5] = float.NegativeInfinity; }
            var dy = Fill(random, n, 1f);
            var y = new float[n];
            ActivationWork.Forward(y, x, Activation.Relu, 0f, threads);
            AssertBits(x.Select(v => float.IsNaN(v) ? v : v > 0 ? v : 0f).ToArray(), y, $"ReLU forward n={n}");
            var dx = new float[n];
            ActivationWork.Backward(dx, dy, x, y, Activation.Relu, 0f, threads);
            AssertBits(x.Select((v, i) => v > 0 ? dy[i] : 0f).ToArray(), dx, $"ReLU backward n={n}");
        }
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(3)]
    public void TanhStaysWithin2EMinus7OfTheDoubleFormulaAndItsGradientIsExact(int threads)
    {
        foreach (int n in Lengths.Append(70_001))
        {
            var random = new Random(n + 9);
            var x = Fill(random, n, 6f);
            var y = new float[n];
            ActivationWork.Forward(y, x, Activation.Tanh, 0f, threads);
            double worst = 0;
            for (int i = 0; i < n; i++)
                worst = Math.Max(worst, Math.Abs(y[i] - Math.Tanh(x[i])));
            Assert.IsLessThanOrEqualTo(TanhError, worst, $"tanh, n={n}: worst absolute error {worst:E2}");
            if (n == Lengths[^1]) Console.WriteLine($"tanh worst absolute error over {n} values: {worst:E2}");
            var dy = Fill(random, n, 1f);
            var dx = new float[n];
            ActivationWork.Backward(dx, dy, x, y, Activation.Tanh, 0f, threads);
            AssertBits(dy.Select((g, i) => g * (1f - y[i] * y[i])).ToArray(), dx, $"tanh backward n={n}");
        }
    }

    [TestMethod]
    [DataRow(Activation.LeakyRelu)]
    [DataRow(Activation.Sigmoid)]
    [DataRow(Activation.Elu)]
    [DataRow(Activation.Silu)]
    [DataRow(Activation.Softplus)]
    public void ScalarActivationsSplitOverThreadsMatchTheFormula(Activation activation)
    {
        const float slope = 0.05f;
        Func<double, double> f = activation switch
        {
            Activation.LeakyRelu => v => v > 0 ? v : slope * v,
            Activation.Sigmoid => v => 1 / (1 + Math.Exp(-v)),
            Activation.Elu => v => v > 0 ? v : Math.Exp(v) - 1,
            Activation.Silu => v => v / (1 + Math.Exp(-v)),
            _ => v => Math.Log(1 + Math.Exp(v)),
        };
        foreach (int n in new[] { 17, 1003, 70_001 })
        {
            var random = new Random(n);
            var x = Fill(random, n, 8f);
            float[] one = new float[n], three = new float[n];
            ActivationWork.Forward(one, x, activation, slope, threads: 1);
            ActivationWork.Forward(three, x, activation, slope, threads: 3);
            AssertBits(one, three, $"{activation} n={n}: 1 thread vs 3");
            for (int i = 0; i < n; i++)
            {
                float expected = (float)f(x[i]);
                Assert.IsLessThanOrEqualTo(1, Ulps(expected, one[i]), $"{activation}({x[i]:R}) = {one[i]:R}, expected {expected:R}");
            }
        }
    }

    /// <summary>System.Numerics.Tensors' vectorized tanh is an approximation (|tanh| ≤ 1, so 2e−7 is under 2 ulp at 1).</summary>
    private const double TanhError = 2e-7;

    private static float[] Fill(Random random, int n, float scale)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        return a;
    }

    private static void AssertBits(float[] expected, float[] actual, string what)
    {
        Assert.HasCount(expected.Length, actual, what);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, the scalar formula gives {expected[i]:R}");
    }

    /// <summary>The distance in units in the last place between two finite floats of the same sign (or both near 0).</summary>
    private static long Ulps(float a, float b)
    {
        if (a == b) return 0;
        long ia = BitConverter.SingleToInt32Bits(a), ib = BitConverter.SingleToInt32Bits(b);
        if (ia < 0) ia = int.MinValue - ia;
        if (ib < 0) ib = int.MinValue - ib;
        return Math.Abs(ia - ib);
    }
}
