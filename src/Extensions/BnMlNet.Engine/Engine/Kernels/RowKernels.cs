using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BnMlNet.Engine.Kernels;

/// <summary>
/// Row-at-a-time kernels for inference: Y[r, o] = Σᵢ X[r, i]·W[o, i] + b[o], with W [Out×In] row-major.
/// Every output element is computed by the same sequence of operations (8-lane partial sums over i in order, a fixed
/// horizontal reduction, then the scalar tail), whatever the row blocking, so a row scored alone and the same row
/// inside a batch give bit-identical results. Blocks of 4 rows × 2 outputs reuse each load of W and X; the rows left
/// over (a single row above all) go 8 outputs at a time.
/// </summary>
internal static class RowKernels
{
    /// <summary>y[o] = W[o,:]·x + b[o] for one row.</summary>
    public static void MatVec(Span<float> y, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> x, int inSize, int outSize)
        => MatMulRows(y, weights, bias, x, 1, inSize, outSize);

    /// <summary>Y[rows×Out] = X[rows×In]·Wᵀ + b, row by row in blocks.</summary>
    /// <remarks>
    /// Fully optimized from the first call: single-row scoring must not spend its first hundreds of calls in
    /// tier-0 JIT code (seen as ~7× slower PredictionEngine latency right after a model is loaded).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatMulRows(Span<float> y, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> x,
        int rows, int inSize, int outSize)
    {
        if (weights.Length < outSize * inSize || bias.Length < outSize || x.Length < rows * inSize || y.Length < rows * outSize)
            throw new ArgumentException("Buffer too small for the given shape.");
        ref float w0 = ref MemoryMarshal.GetReference(weights);
        ref float x0 = ref MemoryMarshal.GetReference(x);
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            int o = 0;
            for (; o + 2 <= outSize; o += 2)
            {
                Block4x2(ref Unsafe.Add(ref x0, r * inSize), ref Unsafe.Add(ref w0, o * inSize), inSize, out var s);
                for (int i = 0; i < 4; i++)
                {
                    y[(r + i) * outSize + o] = s[2 * i] + bias[o];
                    y[(r + i) * outSize + o + 1] = s[2 * i + 1] + bias[o + 1];
                }
            }
            for (; o < outSize; o++)
                for (int i = 0; i < 4; i++)
                    y[(r + i) * outSize + o] = Dot(ref Unsafe.Add(ref x0, (r + i) * inSize), ref Unsafe.Add(ref w0, o * inSize), inSize) + bias[o];
        }
        for (; r < rows; r++)
        {
            ref float xr = ref Unsafe.Add(ref x0, r * inSize);
            int o = 0;
            for (; o + 8 <= outSize; o += 8)
            {
                Block1x8(ref xr, ref Unsafe.Add(ref w0, o * inSize), inSize, out var s);
                for (int j = 0; j < 8; j++) y[r * outSize + o + j] = s[j] + bias[o + j];
            }
            for (; o < outSize; o++)
                y[r * outSize + o] = Dot(ref xr, ref Unsafe.Add(ref w0, o * inSize), inSize) + bias[o];
        }
    }

    /// <summary>y[i] = Math.Clamp(x[i], −bound, bound), vectorized with the same comparisons (NaN passes).</summary>
    public static void Clamp(ReadOnlySpan<float> x, Span<float> y, float bound)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var high = Vector256.Create(bound);
            var low = -high;
            for (; i + 8 <= x.Length; i += 8)
            {
                var v = Vector256.Create(x.Slice(i, 8));
                v = Vector256.ConditionalSelect(Vector256.LessThan(v, low), low, Vector256.ConditionalSelect(Vector256.GreaterThan(v, high), high, v));
                v.CopyTo(y.Slice(i, 8));
            }
        }
        for (; i < x.Length; i++) y[i] = Math.Clamp(x[i], -bound, bound);
    }

    [InlineArray(8)]
    private struct Eight { private float _e; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> acc)
        => Fma.IsSupported ? Fma.MultiplyAdd(a, b, acc) : acc + a * b;

    /// <summary>Fixed-order horizontal sum of 8 lanes: ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Reduce(Vector256<float> v)
    {
        Vector128<float> s = v.GetLower() + v.GetUpper();          // l0+l4, l1+l5, l2+l6, l3+l7
        return (s.GetElement(0) + s.GetElement(2)) + (s.GetElement(1) + s.GetElement(3));
    }

    /// <summary>One dot product x·w of length n (the reference order every block reproduces).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot(ref float x, ref float w, int n)
    {
        var acc = Vector256<float>.Zero;
        int k = 0;
        for (; k + 8 <= n; k += 8)
            acc = MulAdd(Vector256.LoadUnsafe(ref x, (nuint)k), Vector256.LoadUnsafe(ref w, (nuint)k), acc);
        float s = Reduce(acc);
        for (; k < n; k++) s += Unsafe.Add(ref x, k) * Unsafe.Add(ref w, k);
        return s;
    }

    /// <summary>
    /// Dot products of one X row with 8 consecutive W rows, s[j] = X·W[j]: eight independent accumulator chains (the
    /// one-row case, e.g. a PredictionEngine call, is otherwise bound by the latency of a single chain), each in
    /// <see cref="Dot"/>'s order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block1x8(ref float x, ref float w, int n, out Eight s)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        ref float w1 = ref Unsafe.Add(ref w, n), w2 = ref Unsafe.Add(ref w, 2 * n), w3 = ref Unsafe.Add(ref w, 3 * n);
        ref float w4 = ref Unsafe.Add(ref w, 4 * n), w5 = ref Unsafe.Add(ref w, 5 * n), w6 = ref Unsafe.Add(ref w, 6 * n);
        ref float w7 = ref Unsafe.Add(ref w, 7 * n);
        int k = 0;
        for (; k + 8 <= n; k += 8)
        {
            var v = Vector256.LoadUnsafe(ref x, (nuint)k);
            a0 = MulAdd(v, Vector256.LoadUnsafe(ref w, (nuint)k), a0);
            a1 = MulAdd(v, Vector256.LoadUnsafe(ref w1, (nuint)k), a1);
            a2 = MulAdd(v, Vector256.LoadUnsafe(ref w2, (nuint)k), a2);
            a3 = MulAdd(v, Vector256.LoadUnsafe(ref w3, (nuint)k), a3);
            a4 = MulAdd(v, Vector256.LoadUnsafe(ref w4, (nuint)k), a4);
            a5 = MulAdd(v, Vector256.LoadUnsafe(ref w5, (nuint)k), a5);
            a6 = MulAdd(v, Vector256.LoadUnsafe(ref w6, (nuint)k), a6);
            a7 = MulAdd(v, Vector256.LoadUnsafe(ref w7, (nuint)k), a7);
        }
        s = default;
        s[0] = Reduce(a0); s[1] = Reduce(a1); s[2] = Reduce(a2); s[3] = Reduce(a3);
        s[4] = Reduce(a4); s[5] = Reduce(a5); s[6] = Reduce(a6); s[7] = Reduce(a7);
        for (; k < n; k++)
        {
            float xk = Unsafe.Add(ref x, k);
            s[0] += xk * Unsafe.Add(ref w, k); s[1] += xk * Unsafe.Add(ref w1, k);
            s[2] += xk * Unsafe.Add(ref w2, k); s[3] += xk * Unsafe.Add(ref w3, k);
            s[4] += xk * Unsafe.Add(ref w4, k); s[5] += xk * Unsafe.Add(ref w5, k);
            s[6] += xk * Unsafe.Add(ref w6, k); s[7] += xk * Unsafe.Add(ref w7, k);
        }
    }

    /// <summary>Dot products of 4 consecutive X rows with 2 consecutive W rows; s[2i + j] = X[i]·W[j].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4x2(ref float x, ref float w, int n, out Eight s)
    {
        Vector256<float> a00 = default, a01 = default, a10 = default, a11 = default,
            a20 = default, a21 = default, a30 = default, a31 = default;
        ref float x1 = ref Unsafe.Add(ref x, n), x2 = ref Unsafe.Add(ref x, 2 * n), x3 = ref Unsafe.Add(ref x, 3 * n);
        ref float w1 = ref Unsafe.Add(ref w, n);
        int k = 0;
        for (; k + 8 <= n; k += 8)
        {
            var wa = Vector256.LoadUnsafe(ref w, (nuint)k);
            var wb = Vector256.LoadUnsafe(ref w1, (nuint)k);
            var v = Vector256.LoadUnsafe(ref x, (nuint)k);
            a00 = MulAdd(v, wa, a00); a01 = MulAdd(v, wb, a01);
            v = Vector256.LoadUnsafe(ref x1, (nuint)k);
            a10 = MulAdd(v, wa, a10); a11 = MulAdd(v, wb, a11);
            v = Vector256.LoadUnsafe(ref x2, (nuint)k);
            a20 = MulAdd(v, wa, a20); a21 = MulAdd(v, wb, a21);
            v = Vector256.LoadUnsafe(ref x3, (nuint)k);
            a30 = MulAdd(v, wa, a30); a31 = MulAdd(v, wb, a31);
        }
        s = default;
        s[0] = Reduce(a00); s[1] = Reduce(a01); s[2] = Reduce(a10); s[3] = Reduce(a11);
        s[4] = Reduce(a20); s[5] = Reduce(a21); s[6] = Reduce(a30); s[7] = Reduce(a31);
        for (; k < n; k++)
        {
            float wk0 = Unsafe.Add(ref w, k), wk1 = Unsafe.Add(ref w1, k);
            s[0] += Unsafe.Add(ref x, k) * wk0; s[1] += Unsafe.Add(ref x, k) * wk1;
            s[2] += Unsafe.Add(ref x1, k) * wk0; s[3] += Unsafe.Add(ref x1, k) * wk1;
            s[4] += Unsafe.Add(ref x2, k) * wk0; s[5] += Unsafe.Add(ref x2, k) * wk1;
            s[6] += Unsafe.Add(ref x3, k) * wk0; s[7] += Unsafe.Add(ref x3, k) * wk1;
        }
    }
}
