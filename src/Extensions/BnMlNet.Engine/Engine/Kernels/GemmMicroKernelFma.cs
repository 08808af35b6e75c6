using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BnMlNet.Engine.Kernels;

/// <summary>The 6×16 AVX2+FMA micro-kernel: C tile (+)= packed A panel · packed B panel over one k block.</summary>
/// <remarks>
/// Twelve ymm accumulators hold the tile; each k step loads two B vectors and broadcasts six A values,
/// issuing 12 independent FMAs (Zen 3 retires 2 per cycle with 4-cycle latency, so 8+ chains keep both pipes busy).
/// Per element of C the operations are: acc = 0; acc = fma(a_p, b_p, acc) for p in order; then
/// C = acc (first k block, not accumulating) or C = C + acc. Ragged tiles go through a stack tile with the
/// very same operations, so a value never depends on where its tile falls.
/// </remarks>
internal static unsafe class GemmMicroKernelFma
{
    /// <summary>Tile rows.</summary>
    public const int Mr = 6;

    /// <summary>Tile columns (two Vector256&lt;float&gt;).</summary>
    public const int Nr = 16;

    /// <summary>
    /// Multiplies a packed kc×6 A panel by a packed kc×16 B panel and writes the top-left
    /// <paramref name="rows"/>×<paramref name="cols"/> of the result to C (overwrite, or add to C).
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, int rows, int cols, bool overwrite)
    {
        Vector256<float> c00 = Vector256<float>.Zero, c01 = Vector256<float>.Zero;
        Vector256<float> c10 = Vector256<float>.Zero, c11 = Vector256<float>.Zero;
        Vector256<float> c20 = Vector256<float>.Zero, c21 = Vector256<float>.Zero;
        Vector256<float> c30 = Vector256<float>.Zero, c31 = Vector256<float>.Zero;
        Vector256<float> c40 = Vector256<float>.Zero, c41 = Vector256<float>.Zero;
        Vector256<float> c50 = Vector256<float>.Zero, c51 = Vector256<float>.Zero;

        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Avx.LoadAlignedVector256(b);
            Vector256<float> b1 = Avx.LoadAlignedVector256(b + 8);
            Vector256<float> av = Avx.BroadcastScalarToVector256(a);
            c00 = Fma.MultiplyAdd(av, b0, c00);
            c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Avx.BroadcastScalarToVector256(a + 1);
            c10 = Fma.MultiplyAdd(av, b0, c10);
            c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Avx.BroadcastScalarToVector256(a + 2);
            c20 = Fma.MultiplyAdd(av, b0, c20);
            c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Avx.BroadcastScalarToVector256(a + 3);
            c30 = Fma.MultiplyAdd(av, b0, c30);
            c31 = Fma.MultiplyAdd(av, b1, c31);
            av = Avx.BroadcastScalarToVector256(a + 4);
            c40 = Fma.MultiplyAdd(av, b0, c40);
            c41 = Fma.MultiplyAdd(av, b1, c41);
            av = Avx.BroadcastScalarToVector256(a + 5);
            c50 = Fma.MultiplyAdd(av, b0, c50);
            c51 = Fma.MultiplyAdd(av, b1, c51);
            a += Mr;
            b += Nr;
        }

        if (rows == Mr && cols == Nr)
        {
            StoreRow(c, c00, c01, overwrite);
            StoreRow(c + ldc, c10, c11, overwrite);
            StoreRow(c + 2L * ldc, c20, c21, overwrite);
            StoreRow(c + 3L * ldc, c30, c31, overwrite);
            StoreRow(c + 4L * ldc, c40, c41, overwrite);
            StoreRow(c + 5L * ldc, c50, c51, overwrite);
            return;
        }

        float* tile = stackalloc float[Mr * Nr];
        Avx.Store(tile, c00); Avx.Store(tile + 8, c01);
        Avx.Store(tile + 16, c10); Avx.Store(tile + 24, c11);
        Avx.Store(tile + 32, c20); Avx.Store(tile + 40, c21);
        Avx.Store(tile + 48, c30); Avx.Store(tile + 56, c31);
        Avx.Store(tile + 64, c40); Avx.Store(tile + 72, c41);
        Avx.Store(tile + 80, c50); Avx.Store(tile + 88, c51);
        GemmTile.StorePartial(tile, Nr, c, ldc, rows, cols, overwrite);
    }

    /// <summary>C[0..16) = acc, or C[0..16) += acc (a lane-wise single-precision add, as in the scalar edge path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector256<float> lo, Vector256<float> hi, bool overwrite)
    {
        if (!overwrite)
        {
            lo = Avx.Add(Avx.LoadVector256(c), lo);
            hi = Avx.Add(Avx.LoadVector256(c + 8), hi);
        }

        Avx.Store(c, lo);
        Avx.Store(c + 8, hi);
    }
}
