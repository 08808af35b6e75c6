using System.Diagnostics;
using System.Globalization;
using BnMlNet.Engine;
using BnMlNet.Engine.Layers;

namespace BnMlNet.Benchmarks;

/// <summary>
/// <c>quick embedding [rows]</c>: the periodic embedding's passes alone, today's (vectorized cos/sin, vectorized
/// products) against a verbatim copy of the scalar passes before branch embedfast (<see cref="Old"/>), interleaved in
/// rounds on one thread; prints the median ms of each and the ratio, for the forward and backward (training), and the
/// frozen row path (<see cref="PeriodicEmbeddingParameters.ApplyRows"/>, MathF cos/sin kept) against the old row loop.
/// Shapes: m embedded features of the development suite's sizes, k = 16, d = 8 (the defaults), batch 256 rows.
/// </summary>
public static class QuickEmbedding
{
    /// <summary>Runs the comparison.</summary>
    public static void Run(string[] args)
    {
        int rows = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 256;
        const int k = 16, d = 8;
        foreach (int m in new[] { 6, 20, 60 })
        {
            int inputSize = m + 4, twoK = 2 * k, width = m * d + 4;
            var rng = new Random(m);
            float[] Fill(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale)).ToArray();
            var x = Fill(rows * inputSize, 2);
            var c = Fill(m * k, 0.3);
            var w = Fill(m * twoK * d, 0.25);
            var b = Fill(m * d, 0.25);
            var dE = Fill(rows * width, 1);
            int[] slots = Enumerable.Range(0, m).ToArray(), pass = Enumerable.Range(m, 4).ToArray();
            float[] e = new float[rows * width], v = new float[rows * m * twoK], dx = new float[rows * inputSize];
            float[] dc = new float[c.Length], dw = new float[w.Length], db = new float[b.Length];
            var frozen = new PeriodicEmbeddingParameters(inputSize, slots, k, d, c, w, b);
            var scored = new float[rows * width];
            var fNew = new List<double>(); var fOld = new List<double>();
            var bNew = new List<double>(); var bOld = new List<double>();
            var sNew = new List<double>(); var sOld = new List<double>();
            for (int round = 0; round < 11; round++)
            {
                fOld.Add(Time(() => Old.Forward(e, v, x, c, w, b, slots, pass, 0, rows, inputSize, k, d)));
                bOld.Add(Time(() => Old.Backward(dx, dc, dw, db, dE, e, v, x, c, w, slots, pass.Length, 0, m, rows, inputSize, k, d)));
                fNew.Add(Time(() => PeriodicEmbeddingLayer.Forward(e, v, x, c, w, b, slots, pass, 0, rows, inputSize, k, d)));
                bNew.Add(Time(() => PeriodicEmbeddingLayer.Backward(dx, dc, dw, db, dE, e, v, x, c, w, slots, pass.Length, 0, m, rows, inputSize, k, d)));
                sOld.Add(Time(() => Old.Score(frozen, x, scored, rows)));
                sNew.Add(Time(() => frozen.ApplyRows(x, scored, rows)));
            }
            Put($"embedding_m{m}_forward", Median(fOld), Median(fNew));
            Put($"embedding_m{m}_backward", Median(bOld), Median(bNew));
            Put($"embedding_m{m}_rowpath", Median(sOld), Median(sNew));
        }
    }

    private static void Put(string key, double old, double now) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{key}_old_ms={old:F4}\n{key}_new_ms={now:F4}\n{key}_speedup={old / now:F2}"));

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static double Time(Action action)
    {
        action();
        var sw = Stopwatch.StartNew();
        int n = 0;
        do { action(); n++; } while (sw.ElapsedMilliseconds < 40);
        return sw.Elapsed.TotalMilliseconds / n;
    }

    /// <summary>The passes as they were before branch embedfast (commit fd1e845), copied verbatim for timing.</summary>
    private static class Old
    {
        private const float TwoPi = PeriodicEmbeddingLayer.TwoPi;

        public static void Score(PeriodicEmbeddingParameters p, ReadOnlySpan<float> features, Span<float> output, int rows)
        {
            int k = p.Frequencies, d = p.Dimension, m = p.Slots.Count, outputSize = p.OutputSize, inputSize = p.InputSize;
            float[] c = p.Frequency.ToArray(), w = p.Weights.ToArray(), b = p.Bias.ToArray();
            Span<float> v = stackalloc float[2 * k];
            for (int r = 0; r < rows; r++)
            {
                var x = features.Slice(r * inputSize, inputSize);
                var e = output.Slice(r * outputSize, outputSize);
                for (int i = 0; i < m; i++)
                    EmbedValue(x[p.Slots[i]], c.AsSpan(i * k, k), w.AsSpan(i * 2 * k * d, 2 * k * d), b.AsSpan(i * d, d), v, e.Slice(i * d, d));
                for (int q = 0; q < p.PassThroughSlots.Count; q++) e[m * d + q] = x[p.PassThroughSlots[q]];
            }
        }

        public static void EmbedValue(float x, ReadOnlySpan<float> c, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> v, Span<float> h)
        {
            int k = c.Length, d = b.Length;
            for (int f = 0; f < k; f++)
            {
                float a = TwoPi * c[f] * x;
                v[f] = MathF.Cos(a);
                v[k + f] = MathF.Sin(a);
            }
            b.CopyTo(h);
            for (int q = 0; q < 2 * k; q++)
            {
                float vq = v[q];
                var row = w.Slice(q * d, d);
                for (int o = 0; o < d; o++) h[o] += vq * row[o];
            }
            for (int o = 0; o < d; o++) h[o] = h[o] > 0f ? h[o] : 0f;
        }

        public static void Forward(Span<float> e, Span<float> v, ReadOnlySpan<float> x, ReadOnlySpan<float> frequency,
            ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<int> slots, ReadOnlySpan<int> passThrough,
            int rowStart, int rowEnd, int inputSize, int k, int d)
        {
            int m = slots.Length, outputSize = m * d + passThrough.Length;
            for (int r = rowStart; r < rowEnd; r++)
            {
                var xr = x.Slice(r * inputSize, inputSize);
                var er = e.Slice(r * outputSize, outputSize);
                for (int i = 0; i < m; i++)
                    EmbedValue(xr[slots[i]], frequency.Slice(i * k, k), weights.Slice(i * 2 * k * d, 2 * k * d), bias.Slice(i * d, d),
                        v.Slice((r * m + i) * 2 * k, 2 * k), er.Slice(i * d, d));
                for (int p = 0; p < passThrough.Length; p++) er[m * d + p] = xr[passThrough[p]];
            }
        }

        public static void Backward(Span<float> dx, Span<float> dFrequency, Span<float> dWeights, Span<float> dBias,
            ReadOnlySpan<float> dE, ReadOnlySpan<float> e, ReadOnlySpan<float> v, ReadOnlySpan<float> x,
            ReadOnlySpan<float> frequency, ReadOnlySpan<float> weights, ReadOnlySpan<int> slots, int passThroughCount,
            int slotStart, int slotEnd, int rows, int inputSize, int k, int d)
        {
            int m = slots.Length, outputSize = m * d + passThroughCount, twoK = 2 * k;
            Span<float> g = stackalloc float[d];
            Span<float> dv = stackalloc float[twoK];
            for (int i = slotStart; i < slotEnd; i++)
            {
                var dc = dFrequency.Slice(i * k, k);
                var dw = dWeights.Slice(i * twoK * d, twoK * d);
                var db = dBias.Slice(i * d, d);
                var c = frequency.Slice(i * k, k);
                var w = weights.Slice(i * twoK * d, twoK * d);
                dc.Clear();
                dw.Clear();
                db.Clear();
                for (int r = 0; r < rows; r++)
                {
                    int at = r * outputSize + i * d;
                    for (int o = 0; o < d; o++) g[o] = e[at + o] > 0f ? dE[at + o] : 0f;
                    var vr = v.Slice((r * m + i) * twoK, twoK);
                    for (int o = 0; o < d; o++) db[o] += g[o];
                    for (int q = 0; q < twoK; q++)
                    {
                        float vq = vr[q], acc = 0f;
                        var wq = w.Slice(q * d, d);
                        var dwq = dw.Slice(q * d, d);
                        for (int o = 0; o < d; o++)
                        {
                            dwq[o] += vq * g[o];
                            acc += wq[o] * g[o];
                        }
                        dv[q] = acc;
                    }
                    float xv = x[r * inputSize + slots[i]], dxv = 0f;
                    for (int f = 0; f < k; f++)
                    {
                        float da = vr[k + f] * -dv[f] + vr[f] * dv[k + f];
                        dc[f] += da * TwoPi * xv;
                        dxv += da * TwoPi * c[f];
                    }
                    if (!dx.IsEmpty) dx[r * inputSize + slots[i]] = dxv;
                }
            }
        }
    }
}
