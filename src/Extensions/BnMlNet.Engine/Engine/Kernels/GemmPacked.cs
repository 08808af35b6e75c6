using System.Runtime.CompilerServices;

namespace BnMlNet.Engine.Kernels;

/// <summary>
/// The cache-blocked loop nest over one rectangle of C (GotoBLAS/BLIS order): column panels of B (NC),
/// k blocks (KC), row blocks of A (MC), then register tiles. One call = one work item.
/// </summary>
/// <remarks>
/// Determinism: the k blocks always start at 0 and have the size <see cref="GemmBlocking.KcFor"/>(k), and within
/// a block every element's terms are summed in p order by the micro-kernel, so an element's value does not depend
/// on the rectangle it is computed in; work items only decide who computes it.
/// </remarks>
internal static unsafe class GemmPacked
{
    /// <summary>Computes rows [i0, i1) × columns [j0, j1) of C (+)= op(A)·op(B), using this thread's packing buffers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmProblem q, int i0, int i1, int j0, int j1)
    {
        int mr = GemmKernels.TileRows(q.Kernel), nr = GemmKernels.TileColumns(q.Kernel);
        int kcMax = GemmBlocking.KcFor(q.K);
        float* packedA = GemmBuffers.PackedA(GemmBlocking.RoundUp(Math.Min(GemmBlocking.Mc, i1 - i0), mr) * kcMax);
        float* packedB = GemmBuffers.PackedB(GemmBlocking.RoundUp(Math.Min(GemmBlocking.Nc, j1 - j0), nr) * kcMax);

        for (int jc = j0; jc < j1; jc += GemmBlocking.Nc)
        {
            int nc = Math.Min(GemmBlocking.Nc, j1 - jc);
            for (int pc = 0; pc < q.K; pc += kcMax)
            {
                int kc = Math.Min(kcMax, q.K - pc);
                bool overwrite = pc == 0 && !q.Accumulate;
                GemmPacking.PackB(q.TransposeB, q.B, q.Ldb, pc, kc, jc, nc, nr, packedB);
                for (int ic = i0; ic < i1; ic += GemmBlocking.Mc)
                {
                    int mc = Math.Min(GemmBlocking.Mc, i1 - ic);
                    GemmPacking.PackA(q.TransposeA, q.A, q.Lda, ic, mc, pc, kc, mr, packedA);
                    Tiles(q.Kernel, kc, packedA, mc, mr, packedB, nc, nr, q.C + (long)ic * q.Ldc + jc, q.Ldc, overwrite);
                }
            }
        }
    }

    /// <summary>
    /// Sweeps the micro-kernel over an mc×nc block: the kc×nr B micro-panel stays in L1 across the inner loop
    /// while successive kc×mr A micro-panels stream from L2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tiles(
        GemmKernelKind kernel, int kc, float* packedA, int mc, int mr, float* packedB, int nc, int nr,
        float* c, int ldc, bool overwrite)
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            float* bPanel = packedB + (long)jr * kc;
            int cols = Math.Min(nr, nc - jr);
            for (int ir = 0; ir < mc; ir += mr)
            {
                float* aPanel = packedA + (long)ir * kc;
                float* cTile = c + (long)ir * ldc + jr;
                int rows = Math.Min(mr, mc - ir);
                switch (kernel)
                {
                    case GemmKernelKind.Avx512:
                        GemmMicroKernelAvx512.Run(kc, aPanel, bPanel, cTile, ldc, rows, cols, overwrite);
                        break;
                    case GemmKernelKind.Avx2:
                        GemmMicroKernelFma.Run(kc, aPanel, bPanel, cTile, ldc, rows, cols, overwrite);
                        break;
                    default:
                        GemmMicroKernelPortable.Run(kc, aPanel, bPanel, cTile, ldc, rows, cols, overwrite);
                        break;
                }
            }
        }
    }
}
