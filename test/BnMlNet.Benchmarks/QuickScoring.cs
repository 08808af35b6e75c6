using System.Diagnostics;
using System.Globalization;
using BnMlNet.Engine.Kernels;

namespace BnMlNet.Benchmarks;

/// <summary>
/// <c>quick rowkernel</c>: one row through one layer, the dense <see cref="RowKernels.MatVec"/> against
/// <see cref="LaneExactMatVec"/> (same bits, skips zero inputs), interleaved in rounds; prints the median ns of each
/// and checks the outputs agree bit for bit.
/// </summary>
public static class QuickScoring
{
    /// <summary>Runs the comparison on Adult's and Fashion-MNIST's layer shapes.</summary>
    public static void Run()
    {
        // (name, in, out, non-zero inputs): Adult after robust scaling ≈ 6 numeric + 8 one-hot + the slots whose
        // zero is not at the median; the second Adult layer after ReLU ≈ half; Fashion-MNIST ≈ half of the pixels.
        foreach (var (name, nIn, nOut, nonZero) in new[] { ("adult_l1", 107, 128, 24), ("adult_l2", 128, 64, 64), ("adult_l1_dense", 107, 128, 107),
            ("fm_l1", 784, 256, 392), ("fm_l2", 256, 256, 128) })
        {
            var rng = new Random(3);
            var w = new float[nIn * nOut];
            for (int i = 0; i < w.Length; i++) w[i] = (float)(rng.NextDouble() - 0.5);
            var b = new float[nOut];
            var wT = LaneExactMatVec.Transpose(w, nIn, nOut);
            var lanes = new int[LaneExactMatVec.LaneBufferLength(nIn)];
            const int rowCount = 64;
            var rows = new float[rowCount][];
            for (int r = 0; r < rowCount; r++)
            {
                rows[r] = new float[nIn];
                foreach (int k in Enumerable.Range(0, nIn).OrderBy(_ => rng.Next()).Take(nonZero)) rows[r][k] = (float)(rng.NextDouble() * 2 - 1);
            }
            var y1 = new float[nOut];
            var y2 = new float[nOut];
            int mismatches = 0;
            foreach (var x in rows)
            {
                RowKernels.MatVec(y1, w, b, x, nIn, nOut);
                LaneExactMatVec.Multiply(y2, wT, b, x, nIn, nOut, lanes);
                for (int o = 0; o < nOut; o++) if (BitConverter.SingleToUInt32Bits(y1[o]) != BitConverter.SingleToUInt32Bits(y2[o])) mismatches++;
            }
            var dense = new List<double>();
            var skipping = new List<double>();
            for (int round = 0; round < 15; round++)
            {
                dense.Add(Time(() => { foreach (var x in rows) RowKernels.MatVec(y1, w, b, x, nIn, nOut); }, rowCount));
                skipping.Add(Time(() => { foreach (var x in rows) LaneExactMatVec.Multiply(y2, wT, b, x, nIn, nOut, lanes); }, rowCount));
            }
            double d = Median(dense), s = Median(skipping);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rowkernel_{name}_dense_ns={d:F1}\nrowkernel_{name}_lane_exact_ns={s:F1}\nrowkernel_{name}_speedup={d / s:F2}\nrowkernel_{name}_mismatches={mismatches}"));
        }
    }

    private static double Time(Action pass, int rows)
    {
        for (int i = 0; i < 200; i++) pass();
        var clock = Stopwatch.StartNew();
        int passes = 0;
        while (clock.Elapsed.TotalMilliseconds < 40) { pass(); passes++; }
        return clock.Elapsed.TotalMilliseconds * 1e6 / ((double)passes * rows);
    }

    private static double Median(List<double> v)
    {
        var s = v.Order().ToArray();
        return s[s.Length / 2];
    }
}
