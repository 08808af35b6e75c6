using System.Numerics;
using System.Runtime.CompilerServices;
using BnMlNet.Engine.Kernels;

namespace BnMlNet.Engine.Layers;

/// <summary>
/// The periodic (PLR) numerical embedding as a forward/backward pair over flat buffers. For an embedded feature i with
/// value x, frequencies c_i [k], weights W_i [2k×d] (row q, column o at (i·2k + q)·d + o) and bias b_i [d]:
/// a_f = (2π·c_if)·x; v = [cos a_0 … cos a_(k−1), sin a_0 … sin a_(k−1)]; h = ReLU(b_i + Σ_q v_q·W_i[q, ·]).
/// The output row is the m embedded blocks of d values (in slot order), then the pass-through slots in order.
/// </summary>
internal static partial class PeriodicEmbeddingLayer
{
    /// <summary>float(2π), multiplied into the frequency first (<see cref="PeriodicEmbeddingParameters.TwoPi"/>).</summary>
    public const float TwoPi = PeriodicEmbeddingParameters.TwoPi;

    /// <summary>
    /// One feature of one row with <see cref="MathF.Cos"/>/<see cref="MathF.Sin"/>: writes v [2k] and h [d] (post-ReLU).
    /// The frozen network's scoring path (<see cref="PeriodicEmbeddingParameters"/>): the same bits as every earlier
    /// version for the same parameters, so saved models score as before. Training uses <see cref="PeriodicSinCos"/>
    /// instead (see <see cref="Forward"/>); the two agree within <see cref="PeriodicSinCos.MaxAbsoluteError"/> per value of v.
    /// </summary>
    public static void EmbedValue(float x, ReadOnlySpan<float> c, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> v, Span<float> h)
    {
        int k = c.Length;
        for (int f = 0; f < k; f++)
        {
            float a = TwoPi * c[f] * x;
            v[f] = MathF.Cos(a);
            v[k + f] = MathF.Sin(a);
        }
        Project(v[..(2 * k)], w, b, h);
    }

    /// <summary>
    /// h = ReLU(b + Σ_q v_q·W[q, ·]) for one row, vectorized over the d outputs: each h_o is the same sequence of float
    /// multiplies and adds (q ascending, no fused multiply-add) as the scalar loop h_o += v_q·W[q, o], so the bits are
    /// the scalar loop's.
    /// </summary>
    public static void Project(ReadOnlySpan<float> v, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> h)
    {
        int d = b.Length, twoK = v.Length, o = 0;
        if (Vector.IsHardwareAccelerated)
            for (; o <= d - Vector<float>.Count; o += Vector<float>.Count)
            {
                var acc = new Vector<float>(b[o..]);
                for (int q = 0; q < twoK; q++) acc += new Vector<float>(v[q]) * new Vector<float>(w[(q * d + o)..]);
                Relu(acc).CopyTo(h[o..]);
            }
        for (; o < d; o++)
        {
            float acc = b[o];
            for (int q = 0; q < twoK; q++) acc += v[q] * w[q * d + o];
            h[o] = acc > 0f ? acc : 0f;
        }
    }

    /// <summary>
    /// <see cref="Project"/> for <paramref name="rows"/> rows of one feature, four rows at a time (four independent
    /// chains; each value still its own scalar sequence, so the bits are <see cref="Project"/>'s). Row t's v starts at
    /// t·<paramref name="vStride"/> of <paramref name="v"/>, its h at t·<paramref name="hStride"/> of <paramref name="h"/>.
    /// </summary>
    public static void ProjectRows(ReadOnlySpan<float> v, int vStride, ReadOnlySpan<float> w, ReadOnlySpan<float> b,
        Span<float> h, int hStride, int rows, int twoK)
    {
        int d = b.Length, t = 0;
        if (Vector.IsHardwareAccelerated && d % Vector<float>.Count == 0)
            for (; t + 4 <= rows; t += 4)
            {
                ReadOnlySpan<float> v0 = v.Slice(t * vStride, twoK), v1 = v.Slice((t + 1) * vStride, twoK),
                    v2 = v.Slice((t + 2) * vStride, twoK), v3 = v.Slice((t + 3) * vStride, twoK);
                for (int o = 0; o < d; o += Vector<float>.Count)
                {
                    var bias = new Vector<float>(b[o..]);
                    Vector<float> a0 = bias, a1 = bias, a2 = bias, a3 = bias;
                    for (int q = 0; q < twoK; q++)
                    {
                        var wq = new Vector<float>(w[(q * d + o)..]);
                        a0 += new Vector<float>(v0[q]) * wq;
                        a1 += new Vector<float>(v1[q]) * wq;
                        a2 += new Vector<float>(v2[q]) * wq;
                        a3 += new Vector<float>(v3[q]) * wq;
                    }
                    Relu(a0).CopyTo(h[(t * hStride + o)..]);
                    Relu(a1).CopyTo(h[((t + 1) * hStride + o)..]);
                    Relu(a2).CopyTo(h[((t + 2) * hStride + o)..]);
                    Relu(a3).CopyTo(h[((t + 3) * hStride + o)..]);
                }
            }
        for (; t < rows; t++) Project(v.Slice(t * vStride, twoK), w, b, h.Slice(t * hStride, d));
    }

    /// <summary>max(a, 0) as the scalar a &gt; 0 ? a : 0 (NaN and −0 give +0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Relu(Vector<float> a) => Vector.ConditionalSelect(Vector.GreaterThan(a, Vector<float>.Zero), a, Vector<float>.Zero);

    /// <summary>
    /// Forward over rows [rowStart, rowEnd) of x [rows×inputSize] into e [rows×outputSize], keeping v [rows×m×2k] for the
    /// backward pass. slots [m] are the embedded inputs, passThrough the others (both ascending). Feature by feature: the
    /// angles ω·x with ω = 2π·c (formed as float(2π)·c, then ·x, as everywhere), their cos and sin by
    /// <see cref="PeriodicSinCos"/>, then <see cref="ProjectRows"/>. Every value depends on its own row alone.
    /// </summary>
    public static void Forward(Span<float> e, Span<float> v, ReadOnlySpan<float> x, ReadOnlySpan<float> frequency,
        ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<int> slots, ReadOnlySpan<int> passThrough,
        int rowStart, int rowEnd, int inputSize, int k, int d)
    {
        int m = slots.Length, outputSize = m * d + passThrough.Length, twoK = 2 * k, rows = rowEnd - rowStart;
        if (rows <= 0) return;
        Span<float> omega = stackalloc float[k];
        for (int i = 0; i < m; i++)
        {
            var c = frequency.Slice(i * k, k);
            for (int f = 0; f < k; f++) omega[f] = TwoPi * c[f];
            int slot = slots[i];
            for (int r = rowStart; r < rowEnd; r++)
            {
                var vr = v.Slice((r * m + i) * twoK, twoK);
                PeriodicSinCos.Compute(omega, x[r * inputSize + slot], vr[..k], vr[k..]);
            }
            ProjectRows(v[((rowStart * m + i) * twoK)..], m * twoK, weights.Slice(i * twoK * d, twoK * d), bias.Slice(i * d, d),
                e[(rowStart * outputSize + i * d)..], outputSize, rows, twoK);
        }
        for (int r = rowStart; r < rowEnd; r++)
        {
            var xr = x.Slice(r * inputSize, inputSize);
            var er = e.Slice(r * outputSize, outputSize);
            for (int p = 0; p < passThrough.Length; p++) er[m * d + p] = xr[passThrough[p]];
        }
    }

    /// <summary>∂x for the pass-through slots: a copy of their part of dE.</summary>
    public static void BackwardPassThrough(Span<float> dx, ReadOnlySpan<float> dE, ReadOnlySpan<int> passThrough, int embeddedWidth, int rows, int inputSize)
    {
        int outputSize = embeddedWidth + passThrough.Length;
        for (int r = 0; r < rows; r++)
            for (int p = 0; p < passThrough.Length; p++)
                dx[r * inputSize + passThrough[p]] = dE[r * outputSize + embeddedWidth + p];
    }
}
