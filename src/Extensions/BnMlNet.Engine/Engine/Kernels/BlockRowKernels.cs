using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BnMlNet.Engine.Kernels;

/// <summary>
/// Row-at-a-time inference for a block-diagonal layer (an ensemble's layers after the first), on the layout of
/// <see cref="Ensembles.BlockFoldedLayer"/>: output o of member g is y[o] = x[c0_g … e_g)·w_(g,o) + b[o] over that
/// member's stretch of the wide input only, skipping the other members' zero weights.
/// </summary>
/// <remarks>
/// Each output is the exact operation sequence <see cref="RowKernels"/> applies to the dense wide row, minus the 8-wide
/// steps whose weights are all zero (they add exactly 0): 8-lane FMA partial sums over the input's 8-aligned chunks
/// [c0, c1) in order, the same fixed horizontal reduction, then the scalar tail [c1, e) where the dense row's scalar
/// tail begins at c1. So a block layer scores bit-identically to its dense form (tested), and the v3 fixtures keep
/// their recorded predictions.
/// </remarks>
internal static class BlockRowKernels
{
    /// <summary>
    /// Y[rows × Out] for X [rows × In] (wide rows): member g's outputs g·outPer … from the padded weights
    /// <paramref name="weights"/> (member g's rows at <paramref name="offsets"/>[g], each <paramref name="lengths"/>[g] long,
    /// read against x[<paramref name="starts"/>[g] …]; the first <paramref name="vectorLengths"/>[g] in 8-lane steps).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatMulRows(Span<float> y, float[] weights, float[] bias, ReadOnlySpan<float> x, int rows, int inSize,
        int outSize, int groups, int[] starts, int[] lengths, int[] vectorLengths, int[] offsets)
    {
        int outPer = outSize / groups;
        if (x.Length < rows * inSize || y.Length < rows * outSize || bias.Length < outSize)
            throw new ArgumentException("Buffer too small for the given shape.");
        if (rows == 0) return;
        ref float w0 = ref weights[0];
        ref float x0 = ref MemoryMarshal.GetReference(x);
        for (int r = 0; r < rows; r++)
        {
            ref float xr = ref Unsafe.Add(ref x0, r * inSize);
            for (int g = 0; g < groups; g++)
            {
                ref float xg = ref Unsafe.Add(ref xr, starts[g]);
                int len = lengths[g], vec = vectorLengths[g], dst = r * outSize + g * outPer;
                ref float wg = ref Unsafe.Add(ref w0, offsets[g]);
                int o = 0;
                for (; o + 4 <= outPer; o += 4)
                {
                    Dot4(ref xg, ref Unsafe.Add(ref wg, o * len), len, vec, out float s0, out float s1, out float s2, out float s3);
                    y[dst + o] = s0 + bias[g * outPer + o];
                    y[dst + o + 1] = s1 + bias[g * outPer + o + 1];
                    y[dst + o + 2] = s2 + bias[g * outPer + o + 2];
                    y[dst + o + 3] = s3 + bias[g * outPer + o + 3];
                }
                for (; o < outPer; o++)
                    y[dst + o] = Dot(ref xg, ref Unsafe.Add(ref wg, o * len), len, vec) + bias[g * outPer + o];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> acc)
        => Fma.IsSupported ? Fma.MultiplyAdd(a, b, acc) : acc + a * b;

    /// <summary>RowKernels' horizontal sum: ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Reduce(Vector256<float> v)
    {
        Vector128<float> s = v.GetLower() + v.GetUpper();
        return (s.GetElement(0) + s.GetElement(2)) + (s.GetElement(1) + s.GetElement(3));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot(ref float x, ref float w, int n, int vec)
    {
        var acc = Vector256<float>.Zero;
        int k = 0;
        for (; k < vec; k += 8)
            acc = MulAdd(Vector256.LoadUnsafe(ref x, (nuint)k), Vector256.LoadUnsafe(ref w, (nuint)k), acc);
        float s = Reduce(acc);
        for (; k < n; k++) s += Unsafe.Add(ref x, k) * Unsafe.Add(ref w, k);
        return s;
    }

    /// <summary>Four outputs at once (independent chains, for the one-row case), each in <see cref="Dot"/>'s order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4(ref float x, ref float w, int n, int vec, out float s0, out float s1, out float s2, out float s3)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        ref float w1 = ref Unsafe.Add(ref w, n), w2 = ref Unsafe.Add(ref w, 2 * n), w3 = ref Unsafe.Add(ref w, 3 * n);
        int k = 0;
        for (; k < vec; k += 8)
        {
            var v = Vector256.LoadUnsafe(ref x, (nuint)k);
            a0 = MulAdd(v, Vector256.LoadUnsafe(ref w, (nuint)k), a0);
            a1 = MulAdd(v, Vector256.LoadUnsafe(ref w1, (nuint)k), a1);
            a2 = MulAdd(v, Vector256.LoadUnsafe(ref w2, (nuint)k), a2);
            a3 = MulAdd(v, Vector256.LoadUnsafe(ref w3, (nuint)k), a3);
        }
        s0 = Reduce(a0); s1 = Reduce(a1); s2 = Reduce(a2); s3 = Reduce(a3);
        for (; k < n; k++)
        {
            float xk = Unsafe.Add(ref x, k);
            s0 += xk * Unsafe.Add(ref w, k); s1 += xk * Unsafe.Add(ref w1, k);
            s2 += xk * Unsafe.Add(ref w2, k); s3 += xk * Unsafe.Add(ref w3, k);
        }
    }
}
