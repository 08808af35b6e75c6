using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BnMlNet.Engine.Kernels;

/// <summary>
/// One row through one dense layer, y[o] = W[o,:]·x + b[o], bit-identical to <see cref="RowKernels.MatVec"/> with
/// half its vector instructions: each 512-bit register holds two outputs' eight FMA lanes side by side.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="RowKernels"/> computes each output as eight FMA chains: lane l sums x[k]·W[o,k] for k ≡ l (mod 8),
/// k below In rounded down to a multiple of 8, in ascending k; then the fixed reduction
/// ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7)); then the remaining k one by one, s + x[k]·W[o,k] (a rounded
/// product, then a rounded sum); then + b[o]. Here register j of a group of sixteen outputs holds output 2j's lanes
/// in its lower half and output 2j + 1's in its upper half, fed by x[8c … 8c + 7] in both halves against a packed
/// copy of W (<see cref="Pack"/>), so every lane performs the same fused multiply-adds in the same order. The
/// reduction runs inside each half with the same pairings (a + b and b + a are the same IEEE sum), and the tail
/// and bias follow as in RowKernels, sixteen outputs at a time. Nothing is skipped: the result is RowKernels' bits,
/// NaN and ±∞ included.
/// </para>
/// <para>Needs AVX-512F (<see cref="IsSupported"/>), whose machines all have the FMA that RowKernels' lanes use.</para>
/// </remarks>
internal static class PairedMatVec512
{
    private const int Group = 16;

    /// <summary>Whether this kernel reproduces <see cref="RowKernels"/> on this machine (AVX-512F, hence FMA).</summary>
    public static bool IsSupported => Avx512F.IsSupported && Fma.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>Outputs rounded up to whole groups of sixteen (the packed weights' and bias' width).</summary>
    public static int PaddedOutputs(int outSize) => (outSize + Group - 1) / Group * Group;

    /// <summary>
    /// W [Out×In] row-major packed for <see cref="Multiply"/>: per group g of sixteen outputs and chunk c of eight
    /// inputs, eight blocks of sixteen floats, block j = W[16g + 2j, 8c … 8c + 7] then W[16g + 2j + 1, 8c … 8c + 7];
    /// then the tail inputs (k ≥ In rounded down to 8) transposed, [k − 8C][padded Out]; then the bias, padded. Rows
    /// past Out are zeros (computed and never stored).
    /// </summary>
    public static float[] Pack(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int inSize, int outSize)
    {
        if (weights.Length < inSize * outSize || bias.Length < outSize) throw new ArgumentException("Buffer too small for the given shape.");
        int chunks = inSize >> 3, tail = inSize - (chunks << 3), padded = PaddedOutputs(outSize);
        var packed = new float[padded * (chunks << 3) + tail * padded + padded];
        for (int o = 0; o < outSize; o++)
        {
            int g = o / Group, j = (o % Group) >> 1, half = o & 1;
            for (int c = 0; c < chunks; c++)
                for (int l = 0; l < 8; l++)
                    packed[((g * chunks + c) * 8 + j) * Group + half * 8 + l] = weights[o * inSize + (c << 3) + l];
            for (int t = 0; t < tail; t++) packed[padded * (chunks << 3) + t * padded + o] = weights[o * inSize + (chunks << 3) + t];
            packed[padded * (chunks << 3) + tail * padded + o] = bias[o];
        }
        return packed;
    }

    /// <summary>y[o] = W[o,:]·x + b[o] from <see cref="Pack"/>'s copy, bit-identical to <see cref="RowKernels.MatVec"/>.</summary>
    /// <param name="y">Out outputs.</param>
    /// <param name="packed">The packed weights and bias (<see cref="Pack"/>).</param>
    /// <param name="x">In inputs.</param>
    /// <param name="inSize">In.</param>
    /// <param name="outSize">Out.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Multiply(Span<float> y, ReadOnlySpan<float> packed, ReadOnlySpan<float> x, int inSize, int outSize)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("PairedMatVec512 needs AVX-512F.");
        int chunks = inSize >> 3, lanesEnd = chunks << 3, padded = PaddedOutputs(outSize);
        if (packed.Length < padded * lanesEnd + (inSize - lanesEnd) * padded + padded || x.Length < inSize || y.Length < outSize)
            throw new ArgumentException("Buffer too small for the given shape.");
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float p0 = ref MemoryMarshal.GetReference(packed);
        ref float tail0 = ref Unsafe.Add(ref p0, padded * lanesEnd);
        ref float bias0 = ref Unsafe.Add(ref tail0, (inSize - lanesEnd) * padded);
        fixed (float* xp = x)
        for (int o = 0; o < outSize; o += Group)
        {
            ref float p = ref Unsafe.Add(ref p0, o * lanesEnd);   // group o/16 starts at (o/16)·C·128 = o·8C
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            for (int c = 0; c < chunks; c++)
            {
                // x[8c … 8c + 7] in both halves, one broadcast load (building it from a 256-bit load chains each
                // iteration to the previous one through the register it is inserted into).
                var v = Avx512F.BroadcastVector256ToVector512((double*)(xp + (c << 3))).AsSingle();
                a0 = Avx512F.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref p, 0), a0);
                a1 = Avx512F.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref p, 16), a1);
                a2 = Avx512F.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref p, 32), a2);
                a3 = Avx512F.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref p, 48), a3);
                a4 = Avx512F.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref p, 64), a4);
                a5 = Avx512F.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref p, 80), a5);
                a6 = Avx512F.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref p, 96), a6);
                a7 = Avx512F.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref p, 112), a7);
                p = ref Unsafe.Add(ref p, 128);
            }
            // Output 2j sits in lane 0 of Reduce(aj), output 2j + 1 in lane 8: gather them in output order.
            var s = Collect(Collect(Reduce(a0), Reduce(a1), Reduce(a2), Reduce(a3)), Collect(Reduce(a4), Reduce(a5), Reduce(a6), Reduce(a7)));
            for (int k = lanesEnd; k < inSize; k++)
                s = Vector512.Add(s, Vector512.Multiply(Vector512.Create(Unsafe.Add(ref x0, k)),
                    Vector512.LoadUnsafe(ref tail0, (nuint)((k - lanesEnd) * padded + o))));
            s += Vector512.LoadUnsafe(ref bias0, (nuint)o);
            if (o + Group <= outSize) s.StoreUnsafe(ref MemoryMarshal.GetReference(y), (nuint)o);
            else for (int i = 0; o + i < outSize; i++) y[o + i] = s.GetElement(i);
        }
    }

    /// <summary>
    /// RowKernels' reduction inside each 256-bit half: lane 0 ← ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7)),
    /// lane 8 the same of lanes 8 … 15 (the other lanes hold partial sums and are not used).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Reduce(Vector512<float> a)
    {
        var t = a + Avx512F.Shuffle4x128(a, a, 0b10_11_00_01);   // lane i: l_i + l_(i+4)   (128-bit blocks 1,0,3,2)
        var u = t + Avx512F.Permute4x32(t, 0b01_00_11_10);        // lane 0: (l0+l4) + (l2+l6), lane 1: (l1+l5) + (l3+l7)
        return u + Avx512F.Permute4x32(u, 0b10_11_00_01);         // lane 0: the sum
    }

    private static readonly Vector512<int> TwoPerRegister = Vector512.Create(0, 8, 16, 24, 0, 8, 16, 24, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Lanes 0 and 8 of four reduced registers (b, c, d after a), as lanes 0 … 7 of the result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Collect(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d)
    {
        var ab = Avx512F.PermuteVar16x32x2(a, TwoPerRegister, b);   // a0 a8 b0 b8 in lanes 0..3
        var cd = Avx512F.PermuteVar16x32x2(c, TwoPerRegister, d);
        return Avx512F.PermuteVar16x32x2(ab, FirstFours, cd);
    }

    private static readonly Vector512<int> FirstFours = Vector512.Create(0, 1, 2, 3, 16, 17, 18, 19, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Lanes 0 … 7 of <paramref name="low"/>, then lanes 0 … 7 of <paramref name="high"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Collect(Vector512<float> low, Vector512<float> high) =>
        Avx512F.PermuteVar16x32x2(low, FirstEights, high);

    private static readonly Vector512<int> FirstEights = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
}
