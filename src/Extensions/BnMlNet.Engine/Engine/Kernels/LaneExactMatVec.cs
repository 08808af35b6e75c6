using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BnMlNet.Engine.Kernels;

/// <summary>
/// One row through one layer, y[o] = W[o,:]·x + b[o], bit-identical to <see cref="RowKernels.MatVec"/> but vectorized
/// over the outputs (W read transposed, Wᵀ [In×Out] row-major) and skipping the inputs that are exactly zero.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="RowKernels"/> computes each output as eight FMA chains ("lanes"): lane l sums x[k]·W[o,k] for
/// k = l, l + 8, l + 16, … below In rounded down to a multiple of 8, in ascending k; then the fixed reduction
/// ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7)), then the remaining k one by one as s + x[k]·W[o,k] (a product
/// rounded, then a sum rounded), then + b[o]. This kernel performs exactly those operations for each output, lane by
/// lane, in the same order, but holds 16 (or 8) outputs' lane l in one vector register, so the broadcast x[k] meets
/// one contiguous row of Wᵀ.
/// </para>
/// <para>
/// Inside the lanes it skips every k with x[k] = 0 (±0). The dense kernel's step there is fma(±0, w, acc) = acc + (±0),
/// which is acc itself whenever acc ≠ 0, and +0 when acc = +0 (round to nearest). So a skip changes nothing, except
/// when a lane holds −0 (only after a product underflowed below 2⁻¹⁵⁰ to −0) and a +0 term would have turned it into
/// +0: the sign of a zero, nothing else. The tail terms (k ≥ In rounded down to 8) are never skipped.
/// The lanes run in lock step; a lane with fewer non-zero inputs than the longest one is padded with an input that is
/// exactly zero, a term of the same kind. One-hot inputs are mostly exact zeros, so the work falls with the sparsity.
/// </para>
/// Needs FMA (<see cref="IsSupported"/>): the dense kernel's lanes are fused there and only there.
/// </remarks>
internal static class LaneExactMatVec
{
    /// <summary>Whether this kernel reproduces <see cref="RowKernels"/> on this machine (x86 with FMA).</summary>
    public static bool IsSupported => Fma.IsSupported && Vector256.IsHardwareAccelerated;

    /// <summary>Wᵀ [In×Out] of W [Out×In].</summary>
    public static float[] Transpose(ReadOnlySpan<float> weights, int inSize, int outSize)
    {
        var t = new float[inSize * outSize];
        for (int o = 0; o < outSize; o++)
            for (int k = 0; k < inSize; k++) t[k * outSize + o] = weights[o * inSize + k];
        return t;
    }

    /// <summary>The length the lanes scratch of <see cref="Multiply"/> needs for <paramref name="inSize"/> inputs.</summary>
    public static int LaneBufferLength(int inSize) => (inSize & ~7) + 8;

    /// <summary>y[o] = W[o,:]·x + b[o] from Wᵀ, bit-identical to <see cref="RowKernels.MatVec"/> (up to the sign of a zero).</summary>
    /// <param name="y">Out outputs.</param>
    /// <param name="weightsT">Wᵀ [In×Out] (<see cref="Transpose"/>).</param>
    /// <param name="bias">Out biases.</param>
    /// <param name="x">In inputs.</param>
    /// <param name="inSize">In.</param>
    /// <param name="outSize">Out.</param>
    /// <param name="lanes">Scratch of <see cref="LaneBufferLength"/> ints: the non-zero inputs of each lane.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(Span<float> y, ReadOnlySpan<float> weightsT, ReadOnlySpan<float> bias, ReadOnlySpan<float> x,
        int inSize, int outSize, Span<int> lanes)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("LaneExactMatVec needs FMA.");
        if (weightsT.Length < inSize * outSize || bias.Length < outSize || x.Length < inSize || y.Length < outSize
            || lanes.Length < LaneBufferLength(inSize))
            throw new ArgumentException("Buffer too small for the given shape.");
        int steps = Gather(x, inSize, lanes);
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref int list = ref MemoryMarshal.GetReference(lanes);
        ref float w0 = ref MemoryMarshal.GetReference(weightsT);
        int lanesEnd = inSize & ~7, o = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Span<Vector512<float>> partials = stackalloc Vector512<float>[32];
            for (; o + 64 <= outSize; o += 64)
            {
                LaneHalf512x4(ref x0, ref Unsafe.Add(ref w0, o), ref list, 0, steps, outSize, partials);
                LaneHalf512x4(ref x0, ref Unsafe.Add(ref w0, o), ref list, 4, steps, outSize, partials);
                for (int b = 0; b < 4; b++)
                {
                    var s = ((partials[b] + partials[16 + b]) + (partials[8 + b] + partials[24 + b]))
                        + ((partials[4 + b] + partials[20 + b]) + (partials[12 + b] + partials[28 + b]));
                    Store(Tail(s, ref x0, ref Unsafe.Add(ref w0, o + 16 * b), lanesEnd, inSize, outSize), bias, y, o + 16 * b);
                }
            }
            for (; o + 32 <= outSize; o += 32)
            {
                Lanes512x2(ref x0, ref Unsafe.Add(ref w0, o), ref list, steps, outSize, out var s0, out var s1);
                Store(Tail(s0, ref x0, ref Unsafe.Add(ref w0, o), lanesEnd, inSize, outSize), bias, y, o);
                Store(Tail(s1, ref x0, ref Unsafe.Add(ref w0, o + 16), lanesEnd, inSize, outSize), bias, y, o + 16);
            }
            for (; o + 16 <= outSize; o += 16)
                Store(Tail(Lanes512(ref x0, ref Unsafe.Add(ref w0, o), ref list, steps, outSize), ref x0, ref Unsafe.Add(ref w0, o), lanesEnd, inSize, outSize), bias, y, o);
        }
        for (; o + 8 <= outSize; o += 8)
            Store(Lanes256(ref x0, ref Unsafe.Add(ref w0, o), ref list, steps, outSize, lanesEnd, inSize), bias, y, o);
        for (; o < outSize; o++)
            y[o] = LanesScalar(ref x0, ref Unsafe.Add(ref w0, o), ref list, steps, outSize, lanesEnd, inSize) + bias[o];
    }

    /// <summary>
    /// Lists each lane's non-zero inputs in lock step: step i holds, at lanes[8i + l], lane l's i-th non-zero input
    /// (ascending), or once a lane has run out, an input whose value is zero (its term changes nothing, as a skipped
    /// one). Returns the number of steps, the largest lane count.
    /// </summary>
    private static int Gather(ReadOnlySpan<float> x, int inSize, Span<int> lanes)
    {
        int blocks = inSize >> 3, zero = -1, steps = 0;
        Span<int> counts = stackalloc int[8];
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref int list = ref MemoryMarshal.GetReference(lanes);
        for (int l = 0; l < 8; l++)
        {
            int count = 0;
            for (int k = l; k < blocks << 3; k += 8)
            {
                Unsafe.Add(ref list, (count << 3) + l) = k;   // kept only when x[k] ≠ 0: the next one overwrites it otherwise
                bool nonZero = Unsafe.Add(ref x0, k) != 0f;
                count += nonZero ? 1 : 0;
                zero = nonZero ? zero : k;
            }
            counts[l] = count;
            steps = Math.Max(steps, count);
        }
        for (int l = 0; l < 8; l++)
            for (int i = counts[l]; i < steps; i++) Unsafe.Add(ref list, (i << 3) + l) = zero;   // a lane short of steps has a zero
        return steps;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector512<float> s, ReadOnlySpan<float> bias, Span<float> y, int o) =>
        (s + Vector512.Create(bias.Slice(o, 16))).CopyTo(y.Slice(o, 16));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<float> s, ReadOnlySpan<float> bias, Span<float> y, int o) =>
        (s + Vector256.Create(bias.Slice(o, 8))).CopyTo(y.Slice(o, 8));

    /// <summary>The tail k ≥ In rounded down to 8, in order: a rounded product, then a rounded sum (as RowKernels).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Tail(Vector512<float> s, ref float x, ref float w, int lanesEnd, int n, int stride)
    {
        for (int k = lanesEnd; k < n; k++)
            s = Vector512.Add(s, Vector512.Multiply(Vector512.Create(Unsafe.Add(ref x, k)), Vector512.LoadUnsafe(ref w, (nuint)(k * stride))));
        return s;
    }

    /// <summary>The fixed reduction of the eight lanes: ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Reduce(Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3,
        Vector512<float> a4, Vector512<float> a5, Vector512<float> a6, Vector512<float> a7) => ((a0 + a4) + (a2 + a6)) + ((a1 + a5) + (a3 + a7));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Term(ref float x, ref float w, int k, int stride, Vector512<float> acc) =>
        Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x, k)), Vector512.LoadUnsafe(ref w, (nuint)(k * stride)), acc);

    /// <summary>Thirty-two outputs (w at column o of Wᵀ): sixteen lanes-by-block FMA chains in lock step, then the reduction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Lanes512x2(ref float x, ref float w, ref int list, int steps, int stride, out Vector512<float> s0, out Vector512<float> s1)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
        ref float v = ref Unsafe.Add(ref w, 16);
        for (int i = 0; i < steps; i++)
        {
            ref int k = ref Unsafe.Add(ref list, i << 3);
            int k0 = k, k1 = Unsafe.Add(ref k, 1), k2 = Unsafe.Add(ref k, 2), k3 = Unsafe.Add(ref k, 3);
            int k4 = Unsafe.Add(ref k, 4), k5 = Unsafe.Add(ref k, 5), k6 = Unsafe.Add(ref k, 6), k7 = Unsafe.Add(ref k, 7);
            a0 = Term(ref x, ref w, k0, stride, a0); b0 = Term(ref x, ref v, k0, stride, b0);
            a1 = Term(ref x, ref w, k1, stride, a1); b1 = Term(ref x, ref v, k1, stride, b1);
            a2 = Term(ref x, ref w, k2, stride, a2); b2 = Term(ref x, ref v, k2, stride, b2);
            a3 = Term(ref x, ref w, k3, stride, a3); b3 = Term(ref x, ref v, k3, stride, b3);
            a4 = Term(ref x, ref w, k4, stride, a4); b4 = Term(ref x, ref v, k4, stride, b4);
            a5 = Term(ref x, ref w, k5, stride, a5); b5 = Term(ref x, ref v, k5, stride, b5);
            a6 = Term(ref x, ref w, k6, stride, a6); b6 = Term(ref x, ref v, k6, stride, b6);
            a7 = Term(ref x, ref w, k7, stride, a7); b7 = Term(ref x, ref v, k7, stride, b7);
        }
        s0 = Reduce(a0, a1, a2, a3, a4, a5, a6, a7);
        s1 = Reduce(b0, b1, b2, b3, b4, b5, b6, b7);
    }

    /// <summary>
    /// Sixty-four outputs (four blocks of 16, w at column o of Wᵀ), lanes <paramref name="first"/> … first + 3 only:
    /// sixteen FMA chains in lock step, one broadcast of x[k] feeding four blocks; lane l, block b go to partials[4l + b].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LaneHalf512x4(ref float x, ref float w, ref int list, int first, int steps, int stride, Span<Vector512<float>> partials)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, d0 = default, d1 = default, d2 = default, d3 = default;
        ref float w1 = ref Unsafe.Add(ref w, 16), w2 = ref Unsafe.Add(ref w, 32), w3 = ref Unsafe.Add(ref w, 48);
        for (int i = 0; i < steps; i++)
        {
            ref int k = ref Unsafe.Add(ref list, (i << 3) + first);
            int k0 = k, k1 = Unsafe.Add(ref k, 1), k2 = Unsafe.Add(ref k, 2), k3 = Unsafe.Add(ref k, 3);
            a0 = Term(ref x, ref w, k0, stride, a0); a1 = Term(ref x, ref w1, k0, stride, a1);
            a2 = Term(ref x, ref w2, k0, stride, a2); a3 = Term(ref x, ref w3, k0, stride, a3);
            b0 = Term(ref x, ref w, k1, stride, b0); b1 = Term(ref x, ref w1, k1, stride, b1);
            b2 = Term(ref x, ref w2, k1, stride, b2); b3 = Term(ref x, ref w3, k1, stride, b3);
            c0 = Term(ref x, ref w, k2, stride, c0); c1 = Term(ref x, ref w1, k2, stride, c1);
            c2 = Term(ref x, ref w2, k2, stride, c2); c3 = Term(ref x, ref w3, k2, stride, c3);
            d0 = Term(ref x, ref w, k3, stride, d0); d1 = Term(ref x, ref w1, k3, stride, d1);
            d2 = Term(ref x, ref w2, k3, stride, d2); d3 = Term(ref x, ref w3, k3, stride, d3);
        }
        int p = first * 4;
        partials[p] = a0; partials[p + 1] = a1; partials[p + 2] = a2; partials[p + 3] = a3;
        partials[p + 4] = b0; partials[p + 5] = b1; partials[p + 6] = b2; partials[p + 7] = b3;
        partials[p + 8] = c0; partials[p + 9] = c1; partials[p + 10] = c2; partials[p + 11] = c3;
        partials[p + 12] = d0; partials[p + 13] = d1; partials[p + 14] = d2; partials[p + 15] = d3;
    }

    /// <summary>Sixteen outputs, as <see cref="Lanes512x2"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Lanes512(ref float x, ref float w, ref int list, int steps, int stride)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (int i = 0; i < steps; i++)
        {
            ref int k = ref Unsafe.Add(ref list, i << 3);
            a0 = Term(ref x, ref w, k, stride, a0);
            a1 = Term(ref x, ref w, Unsafe.Add(ref k, 1), stride, a1);
            a2 = Term(ref x, ref w, Unsafe.Add(ref k, 2), stride, a2);
            a3 = Term(ref x, ref w, Unsafe.Add(ref k, 3), stride, a3);
            a4 = Term(ref x, ref w, Unsafe.Add(ref k, 4), stride, a4);
            a5 = Term(ref x, ref w, Unsafe.Add(ref k, 5), stride, a5);
            a6 = Term(ref x, ref w, Unsafe.Add(ref k, 6), stride, a6);
            a7 = Term(ref x, ref w, Unsafe.Add(ref k, 7), stride, a7);
        }
        return Reduce(a0, a1, a2, a3, a4, a5, a6, a7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Term(ref float x, ref float w, int k, int stride, Vector256<float> acc) =>
        Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref x, k)), Vector256.LoadUnsafe(ref w, (nuint)(k * stride)), acc);

    /// <summary>Eight outputs, as <see cref="Lanes512"/> with 256-bit vectors, the tail included.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Lanes256(ref float x, ref float w, ref int list, int steps, int stride, int lanesEnd, int n)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (int i = 0; i < steps; i++)
        {
            ref int k = ref Unsafe.Add(ref list, i << 3);
            a0 = Term(ref x, ref w, k, stride, a0);
            a1 = Term(ref x, ref w, Unsafe.Add(ref k, 1), stride, a1);
            a2 = Term(ref x, ref w, Unsafe.Add(ref k, 2), stride, a2);
            a3 = Term(ref x, ref w, Unsafe.Add(ref k, 3), stride, a3);
            a4 = Term(ref x, ref w, Unsafe.Add(ref k, 4), stride, a4);
            a5 = Term(ref x, ref w, Unsafe.Add(ref k, 5), stride, a5);
            a6 = Term(ref x, ref w, Unsafe.Add(ref k, 6), stride, a6);
            a7 = Term(ref x, ref w, Unsafe.Add(ref k, 7), stride, a7);
        }
        var s = ((a0 + a4) + (a2 + a6)) + ((a1 + a5) + (a3 + a7));
        for (int k = lanesEnd; k < n; k++)
            s = Vector256.Add(s, Vector256.Multiply(Vector256.Create(Unsafe.Add(ref x, k)), Vector256.LoadUnsafe(ref w, (nuint)(k * stride))));
        return s;
    }

    /// <summary>One output, as <see cref="Lanes512"/>, with scalar fused multiply-adds (the same roundings).</summary>
    private static float LanesScalar(ref float x, ref float w, ref int list, int steps, int stride, int lanesEnd, int n)
    {
        Span<float> a = stackalloc float[8];
        for (int i = 0; i < steps; i++)
            for (int l = 0; l < 8; l++)
            {
                int k = Unsafe.Add(ref list, (i << 3) + l);
                a[l] = MathF.FusedMultiplyAdd(Unsafe.Add(ref x, k), Unsafe.Add(ref w, k * stride), a[l]);
            }
        float s = ((a[0] + a[4]) + (a[2] + a[6])) + ((a[1] + a[5]) + (a[3] + a[7]));
        for (int k = lanesEnd; k < n; k++) s += Unsafe.Add(ref x, k) * Unsafe.Add(ref w, k * stride);
        return s;
    }
}
