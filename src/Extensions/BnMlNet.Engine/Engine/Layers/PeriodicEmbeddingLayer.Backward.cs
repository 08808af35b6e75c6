using System.Buffers;
using System.Numerics;

namespace BnMlNet.Engine.Layers;

// The periodic embedding's backward pass, vectorized.
internal static partial class PeriodicEmbeddingLayer
{
    /// <summary>Rows whose ∂W contributions are added in one pass over ∂W (in row order, so the bits are row by row's).</summary>
    private const int RowBlock = 4;

    /// <summary>
    /// Backward for embedded features [slotStart, slotEnd) over all rows, from dE [rows×outputSize]:
    /// g = dE·[h &gt; 0]; ∂b_i = Σ_r g; ∂W_i[q, o] = Σ_r v_q·g_o; ∂v_q = Σ_o W_i[q, o]·g_o;
    /// ∂a_f = −sin(a_f)·∂v_f + cos(a_f)·∂v_(k+f); ∂c_if = Σ_r ∂a_f·2π·x; ∂x = Σ_f ∂a_f·2π·c_if (when dx is not empty).
    /// Gradients are overwritten; each feature sums its rows in order, so the bits never depend on how features are split.
    /// Vectorized over o (g, ∂b, ∂W; ∂W takes <see cref="RowBlock"/> rows per pass over it, still added row after row),
    /// over q (∂v, from Wᵀ, o ascending) and over f (∂a, ∂c); ∂x is a fixed lane-wise sum, then the lanes in order.
    /// </summary>
    public static void Backward(Span<float> dx, Span<float> dFrequency, Span<float> dWeights, Span<float> dBias,
        ReadOnlySpan<float> dE, ReadOnlySpan<float> e, ReadOnlySpan<float> v, ReadOnlySpan<float> x,
        ReadOnlySpan<float> frequency, ReadOnlySpan<float> weights, ReadOnlySpan<int> slots, int passThroughCount,
        int slotStart, int slotEnd, int rows, int inputSize, int k, int d)
    {
        int m = slots.Length, outputSize = m * d + passThroughCount, twoK = 2 * k;
        float[] rented = ArrayPool<float>.Shared.Rent(twoK * d + RowBlock * d + twoK + 2 * k);
        try
        {
            var all = rented.AsSpan();
            Span<float> wt = all[..(twoK * d)], g = all.Slice(twoK * d, RowBlock * d), dv = all.Slice(twoK * d + RowBlock * d, twoK),
                da = all.Slice(twoK * d + RowBlock * d + twoK, k), omega = all.Slice(twoK * d + RowBlock * d + twoK + k, k);
            for (int i = slotStart; i < slotEnd; i++)
            {
                var dc = dFrequency.Slice(i * k, k);
                var dw = dWeights.Slice(i * twoK * d, twoK * d);
                var db = dBias.Slice(i * d, d);
                var c = frequency.Slice(i * k, k);
                var w = weights.Slice(i * twoK * d, twoK * d);
                for (int q = 0; q < twoK; q++)
                    for (int o = 0; o < d; o++) wt[o * twoK + q] = w[q * d + o];
                for (int f = 0; f < k; f++) omega[f] = TwoPi * c[f];
                dc.Clear();
                dw.Clear();
                db.Clear();
                for (int r0 = 0; r0 < rows; r0 += RowBlock)
                {
                    int n = Math.Min(RowBlock, rows - r0);
                    for (int t = 0; t < n; t++)
                    {
                        int at = (r0 + t) * outputSize + i * d;
                        var gt = g.Slice(t * d, d);
                        Mask(gt, dE.Slice(at, d), e.Slice(at, d));
                        Accumulate(db, gt);
                    }
                    var vBlock = v[((r0 * m + i) * twoK)..];
                    if (n == RowBlock) WeightGradient4(dw, vBlock, m * twoK, g, twoK, d);
                    else
                        for (int t = 0; t < n; t++)
                        {
                            var vr = vBlock.Slice(t * m * twoK, twoK);
                            for (int q = 0; q < twoK; q++) AddScaled(dw.Slice(q * d, d), vr[q], g.Slice(t * d, d));
                        }
                    for (int t = 0; t < n; t++)
                    {
                        int r = r0 + t;
                        var gt = g.Slice(t * d, d);
                        ValueGradient(dv, wt, gt, twoK);
                        float xv = x[r * inputSize + slots[i]];
                        AngleGradient(da, dc, v.Slice((r * m + i) * twoK, twoK), dv, xv, k);
                        if (!dx.IsEmpty) dx[r * inputSize + slots[i]] = Dot(da, omega);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// ∂W[q, ·] += v_t[q]·g_t for the four rows t = 0..3 in order (row t's v at t·<paramref name="vStride"/>, its g at
    /// t·d of <paramref name="g"/>): one load and store of ∂W per four rows, the same sums as row by row.
    /// </summary>
    private static void WeightGradient4(Span<float> dw, ReadOnlySpan<float> v, int vStride, ReadOnlySpan<float> g, int twoK, int d)
    {
        ReadOnlySpan<float> v0 = v[..twoK], v1 = v.Slice(vStride, twoK), v2 = v.Slice(2 * vStride, twoK), v3 = v.Slice(3 * vStride, twoK);
        int o = 0;
        if (Vector.IsHardwareAccelerated)
            for (; o <= d - Vector<float>.Count; o += Vector<float>.Count)
            {
                Vector<float> g0 = new(g[o..]), g1 = new(g[(d + o)..]), g2 = new(g[(2 * d + o)..]), g3 = new(g[(3 * d + o)..]);
                for (int q = 0; q < twoK; q++)
                {
                    var row = dw[(q * d + o)..];
                    var acc = new Vector<float>(row);
                    acc += new Vector<float>(v0[q]) * g0;
                    acc += new Vector<float>(v1[q]) * g1;
                    acc += new Vector<float>(v2[q]) * g2;
                    acc += new Vector<float>(v3[q]) * g3;
                    acc.CopyTo(row);
                }
            }
        for (; o < d; o++)
            for (int q = 0; q < twoK; q++)
            {
                float acc = dw[q * d + o];
                acc += v0[q] * g[o];
                acc += v1[q] * g[d + o];
                acc += v2[q] * g[2 * d + o];
                acc += v3[q] * g[3 * d + o];
                dw[q * d + o] = acc;
            }
    }

    /// <summary>∂v_q = Σ_o g_o·Wᵀ[o, q], o ascending from 0, vectorized over q.</summary>
    private static void ValueGradient(Span<float> dv, ReadOnlySpan<float> wt, ReadOnlySpan<float> g, int twoK)
    {
        int d = g.Length, q = 0;
        if (Vector.IsHardwareAccelerated)
            for (; q <= twoK - Vector<float>.Count; q += Vector<float>.Count)
            {
                var acc = Vector<float>.Zero;
                for (int o = 0; o < d; o++) acc += new Vector<float>(g[o]) * new Vector<float>(wt[(o * twoK + q)..]);
                acc.CopyTo(dv[q..]);
            }
        for (; q < twoK; q++)
        {
            float acc = 0f;
            for (int o = 0; o < d; o++) acc += g[o] * wt[o * twoK + q];
            dv[q] = acc;
        }
    }

    /// <summary>Σ_f a_f·b_f: lane-wise partial sums over whole vectors, the lanes added in order, then the rest in order.</summary>
    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = a.Length, f = 0;
        float sum = 0f;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            for (; f <= n - Vector<float>.Count; f += Vector<float>.Count) acc += new Vector<float>(a[f..]) * new Vector<float>(b[f..]);
            for (int l = 0; l < Vector<float>.Count; l++) sum += acc[l];
        }
        for (; f < n; f++) sum += a[f] * b[f];
        return sum;
    }

    /// <summary>g = e &gt; 0 ? dE : 0.</summary>
    private static void Mask(Span<float> g, ReadOnlySpan<float> dE, ReadOnlySpan<float> e)
    {
        int n = g.Length, o = 0;
        if (Vector.IsHardwareAccelerated)
            for (; o <= n - Vector<float>.Count; o += Vector<float>.Count)
                Vector.ConditionalSelect(Vector.GreaterThan(new Vector<float>(e[o..]), Vector<float>.Zero), new Vector<float>(dE[o..]), Vector<float>.Zero).CopyTo(g[o..]);
        for (; o < n; o++) g[o] = e[o] > 0f ? dE[o] : 0f;
    }

    /// <summary>y += x.</summary>
    private static void Accumulate(Span<float> y, ReadOnlySpan<float> x)
    {
        int n = y.Length, o = 0;
        if (Vector.IsHardwareAccelerated)
            for (; o <= n - Vector<float>.Count; o += Vector<float>.Count)
                (new Vector<float>(y[o..]) + new Vector<float>(x[o..])).CopyTo(y[o..]);
        for (; o < n; o++) y[o] += x[o];
    }

    /// <summary>y += s·x (a separate multiply and add per value).</summary>
    private static void AddScaled(Span<float> y, float s, ReadOnlySpan<float> x)
    {
        int n = y.Length, o = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vs = new Vector<float>(s);
            for (; o <= n - Vector<float>.Count; o += Vector<float>.Count)
                (new Vector<float>(y[o..]) + vs * new Vector<float>(x[o..])).CopyTo(y[o..]);
        }
        for (; o < n; o++) y[o] += s * x[o];
    }

    /// <summary>∂a_f = cos a_f·∂v_(k+f) − sin a_f·∂v_f into <paramref name="da"/>; ∂c_f += (∂a_f·2π)·x.</summary>
    private static void AngleGradient(Span<float> da, Span<float> dc, ReadOnlySpan<float> vr, ReadOnlySpan<float> dv, float x, int k)
    {
        int f = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var twoPi = new Vector<float>(TwoPi);
            var vx = new Vector<float>(x);
            for (; f <= k - Vector<float>.Count; f += Vector<float>.Count)
            {
                var a = new Vector<float>(vr[f..]) * new Vector<float>(dv[(k + f)..]) - new Vector<float>(vr[(k + f)..]) * new Vector<float>(dv[f..]);
                a.CopyTo(da[f..]);
                (new Vector<float>(dc[f..]) + a * twoPi * vx).CopyTo(dc[f..]);
            }
        }
        for (; f < k; f++)
        {
            float a = vr[f] * dv[k + f] - vr[k + f] * dv[f];
            da[f] = a;
            dc[f] += a * TwoPi * x;
        }
    }
}
