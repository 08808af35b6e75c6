using BnMlNet.Engine.Kernels;

namespace BnMlNet.Tests.Embedding;

/// <summary>
/// The training passes' vectorized cos/sin (<see cref="PeriodicSinCos"/>) against <see cref="Math.Cos"/>/<see cref="Math.Sin"/>
/// in double of the same float angle, and its vector path against its scalar twin bit for bit.
/// </summary>
[TestClass]
public sealed class PeriodicSinCosTests
{
    private static double MaxError(IEnumerable<float> angles, out float worst)
    {
        double max = 0;
        worst = 0;
        var list = angles.ToArray();
        var omega = list;
        var cos = new float[list.Length];
        var sin = new float[list.Length];
        PeriodicSinCos.Compute(omega, 1f, cos, sin);
        for (int i = 0; i < list.Length; i++)
        {
            double e = Math.Max(Math.Abs(cos[i] - Math.Cos(list[i])), Math.Abs(sin[i] - Math.Sin(list[i])));
            if (e > max) { max = e; worst = list[i]; }
        }
        return max;
    }

    [TestMethod]
    public void WithinTheStatedErrorOfDoublePrecision_OnADenseGridAndRandomAnglesUpToTheLimit()
    {
        var grid = Enumerable.Range(-200_000, 400_001).Select(i => i * 5e-5f);   // [−10, 10], step 5e−5
        double g = MaxError(grid, out float gw);
        var random = new Random(3);
        var wide = Enumerable.Range(0, 1_000_000).Select(_ => (float)((random.NextDouble() * 2 - 1) * PeriodicSinCos.Limit));
        double w = MaxError(wide, out float ww);
        // near the quadrant boundaries, where the reduction switches polynomials: float neighbours of n·π/4
        var edges = Enumerable.Range(-10_000, 20_001).SelectMany(n =>
        {
            float a = (float)(n * Math.PI / 4);
            return new[] { BitDecrement(a), a, BitIncrement(a) };
        }).Where(a => Math.Abs(a) <= PeriodicSinCos.Limit);
        double e = MaxError(edges, out float ew);
        double mathF = grid.Max(a => Math.Max(Math.Abs(MathF.Cos(a) - Math.Cos(a)), Math.Abs(MathF.Sin(a) - Math.Sin(a))));
        Console.WriteLine($"max |error|: grid {g:E3} at {gw}, random {w:E3} at {ww}, quadrant edges {e:E3} at {ew}; MathF on the grid {mathF:E3}");
        Assert.IsLessThanOrEqualTo(PeriodicSinCos.MaxAbsoluteError, g, $"grid, worst at {gw}");
        Assert.IsLessThanOrEqualTo(PeriodicSinCos.MaxAbsoluteError, w, $"random, worst at {ww}");
        Assert.IsLessThanOrEqualTo(PeriodicSinCos.MaxAbsoluteError, e, $"edges, worst at {ew}");
        Assert.IsGreaterThan(1e-9, g, "the polynomial path runs (not the exact fallback)");
    }

    private static float BitDecrement(float a) => MathF.BitDecrement(a);
    private static float BitIncrement(float a) => MathF.BitIncrement(a);

    [TestMethod]
    public void BeyondTheLimitAndNonFinite_FallBackToMathF()
    {
        float[] angles = [PeriodicSinCos.Limit * 1.5f, -1e6f, 3e7f, float.NaN, float.PositiveInfinity, 1f, 2f, 3f, 4f, 5f, 6f];
        var cos = new float[angles.Length];
        var sin = new float[angles.Length];
        PeriodicSinCos.Compute(angles, 1f, cos, sin);
        for (int i = 0; i < 5; i++)
        {
            Assert.AreEqual(MathF.Cos(angles[i]), cos[i], $"cos of {angles[i]}");
            Assert.AreEqual(MathF.Sin(angles[i]), sin[i], $"sin of {angles[i]}");
        }
        for (int i = 5; i < angles.Length; i++)
        {
            PeriodicSinCos.One(angles[i], out float c, out float s);
            Assert.AreEqual(c, cos[i], "an in-range angle sharing a vector with a fallback one keeps the polynomial's bits");
            Assert.AreEqual(s, sin[i]);
        }
    }

    [TestMethod]
    public void VectorPathEqualsTheScalarTwinBitForBit_AtEveryOffsetAndLength()
    {
        var random = new Random(8);
        var omega = TestDataF(random, 64, 3f);
        foreach (float x in new[] { 0.37f, -2.5f, 11f, 0f })
            for (int start = 0; start < 9; start++)
                foreach (int length in new[] { 1, 3, 7, 8, 9, 16, 17, 31, 55 })
                {
                    var w = omega.AsSpan(start, length);
                    var cos = new float[length];
                    var sin = new float[length];
                    PeriodicSinCos.Compute(w, x, cos, sin);
                    for (int f = 0; f < length; f++)
                    {
                        PeriodicSinCos.One(w[f] * x, out float c, out float s);
                        Assert.AreEqual(BitConverter.SingleToUInt32Bits(c), BitConverter.SingleToUInt32Bits(cos[f]), $"cos x={x} start={start} length={length} f={f}");
                        Assert.AreEqual(BitConverter.SingleToUInt32Bits(s), BitConverter.SingleToUInt32Bits(sin[f]), $"sin x={x} start={start} length={length} f={f}");
                    }
                }
    }

    private static float[] TestDataF(Random random, int n, float scale) =>
        Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
}
