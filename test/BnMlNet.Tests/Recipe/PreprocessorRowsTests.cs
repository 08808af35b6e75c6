using BnMlNet.Engine;
using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Preprocessing;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// <see cref="FeaturePreprocessor.ApplyRows"/> and <see cref="FeaturePreprocessor.ApplyRowsInPlace"/> (eight inputs per
/// vector) against the reference path (<see cref="ReferencePaths"/>: <see cref="FeaturePreprocessor.Apply"/> row by row)
/// and against the formula written out, bit for bit: widths below, at and past the vector width, NaN, ±∞, ±0,
/// denormals, values whose scaling overflows to ±∞ (and to NaN through a zero inverse scale), with and without smooth
/// clipping and missing indicators.
/// </summary>
[TestClass]
public sealed class PreprocessorRowsTests
{
    private static readonly float[] Specials =
        [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, -float.MaxValue, 1e30f, -3e20f];

    private static FeaturePreprocessor Make(Random rng, int n, bool clip, bool indicators)
    {
        float[] Draw(double scale) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale)).ToArray();
        var fill = Draw(3);
        var center = Draw(2);
        var inv = Draw(5);
        if (n > 2) inv[2] = 0f;   // a zero inverse scale: (x − c)·0, and ∞·0 = NaN after an overflow
        if (n > 3) center[3] = float.MaxValue;
        var min = fill.Select(f => f - 10f).ToArray();
        var max = fill.Select(f => f + 10f).ToArray();
        if (n > 1) { min[1] = -float.MaxValue; max[1] = float.MaxValue; }
        int[] ind = indicators ? Enumerable.Range(0, n).Where(j => j % 3 == 1).ToArray() : [];
        return new FeaturePreprocessor(fill, min, max, center, inv, ind, clip);
    }

    private static float[] Rows(Random rng, int rows, int n)
    {
        var x = new float[rows * n];
        for (int i = 0; i < x.Length; i++)
            x[i] = rng.Next(4) == 0 ? Specials[rng.Next(Specials.Length)] : (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.Next(-3, 6)));
        return x;
    }

    /// <summary>The documented formula for input j, written out independently of the preprocessor's code.</summary>
    private static float Formula(FeaturePreprocessor p, int j, float x)
    {
        if (float.IsNaN(x)) x = p.Fill[j];
        else if (x == float.PositiveInfinity) x = p.Maximum[j];
        else if (x == float.NegativeInfinity) x = p.Minimum[j];
        float z = (x - p.Center[j]) * p.InverseScale[j];
        if (!p.SmoothClip) return z;
        if (z < -FeaturePreprocessor.ClipGuard) z = -FeaturePreprocessor.ClipGuard;
        else if (z > FeaturePreprocessor.ClipGuard) z = FeaturePreprocessor.ClipGuard;
        float t = z / 3f;
        float s = 1f + t * t;
        return z / MathF.Sqrt(s);
    }

    private static void AssertBits(float[] expected, float[] actual, string what)
    {
        Assert.HasCount(expected.Length, actual);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToUInt32Bits(expected[i]) != BitConverter.SingleToUInt32Bits(actual[i]))
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R}");
    }

    [TestMethod]
    [DoNotParallelize] // it flips the process-wide ReferencePaths switch
    [DataRow(1, false, false)]
    [DataRow(7, true, false)]
    [DataRow(8, true, false)]
    [DataRow(9, false, true)]
    [DataRow(17, true, true)]
    [DataRow(112, true, false)]
    [DataRow(112, false, false)]
    [DataRow(36, true, true)]
    public void RowPassesGiveTheReferenceAndTheFormulaBits(int n, bool clip, bool indicators)
    {
        var rng = new Random(n * 7 + (clip ? 1 : 0) + (indicators ? 2 : 0));
        var p = Make(rng, n, clip, indicators);
        const int rows = 41;
        var x = Rows(rng, rows, n);
        int m = p.OutputSize;
        var fast = new float[rows * m];
        p.ApplyRows(x, fast, rows);
        var plain = new float[rows * m];
        bool before = ReferencePaths.Enabled;
        ReferencePaths.Enabled = true;
        try { p.ApplyRows(x, plain, rows); }
        finally { ReferencePaths.Enabled = before; }
        AssertBits(plain, fast, $"ApplyRows vs reference, n={n}");
        var formula = new float[rows * m];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < n; j++) formula[r * m + j] = Formula(p, j, x[r * n + j]);
            for (int k = 0; k < p.IndicatorInputs.Count; k++) formula[r * m + n + k] = float.IsNaN(x[r * n + p.IndicatorInputs[k]]) ? 1f : 0f;
        }
        AssertBits(formula, fast, $"ApplyRows vs the formula, n={n}");
        if (indicators) return;
        var inPlace = (float[])x.Clone();
        p.ApplyRowsInPlace(inPlace, rows);
        AssertBits(formula, inPlace, $"ApplyRowsInPlace, n={n}");
    }

    [TestMethod]
    public void RowPasses_RejectShortBuffers()
    {
        var p = Make(new Random(1), 9, true, false);
        Assert.ThrowsExactly<ArgumentException>(() => p.ApplyRows(new float[9 * 3 - 1], new float[9 * 3], 3));
        Assert.ThrowsExactly<ArgumentException>(() => p.ApplyRows(new float[9 * 3], new float[9 * 3 - 1], 3));
        Assert.ThrowsExactly<ArgumentException>(() => p.ApplyRowsInPlace(new float[9 * 3 - 1], 3));
    }
}
