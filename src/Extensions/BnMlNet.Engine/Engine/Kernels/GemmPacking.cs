using System.Runtime.CompilerServices;

namespace BnMlNet.Engine.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the contiguous, zero-padded micro-panel layouts the micro-kernels read.
/// </summary>
/// <remarks>
/// Packed A: for each group of mr rows, kc steps of mr values (row r of step p at p·mr + r).
/// Packed B: for each group of nr columns, kc steps of nr values (column c of step p at p·nr + c).
/// Missing rows/columns of a ragged last group are zeros, so the kernel always runs a full tile and the padding
/// lanes never reach C. The transposes of op() are resolved here, so the kernels see one layout.
/// </remarks>
internal static unsafe class GemmPacking
{
    /// <summary>Packs op(A)[i0..i0+mc, p0..p0+kc] into <paramref name="dst"/> (RoundUp(mc, mr)·kc floats).</summary>
    /// <remarks>
    /// Full panels of a tile height that is a multiple of 4 go through <see cref="GemmTranspose"/>'s vector copies;
    /// the rest (ragged panels, other heights, <see cref="ReferencePaths"/>) through the scalar copy. Either way the
    /// panel holds the same values.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(bool transposeA, float* a, int lda, int i0, int mc, int p0, int kc, int mr, float* dst)
    {
        bool vector = GemmTranspose.IsSupported && mr % 4 == 0 && !ReferencePaths.Enabled;
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            float* panel = dst + (long)ir * kc;
            if (vector && rows == mr)
            {
                if (transposeA) GemmTranspose.CopySteps(a + (long)p0 * lda + i0 + ir, lda, kc, mr, panel);
                else GemmTranspose.InterleaveRows(a + (long)(i0 + ir) * lda + p0, lda, kc, mr, panel);
            }
            else
            {
                PackAPanel(transposeA, a, lda, i0 + ir, rows, p0, kc, mr, panel);
            }
        }
    }

    /// <summary>The scalar packing of one A micro-panel of <paramref name="rows"/> ≤ mr rows starting at row i.</summary>
    private static void PackAPanel(bool transposeA, float* a, int lda, int i, int rows, int p0, int kc, int mr, float* panel)
    {
        if (transposeA)
        {
            // A is stored k×m: the mr values of step p are contiguous at a[p·lda + i].
            float* src = a + (long)p0 * lda + i;
            for (int p = 0; p < kc; p++, src += lda, panel += mr)
            {
                int r = 0;
                for (; r < rows; r++) panel[r] = src[r];
                for (; r < mr; r++) panel[r] = 0f;
            }
            return;
        }
        // A is stored m×k: row r of the panel is contiguous along p; interleave the rows.
        for (int r = 0; r < mr; r++)
        {
            float* d = panel + r;
            if (r < rows)
            {
                float* src = a + (long)(i + r) * lda + p0;
                for (int p = 0; p < kc; p++) d[p * mr] = src[p];
            }
            else
            {
                for (int p = 0; p < kc; p++) d[p * mr] = 0f;
            }
        }
    }

    /// <summary>Packs op(B)[p0..p0+kc, j0..j0+nc] into <paramref name="dst"/> (RoundUp(nc, nr)·kc floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(bool transposeB, float* b, int ldb, int p0, int kc, int j0, int nc, int nr, float* dst)
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* panel = dst + (long)jr * kc;
            if (transposeB)
            {
                PackBTransposed(b + (long)(j0 + jr) * ldb + p0, ldb, kc, cols, nr, panel);
            }
            else
            {
                // B is stored k×n: the nr values of step p are one contiguous row segment.
                float* src = b + (long)p0 * ldb + j0 + jr;
                for (int p = 0; p < kc; p++, src += ldb, panel += nr)
                {
                    Unsafe.CopyBlockUnaligned(panel, src, (uint)(cols * sizeof(float)));
                    for (int c = cols; c < nr; c++) panel[c] = 0f;
                }
            }
        }
    }

    /// <summary>
    /// B stored n×k: column c of the panel is row (j + c) of B, contiguous along p. Full panels use 8×8
    /// register transposes; a ragged one reads along p (stride 1) and scatters with stride nr inside the panel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackBTransposed(float* src, int ldb, int kc, int cols, int nr, float* panel)
    {
        if (cols == nr && GemmTranspose.IsSupported)
        {
            GemmTranspose.PackPanel(src, ldb, kc, nr, panel);
            return;
        }

        for (int c = 0; c < nr; c++)
        {
            float* d = panel + c;
            if (c < cols)
            {
                float* s = src + (long)c * ldb;
                for (int p = 0; p < kc; p++) d[p * nr] = s[p];
            }
            else
            {
                for (int p = 0; p < kc; p++) d[p * nr] = 0f;
            }
        }
    }
}
