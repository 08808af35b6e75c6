using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BnMlNet.Engine.Kernels;

/// <summary>The 12×32 AVX-512F micro-kernel: C tile (+)= packed A panel · packed B panel over one k block.</summary>
/// <remarks>
/// 24 zmm accumulators hold the tile; each k step loads two 16-float B vectors and broadcasts twelve A values
/// (the JIT folds each broadcast into its FMA's memory operand), issuing 24 independent FMAs — enough to cover
/// a 4-cycle FMA latency on two 512-bit pipes, with 8 of the 32 zmm registers left over.
/// Per element of C the operations are exactly those of <see cref="GemmMicroKernelFma"/>: acc = 0;
/// acc = fma(a_p, b_p, acc) for p in order; then C = acc or C + acc — so results are bit-identical to it.
/// </remarks>
internal static unsafe class GemmMicroKernelAvx512
{
    /// <summary>Tile rows.</summary>
    public const int Mr = 12;

    /// <summary>Tile columns (two Vector512&lt;float&gt;).</summary>
    public const int Nr = 32;

    /// <summary>
    /// Multiplies a packed kc×12 A panel by a packed kc×32 B panel and writes the top-left
    /// <paramref name="rows"/>×<paramref name="cols"/> of the result to C (overwrite, or add to C).
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, int rows, int cols, bool overwrite)
    {
        Vector512<float> c00 = Vector512<float>.Zero, c01 = Vector512<float>.Zero;
        Vector512<float> c10 = Vector512<float>.Zero, c11 = Vector512<float>.Zero;
        Vector512<float> c20 = Vector512<float>.Zero, c21 = Vector512<float>.Zero;
        Vector512<float> c30 = Vector512<float>.Zero, c31 = Vector512<float>.Zero;
        Vector512<float> c40 = Vector512<float>.Zero, c41 = Vector512<float>.Zero;
        Vector512<float> c50 = Vector512<float>.Zero, c51 = Vector512<float>.Zero;
        Vector512<float> c60 = Vector512<float>.Zero, c61 = Vector512<float>.Zero;
        Vector512<float> c70 = Vector512<float>.Zero, c71 = Vector512<float>.Zero;
        Vector512<float> c80 = Vector512<float>.Zero, c81 = Vector512<float>.Zero;
        Vector512<float> c90 = Vector512<float>.Zero, c91 = Vector512<float>.Zero;
        Vector512<float> c100 = Vector512<float>.Zero, c101 = Vector512<float>.Zero;
        Vector512<float> c110 = Vector512<float>.Zero, c111 = Vector512<float>.Zero;

        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.LoadAligned(b);
            Vector512<float> b1 = Vector512.LoadAligned(b + 16);
            Vector512<float> av = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(av, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(av, b1, c01);
            av = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(av, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(av, b1, c11);
            av = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(av, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(av, b1, c21);
            av = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(av, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(av, b1, c31);
            av = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(av, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(av, b1, c41);
            av = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(av, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(av, b1, c51);
            av = Vector512.Create(a[6]);
            c60 = Avx512F.FusedMultiplyAdd(av, b0, c60);
            c61 = Avx512F.FusedMultiplyAdd(av, b1, c61);
            av = Vector512.Create(a[7]);
            c70 = Avx512F.FusedMultiplyAdd(av, b0, c70);
            c71 = Avx512F.FusedMultiplyAdd(av, b1, c71);
            av = Vector512.Create(a[8]);
            c80 = Avx512F.FusedMultiplyAdd(av, b0, c80);
            c81 = Avx512F.FusedMultiplyAdd(av, b1, c81);
            av = Vector512.Create(a[9]);
            c90 = Avx512F.FusedMultiplyAdd(av, b0, c90);
            c91 = Avx512F.FusedMultiplyAdd(av, b1, c91);
            av = Vector512.Create(a[10]);
            c100 = Avx512F.FusedMultiplyAdd(av, b0, c100);
            c101 = Avx512F.FusedMultiplyAdd(av, b1, c101);
            av = Vector512.Create(a[11]);
            c110 = Avx512F.FusedMultiplyAdd(av, b0, c110);
            c111 = Avx512F.FusedMultiplyAdd(av, b1, c111);
            a += Mr;
            b += Nr;
        }

        if (rows == Mr && cols == Nr)
        {
            StoreRow(c + 0L * ldc, c00, c01, overwrite);
            StoreRow(c + 1L * ldc, c10, c11, overwrite);
            StoreRow(c + 2L * ldc, c20, c21, overwrite);
            StoreRow(c + 3L * ldc, c30, c31, overwrite);
            StoreRow(c + 4L * ldc, c40, c41, overwrite);
            StoreRow(c + 5L * ldc, c50, c51, overwrite);
            StoreRow(c + 6L * ldc, c60, c61, overwrite);
            StoreRow(c + 7L * ldc, c70, c71, overwrite);
            StoreRow(c + 8L * ldc, c80, c81, overwrite);
            StoreRow(c + 9L * ldc, c90, c91, overwrite);
            StoreRow(c + 10L * ldc, c100, c101, overwrite);
            StoreRow(c + 11L * ldc, c110, c111, overwrite);
            return;
        }

        float* tile = stackalloc float[Mr * Nr];
        Vector512.Store(c00, tile + 0); Vector512.Store(c01, tile + 16);
        Vector512.Store(c10, tile + 32); Vector512.Store(c11, tile + 48);
        Vector512.Store(c20, tile + 64); Vector512.Store(c21, tile + 80);
        Vector512.Store(c30, tile + 96); Vector512.Store(c31, tile + 112);
        Vector512.Store(c40, tile + 128); Vector512.Store(c41, tile + 144);
        Vector512.Store(c50, tile + 160); Vector512.Store(c51, tile + 176);
        Vector512.Store(c60, tile + 192); Vector512.Store(c61, tile + 208);
        Vector512.Store(c70, tile + 224); Vector512.Store(c71, tile + 240);
        Vector512.Store(c80, tile + 256); Vector512.Store(c81, tile + 272);
        Vector512.Store(c90, tile + 288); Vector512.Store(c91, tile + 304);
        Vector512.Store(c100, tile + 320); Vector512.Store(c101, tile + 336);
        Vector512.Store(c110, tile + 352); Vector512.Store(c111, tile + 368);
        GemmTile.StorePartial(tile, Nr, c, ldc, rows, cols, overwrite);
    }

    /// <summary>C[0..32) = acc, or C[0..32) += acc (lane-wise single-precision adds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector512<float> lo, Vector512<float> hi, bool overwrite)
    {
        if (!overwrite)
        {
            lo = Vector512.Load(c) + lo;
            hi = Vector512.Load(c + 16) + hi;
        }

        Vector512.Store(lo, c);
        Vector512.Store(hi, c + 16);
    }
}
