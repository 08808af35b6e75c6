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
/// k = l, l + 8, l + 16, … below In rounded down to a multiple of 8, in ascending k, from +0; then the fixed reduction
/// ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7)), then the remaining k one by one as s + x[k]·W[o,k] (a product
/// rounded, then a sum rounded), then + b[o]. This kernel performs exactly those operations for each output, lane by
/// lane, in the same order, but holds 16 (or 8) outputs' lane l in one vector register, so the broadcast x[k] meets
/// one contiguous row of Wᵀ. The lanes run one after the other (each over its own list of inputs, up to 128 outputs
/// at a time in eight registers), their chains are kept, and the reduction sums them.
/// </para>
/// <para>
/// Inside the lanes it skips every k with x[k] = 0 (±0). The dense kernel's step there is fma(±0, w, acc) = acc + (±0),
/// which is acc itself whenever acc ≠ 0, and +0 when acc = +0 (round to nearest). So a skip changes nothing, except
/// when a lane holds −0 (only after a product underflowed below 2⁻¹⁵⁰ to −0) and a +0 term would have turned it into
/// +0: the sign of a zero, nothing else. A lane with no non-zero input stays +0, as the dense lane does. The tail terms
/// (k ≥ In rounded down to 8) are never skipped. One-hot inputs are mostly exact zeros, so the work falls with the
/// sparsity: one FMA per non-zero input and 16 outputs, nothing for a zero.
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

    /// <summary>Outputs per chunk: eight 512-bit accumulators per lane, the partial sums of one chunk fit 4 KB.</summary>
    private const int Chunk = 128;

    /// <summary>y[o] = W[o,:]·x + b[o] from Wᵀ, bit-identical to <see cref="RowKernels.MatVec"/> (up to the sign of a zero).</summary>
    /// <param name="y">Out outputs.</param>
    /// <param name="weightsT">Wᵀ [In×Out] (<see cref="Transpose"/>).</param>
    /// <param name="bias">Out biases.</param>
    /// <param name="x">In inputs.</param>
    /// <param name="inSize">In.</param>
    /// <param name="outSize">Out.</param>
    /// <param name="lanes">Scratch of <see cref="LaneBufferLength"/> ints: the non-zero inputs of each lane.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public static void Multiply(Span<float> y, ReadOnlySpan<float> weightsT, ReadOnlySpan<float> bias, ReadOnlySpan<float> x,
        int inSize, int outSize, Span<int> lanes)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("LaneExactMatVec needs FMA.");
        if (weightsT.Length < inSize * outSize || bias.Length < outSize || x.Length < inSize || y.Length < outSize
            || lanes.Length < LaneBufferLength(inSize))
            throw new ArgumentException("Buffer too small for the given shape.");
        int blocks = inSize >> 3, lanesEnd = blocks << 3;
        Span<int> counts = stackalloc int[8];
        Gather(x, blocks, lanes, counts);
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref int list = ref MemoryMarshal.GetReference(lanes);
        ref float w0 = ref MemoryMarshal.GetReference(weightsT);
        ref float b0 = ref MemoryMarshal.GetReference(bias);
        ref float y0 = ref MemoryMarshal.GetReference(y);
        int o = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // Lane l of output block v of the chunk at partials[8v + l] (the lanes are summed after all are done).
            Span<Vector512<float>> partials = stackalloc Vector512<float>[8 * (Chunk / 16)];
            ref Vector512<float> p0 = ref MemoryMarshal.GetReference(partials);
            for (; o + Chunk <= outSize; o += Chunk)
            {
                for (int l = 0; l < 8; l++)
                    Lane512x8(ref x0, ref Unsafe.Add(ref w0, o), ref Unsafe.Add(ref list, l * blocks), counts[l], outSize, ref Unsafe.Add(ref p0, l));
                for (int v = 0; v < Chunk / 16; v++)
                    Finish(Reduce(ref Unsafe.Add(ref p0, 8 * v)), ref x0, ref Unsafe.Add(ref w0, o + 16 * v), lanesEnd, inSize, outSize,
                        ref Unsafe.Add(ref b0, o + 16 * v), ref Unsafe.Add(ref y0, o + 16 * v));
            }
            for (; o + 64 <= outSize; o += 64)
            {
                for (int l = 0; l < 8; l++)
                    Lane512x4(ref x0, ref Unsafe.Add(ref w0, o), ref Unsafe.Add(ref list, l * blocks), counts[l], outSize, ref Unsafe.Add(ref p0, l));
                for (int v = 0; v < 4; v++)
                    Finish(Reduce(ref Unsafe.Add(ref p0, 8 * v)), ref x0, ref Unsafe.Add(ref w0, o + 16 * v), lanesEnd, inSize, outSize,
                        ref Unsafe.Add(ref b0, o + 16 * v), ref Unsafe.Add(ref y0, o + 16 * v));
            }
            for (; o + 16 <= outSize; o += 16)
            {
                for (int l = 0; l < 8; l++)
                    Unsafe.Add(ref p0, l) = Lane512(ref x0, ref Unsafe.Add(ref w0, o), ref Unsafe.Add(ref list, l * blocks), counts[l], outSize);
                Finish(Reduce(ref p0), ref x0, ref Unsafe.Add(ref w0, o), lanesEnd, inSize, outSize, ref Unsafe.Add(ref b0, o), ref Unsafe.Add(ref y0, o));
            }
        }
        Span<Vector256<float>> a = stackalloc Vector256<float>[8];
        for (; o + 8 <= outSize; o += 8)
        {
            for (int l = 0; l < 8; l++)
                a[l] = Lane256(ref x0, ref Unsafe.Add(ref w0, o), ref Unsafe.Add(ref list, l * blocks), counts[l], outSize);
            var s = ((a[0] + a[4]) + (a[2] + a[6])) + ((a[1] + a[5]) + (a[3] + a[7]));
            for (int k = lanesEnd; k < inSize; k++)
                s = Vector256.Add(s, Vector256.Multiply(Vector256.Create(Unsafe.Add(ref x0, k)), Vector256.LoadUnsafe(ref w0, (nuint)(k * outSize + o))));
            (s + Vector256.LoadUnsafe(ref b0, (nuint)o)).StoreUnsafe(ref y0, (nuint)o);
        }
        Span<float> one = stackalloc float[8];
        for (; o < outSize; o++)
        {
            for (int l = 0; l < 8; l++)
            {
                float acc = 0f;
                ref int k = ref Unsafe.Add(ref list, l * blocks);
                for (int i = 0; i < counts[l]; i++)
                {
                    int at = Unsafe.Add(ref k, i);
                    acc = MathF.FusedMultiplyAdd(Unsafe.Add(ref x0, at), Unsafe.Add(ref w0, at * outSize + o), acc);
                }
                one[l] = acc;
            }
            float s = ((one[0] + one[4]) + (one[2] + one[6])) + ((one[1] + one[5]) + (one[3] + one[7]));
            for (int k = lanesEnd; k < inSize; k++) s += Unsafe.Add(ref x0, k) * Unsafe.Add(ref w0, k * outSize + o);
            y[o] = s + bias[o];
        }
    }

    /// <summary>
    /// Lists each lane's non-zero inputs: lane l's i-th non-zero input k (ascending, k ≡ l mod 8, k below In rounded
    /// down to 8) at lanes[l·blocks + i]; counts[l] of them. Every input is visited once, with no data-dependent branch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Gather(ReadOnlySpan<float> x, int blocks, Span<int> lanes, Span<int> counts)
    {
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref int list = ref MemoryMarshal.GetReference(lanes);
        for (int l = 0; l < 8; l++)
        {
            ref int lane = ref Unsafe.Add(ref list, l * blocks);
            int count = 0;
            for (int k = l, b = 0; b < blocks; k += 8, b++)
            {
                Unsafe.Add(ref lane, count) = k;   // kept only when x[k] ≠ 0: the next one overwrites it otherwise
                count += Unsafe.Add(ref x0, k) != 0f ? 1 : 0;
            }
            counts[l] = count;
        }
    }

    /// <summary>The fixed reduction of the eight lanes at p[0 … 7]: ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Reduce(ref Vector512<float> p) =>
        ((p + Unsafe.Add(ref p, 4)) + (Unsafe.Add(ref p, 2) + Unsafe.Add(ref p, 6)))
        + ((Unsafe.Add(ref p, 1) + Unsafe.Add(ref p, 5)) + (Unsafe.Add(ref p, 3) + Unsafe.Add(ref p, 7)));

    /// <summary>
    /// The tail k ≥ In rounded down to 8 in order, each a rounded product then a rounded sum (as RowKernels), then the
    /// bias; stores sixteen outputs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(Vector512<float> s, ref float x, ref float w, int lanesEnd, int n, int stride, ref float bias, ref float y)
    {
        for (int k = lanesEnd; k < n; k++)
            s = Vector512.Add(s, Vector512.Multiply(Vector512.Create(Unsafe.Add(ref x, k)), Vector512.LoadUnsafe(ref w, (nuint)(k * stride))));
        (s + Vector512.LoadUnsafe(ref bias)).StoreUnsafe(ref y);
    }

    /// <summary>
    /// One lane's FMA chain for 128 outputs (w at column o of Wᵀ): over the lane's <paramref name="count"/> non-zero
    /// inputs in ascending order, from +0; block v's chain goes to partials[8v].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Lane512x8(ref float x, ref float w, ref int list, int count, int stride, ref Vector512<float> partials)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (int i = 0; i < count; i++)
        {
            int k = Unsafe.Add(ref list, i);
            var xk = Vector512.Create(Unsafe.Add(ref x, k));
            ref float row = ref Unsafe.Add(ref w, k * stride);
            a0 = Avx512F.FusedMultiplyAdd(xk, Vector512.LoadUnsafe(ref row, 0), a0);
            a1 = Avx512F.FusedMultiplyAdd(xk, Vector512.LoadUnsafe(ref row, 16), a1);
            a2 = Avx512F.FusedMultiplyAdd(xk, Vector512.LoadUnsafe(ref row, 32), a2);
            a3 = Avx512F.FusedMultiplyAdd(xk, Vector512.LoadUnsafe(ref row, 48), a3);
            a4 = Avx512F.FusedMultiplyAdd(xk, Vector512.LoadUnsafe(ref row, 64), a4);
            a5 = Avx512F.FusedMultiplyAdd(xk, Vector512.LoadUnsafe(ref row, 80), a5);
            a6 = Avx512F.FusedMultiplyAdd(xk, Vector512.LoadUnsafe(ref row, 96), a6);
            a7 = Avx512F.FusedMultiplyAdd(xk, Vector512.LoadUnsafe(ref row, 112), a7);
        }
        partials = a0; Unsafe.Add(ref partials, 8) = a1; Unsafe.Add(ref partials, 16) = a2; Unsafe.Add(ref partials, 24) = a3;
        Unsafe.Add(ref partials, 32) = a4; Unsafe.Add(ref partials, 40) = a5; Unsafe.Add(ref partials, 48) = a6; Unsafe.Add(ref partials, 56) = a7;
    }

    /// <summary>As <see cref="Lane512x8"/> for 64 outputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Lane512x4(ref float x, ref float w, ref int list, int count, int stride, ref Vector512<float> partials)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int i = 0; i < count; i++)
        {
            int k = Unsafe.Add(ref list, i);
            var xk = Vector512.Create(Unsafe.Add(ref x, k));
            ref float row = ref Unsafe.Add(ref w, k * stride);
            a0 = Avx512F.FusedMultiplyAdd(xk, Vector512.LoadUnsafe(ref row, 0), a0);
            a1 = Avx512F.FusedMultiplyAdd(xk, Vector512.LoadUnsafe(ref row, 16), a1);
            a2 = Avx512F.FusedMultiplyAdd(xk, Vector512.LoadUnsafe(ref row, 32), a2);
            a3 = Avx512F.FusedMultiplyAdd(xk, Vector512.LoadUnsafe(ref row, 48), a3);
        }
        partials = a0; Unsafe.Add(ref partials, 8) = a1; Unsafe.Add(ref partials, 16) = a2; Unsafe.Add(ref partials, 24) = a3;
    }

    /// <summary>As <see cref="Lane512x8"/> for 16 outputs, returned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Lane512(ref float x, ref float w, ref int list, int count, int stride)
    {
        Vector512<float> a = default;
        for (int i = 0; i < count; i++)
        {
            int k = Unsafe.Add(ref list, i);
            a = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x, k)), Vector512.LoadUnsafe(ref w, (nuint)(k * stride)), a);
        }
        return a;
    }

    /// <summary>As <see cref="Lane512"/> for 8 outputs with 256-bit vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Lane256(ref float x, ref float w, ref int list, int count, int stride)
    {
        Vector256<float> a = default;
        for (int i = 0; i < count; i++)
        {
            int k = Unsafe.Add(ref list, i);
            a = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref x, k)), Vector256.LoadUnsafe(ref w, (nuint)(k * stride)), a);
        }
        return a;
    }
}
