using BnMlNet.Engine.Kernels;

namespace BnMlNet.Tests.Engine;

/// <summary>
/// The AVX-512 single-row kernel that holds two outputs per register (<see cref="PairedMatVec512"/>) against the dense
/// row kernel (<see cref="RowKernels.MatMulRows"/>, which <see cref="BnMlNet.Engine.InferenceNetwork.PredictBatch"/> uses), bit for bit.
/// </summary>
[TestClass]
public sealed class PairedMatVec512Tests
{
    private static uint Bits(float v) => BitConverter.SingleToUInt32Bits(v);

    private static float[] Row(Random rng, int n, double zeroShare)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++)
            x[i] = rng.NextDouble() < zeroShare ? (rng.Next(4) == 0 ? -0f : 0f)
                : (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.Next(-4, 5)));
        return x;
    }

    [TestMethod]
    public void Multiply_GivesTheDenseKernelsBits_OnRandomShapes()
    {
        if (!PairedMatVec512.IsSupported) Assert.Inconclusive("PairedMatVec512 needs AVX-512F; this machine has none.");
        var rng = new Random(17);
        long compared = 0;
        var shapes = new List<(int In, int Out)> { (128, 64), (107, 128), (784, 256), (256, 256), (8, 16), (1, 16), (7, 17), (9, 31), (64, 33) };
        for (int trial = 0; trial < 400; trial++) shapes.Add((rng.Next(1, 300), rng.Next(1, 200)));
        foreach (var (nIn, nOut) in shapes)
        {
            var w = TestData.Uniform(rng, nOut * nIn);
            var b = TestData.Uniform(rng, nOut);
            var packed = PairedMatVec512.Pack(w, b, nIn, nOut);
            var dense = new float[nOut];
            var paired = new float[nOut + 3];
            foreach (double zeros in new[] { 0.0, 0.5, 1.0 })
            {
                var x = Row(rng, nIn, zeros);
                RowKernels.MatVec(dense, w, b, x, nIn, nOut);
                Array.Fill(paired, float.NaN);
                PairedMatVec512.Multiply(paired, packed, x, nIn, nOut);
                for (int o = 0; o < nOut; o++)
                    Assert.AreEqual(Bits(dense[o]), Bits(paired[o]), $"in {nIn} out {nOut} zeros {zeros} output {o}: {dense[o]} vs {paired[o]}");
                for (int o = nOut; o < paired.Length; o++) Assert.IsTrue(float.IsNaN(paired[o]), $"in {nIn} out {nOut}: wrote past output {nOut - 1}");
                compared += nOut;
            }
        }
        Assert.IsGreaterThan(100_000L, compared);
    }

    [TestMethod]
    public void Multiply_PropagatesNaNAndInfinityLikeTheDenseKernel()
    {
        if (!PairedMatVec512.IsSupported) Assert.Inconclusive("PairedMatVec512 needs AVX-512F; this machine has none.");
        var rng = new Random(6);
        int nIn = 43, nOut = 40;
        var w = TestData.Uniform(rng, nOut * nIn);
        var b = TestData.Uniform(rng, nOut);
        var packed = PairedMatVec512.Pack(w, b, nIn, nOut);
        foreach (float special in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue })
            foreach (int at in new[] { 0, 9, 41 })
            {
                var x = Row(rng, nIn, 0.3);
                x[at] = special;
                var dense = new float[nOut];
                var paired = new float[nOut];
                RowKernels.MatVec(dense, w, b, x, nIn, nOut);
                PairedMatVec512.Multiply(paired, packed, x, nIn, nOut);
                int nonFinite = 0;
                for (int o = 0; o < nOut; o++)
                {
                    Assert.IsTrue(Bits(dense[o]) == Bits(paired[o]) || (float.IsNaN(dense[o]) && float.IsNaN(paired[o])),
                        $"{special} at {at}, output {o}: {dense[o]} vs {paired[o]}");
                    if (!float.IsFinite(dense[o])) nonFinite++;
                }
                if (special != float.MaxValue) Assert.AreEqual(nOut, nonFinite, $"{special} at {at} reaches every output");
            }
    }
}
