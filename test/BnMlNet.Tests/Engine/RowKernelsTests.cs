using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Layers;

namespace BnMlNet.Tests.Engine;

/// <summary>The inference row kernels and dropout against plain references.</summary>
[TestClass]
public sealed class RowKernelsTests
{
    [TestMethod]
    public void MatMulRows_MatchesNaiveLoop_AndEachRowAloneBitwise()
    {
        var rng = new Random(1);
        for (int trial = 0; trial < 60; trial++)
        {
            int rows = rng.Next(1, 14), nIn = rng.Next(1, 41), nOut = rng.Next(1, 8);
            var x = TestData.Uniform(rng, rows * nIn);
            var w = TestData.Uniform(rng, nOut * nIn);
            var b = TestData.Uniform(rng, nOut);
            var y = new float[rows * nOut];
            RowKernels.MatMulRows(y, w, b, x, rows, nIn, nOut);
            var single = new float[nOut];
            for (int r = 0; r < rows; r++)
            {
                RowKernels.MatVec(single, w, b, x.AsSpan(r * nIn, nIn), nIn, nOut);
                CollectionAssert.AreEqual(y.AsSpan(r * nOut, nOut).ToArray(), single, $"rows {rows} in {nIn} out {nOut} row {r}");
                for (int o = 0; o < nOut; o++)
                {
                    double e = b[o];
                    for (int i = 0; i < nIn; i++) e += (double)x[r * nIn + i] * w[o * nIn + i];
                    // float32 sums of ≤ 40 products of magnitude ≤ 1: error ≤ 1e−5
                    Assert.AreEqual(e, y[r * nOut + o], 1e-5);
                }
            }
        }
    }

    [TestMethod]
    public void Dropout_KeepsWithProbabilityOneMinusPAndRescales()
    {
        const int n = 20000;
        const float p = 0.25f;
        var x = Enumerable.Repeat(2f, n).ToArray();
        var y = new float[n];
        var mask = new float[n];
        Dropout.Forward(y, mask, x, p, new Xoshiro256(3));
        int kept = mask.Count(m => m != 0);
        Assert.AreEqual(n * (1 - p), kept, 4 * Math.Sqrt(n * p * (1 - p)), "binomial count within 4σ");
        Assert.IsTrue(mask.All(m => m == 0f || m == 1f / (1f - p)));
        Assert.AreEqual(2.0, y.Average(), 0.03, "inverted dropout keeps the mean");
        var dx = new float[n];
        Dropout.Backward(dx, Enumerable.Repeat(1f, n).ToArray(), mask);
        CollectionAssert.AreEqual(mask, dx);
    }

    [TestMethod]
    public void DropoutMask_IsTheSameDrawsAsTheScalarLoop()
    {
        // FillMask keeps the generator's state in registers and compares integers; it must give the same mask, bit for
        // bit, and leave the generator where the scalar loop of NextSingle() ≥ rate would.
        foreach (float rate in new[] { 0f, 0.1f, 0.25f, 0.5f, 1f / 3f, 0.999f, 5.9604645e-8f })
        {
            var fast = new Xoshiro256(17);
            var slow = new Xoshiro256(17);
            var mask = new float[5003];
            fast.FillMask(mask, rate, 7f);
            for (int i = 0; i < mask.Length; i++)
                Assert.AreEqual(slow.NextSingle() >= rate ? 7f : 0f, mask[i], $"rate {rate}, element {i}");
            Assert.AreEqual(slow.NextUInt64(), fast.NextUInt64(), $"rate {rate}: the state after the mask");
        }
    }

    [TestMethod]
    public void DropoutMask_InCallsOfAnyLengthIsOneStreamOfDraws()
    {
        // The vector path draws in chunks of 256 and finishes each with scalar lanes; short masks take the scalar loop.
        // Calls of any length in a row must continue one stream, as one row of a batch after the other does.
        var fast = new Xoshiro256(23);
        var slow = new Xoshiro256(23);
        foreach (int length in new[] { 1, 15, 16, 17, 31, 64, 100, 128, 255, 256, 257, 300, 513, 7 })
        {
            var mask = new float[length];
            fast.FillMask(mask, 0.1f, 1f / 0.9f);
            for (int i = 0; i < length; i++)
                Assert.AreEqual(slow.NextSingle() >= 0.1f ? 1f / 0.9f : 0f, mask[i], $"length {length}, element {i}");
        }
        Assert.AreEqual(slow.NextUInt64(), fast.NextUInt64(), "the state after the masks");
    }

    [TestMethod]
    public void Erf_MatchesKnownValues()
    {
        // erf(0.5), erf(1), erf(2), erf(−1.5) to 15 digits
        Assert.AreEqual(0.520499877813047, SpecialFunctions.Erf(0.5), 1e-14);
        Assert.AreEqual(0.842700792949715, SpecialFunctions.Erf(1.0), 1e-14);
        Assert.AreEqual(0.995322265018953, SpecialFunctions.Erf(2.0), 1e-14);
        Assert.AreEqual(-0.966105146475311, SpecialFunctions.Erf(-1.5), 1e-14);
        Assert.AreEqual(1.0, SpecialFunctions.Erf(7.0));
    }
}
