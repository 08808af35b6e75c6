using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BnMlNet.Engine.Kernels;

/// <summary>AVX in-register transposes and copies used to pack B (stored n×k) and A into micro-panels.</summary>
/// <remarks>Pure data movement: it changes no value, so it is used by the SIMD and the portable arithmetic alike.</remarks>
internal static unsafe class GemmTranspose
{
    /// <summary>Whether <see cref="PackPanel"/> can run on this CPU.</summary>
    public static bool IsSupported => Avx.IsSupported;

    /// <summary>
    /// panel[p·nr + c] = src[c·ldb + p] for c &lt; nr (a multiple of 8), p &lt; kc: nr/8 groups of 8 rows,
    /// each transposed 8 steps at a time; the last kc mod 8 steps are copied one by one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackPanel(float* src, int ldb, int kc, int nr, float* panel)
    {
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            for (int g = 0; g < nr; g += 8)
            {
                Transpose8x8(src + (long)g * ldb + p, ldb, panel + p * nr + g, nr);
            }
        }

        for (; p < kc; p++)
        {
            float* d = panel + p * nr;
            for (int c = 0; c < nr; c++) d[c] = src[(long)c * ldb + p];
        }
    }

    /// <summary>
    /// panel[p·mr + r] = src[r·lda + p] for r &lt; mr (a multiple of 4), p &lt; kc: mr rows of A interleaved, as 4×8
    /// register transposes 8 steps at a time; the last kc mod 8 steps are copied one by one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InterleaveRows(float* src, int lda, int kc, int mr, float* panel)
    {
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            for (int g = 0; g < mr; g += 4)
            {
                float* s = src + (long)g * lda + p;
                Vector256<float> r0 = Avx.LoadVector256(s);
                Vector256<float> r1 = Avx.LoadVector256(s + lda);
                Vector256<float> r2 = Avx.LoadVector256(s + 2L * lda);
                Vector256<float> r3 = Avx.LoadVector256(s + 3L * lda);
                Vector256<float> t0 = Avx.UnpackLow(r0, r1);    // r0[0] r1[0] r0[1] r1[1] | r0[4] r1[4] r0[5] r1[5]
                Vector256<float> t1 = Avx.UnpackHigh(r0, r1);   // r0[2] r1[2] r0[3] r1[3] | r0[6] r1[6] r0[7] r1[7]
                Vector256<float> t2 = Avx.UnpackLow(r2, r3);
                Vector256<float> t3 = Avx.UnpackHigh(r2, r3);
                Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44); // steps 0 | 4 of rows g..g+3
                Vector256<float> u1 = Avx.Shuffle(t0, t2, 0xEE); // steps 1 | 5
                Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44); // steps 2 | 6
                Vector256<float> u3 = Avx.Shuffle(t1, t3, 0xEE); // steps 3 | 7
                float* d = panel + p * mr + g;
                Sse.Store(d, u0.GetLower());
                Sse.Store(d + mr, u1.GetLower());
                Sse.Store(d + 2 * mr, u2.GetLower());
                Sse.Store(d + 3 * mr, u3.GetLower());
                Sse.Store(d + 4 * mr, u0.GetUpper());
                Sse.Store(d + 5 * mr, u1.GetUpper());
                Sse.Store(d + 6 * mr, u2.GetUpper());
                Sse.Store(d + 7 * mr, u3.GetUpper());
            }
        }

        for (; p < kc; p++)
        {
            float* d = panel + p * mr;
            for (int r = 0; r < mr; r++) d[r] = src[(long)r * lda + p];
        }
    }

    /// <summary>panel[p·mr + r] = src[p·lda + r] for r &lt; mr (a multiple of 4), p &lt; kc: mr contiguous values per step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CopySteps(float* src, int lda, int kc, int mr, float* panel)
    {
        for (int p = 0; p < kc; p++, src += lda, panel += mr)
        {
            int r = 0;
            for (; r + 8 <= mr; r += 8) Avx.Store(panel + r, Avx.LoadVector256(src + r));
            for (; r < mr; r += 4) Sse.Store(panel + r, Sse.LoadVector128(src + r));
        }
    }

    /// <summary>
    /// Reads 8 rows of 8 floats (row stride <paramref name="ld"/>) and writes them transposed as 8 rows of 8 floats
    /// with row stride <paramref name="dstStride"/> floats. Classic unpack → shuffle → 128-bit lane permute network.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* s, int ld, float* d, int dstStride)
    {
        Vector256<float> r0 = Avx.LoadVector256(s);
        Vector256<float> r1 = Avx.LoadVector256(s + ld);
        Vector256<float> r2 = Avx.LoadVector256(s + 2L * ld);
        Vector256<float> r3 = Avx.LoadVector256(s + 3L * ld);
        Vector256<float> r4 = Avx.LoadVector256(s + 4L * ld);
        Vector256<float> r5 = Avx.LoadVector256(s + 5L * ld);
        Vector256<float> r6 = Avx.LoadVector256(s + 6L * ld);
        Vector256<float> r7 = Avx.LoadVector256(s + 7L * ld);

        // Interleave pairs of rows: t0 = (r0[0], r1[0], r0[1], r1[1] | r0[4], r1[4], r0[5], r1[5]), ...
        Vector256<float> t0 = Avx.UnpackLow(r0, r1);
        Vector256<float> t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3);
        Vector256<float> t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5);
        Vector256<float> t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7);
        Vector256<float> t7 = Avx.UnpackHigh(r6, r7);

        // Gather 4-row columns within each 128-bit lane: u0 = column 0 of rows 0..3 (lane 0) and column 4 (lane 1).
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44);
        Vector256<float> u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44);
        Vector256<float> u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44);
        Vector256<float> u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44);
        Vector256<float> u7 = Avx.Shuffle(t5, t7, 0xEE);

        // Join the rows 0..3 and 4..7 halves: low lanes give columns 0..3, high lanes columns 4..7.
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + 1 * dstStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * dstStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * dstStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * dstStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * dstStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * dstStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * dstStride, Avx.Permute2x128(u3, u7, 0x31));
    }
}
