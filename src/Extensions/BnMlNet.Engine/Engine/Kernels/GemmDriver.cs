using BnMlNet.Engine.Threading;

namespace BnMlNet.Engine.Kernels;

/// <summary>
/// Entry point behind <see cref="Gemm.Multiply"/>: validates, handles degenerate shapes, picks the direct or the
/// packed path, and splits the packed path into per-thread work items.
/// </summary>
internal static unsafe class GemmDriver
{
    /// <summary>
    /// Same contract as <see cref="Gemm.Multiply"/>, plus the micro-kernel to use: <see cref="Gemm.Multiply"/> passes
    /// <see cref="GemmKernels.Best"/>; tests force the others (Portable is the fallback for CPUs without AVX2+FMA).
    /// </summary>
    public static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc,
        bool accumulate, int threads, GemmKernelKind kernel)
    {
        GemmArguments.Validate(transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (!GemmKernels.IsSupported(kernel))
        {
            throw new PlatformNotSupportedException($"This CPU cannot run the {kernel} GEMM kernel.");
        }

        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            // The empty sum is 0: C = 0, or C unchanged when accumulating.
            if (!accumulate)
            {
                for (int i = 0; i < m; i++) c.Slice(i * ldc, n).Clear();
            }

            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            // The path depends on the shape only, never on the thread count (determinism).
            if (m == 1 || n == 1 || (long)m * n * k < GemmBlocking.DirectThreshold)
            {
                bool simd = kernel != GemmKernelKind.Portable;
                GemmDirect.Run(simd, transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
            }
            else
            {
                RunPacked(new GemmProblem(kernel, transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate), threads);
            }
        }
    }

    /// <summary>
    /// One work item per thread. The output is cut along the longer of m and n (so the operand that every item
    /// packs again is the smaller one) at multiples of the micro-tile, so items never write the same tile.
    /// </summary>
    private static void RunPacked(GemmProblem problem, int threads)
    {
        bool splitColumns = problem.N >= problem.M;
        int granule = splitColumns ? GemmKernels.TileColumns(problem.Kernel) : GemmKernels.TileRows(problem.Kernel);
        int tiles = ((splitColumns ? problem.N : problem.M) + granule - 1) / granule;
        int items = Math.Min(Math.Max(threads, 1), tiles);
        if (items <= 1)
        {
            GemmPacked.Run(problem, 0, problem.M, 0, problem.N);
            return;
        }

        RunParallel(problem, splitColumns, granule, tiles, items);
    }

    private static void RunParallel(GemmProblem problem, bool splitColumns, int granule, int tiles, int items)
    {
        var work = GemmWork.ForThisThread;
        work.Set(problem, splitColumns, granule, tiles, items);
        try
        {
            WorkerTeam.Run(work, items);
        }
        finally
        {
            work.Clear();
        }
    }
}
