using BnMlNet.Engine.Threading;

namespace BnMlNet.Engine.Kernels;

/// <summary>
/// A batched ("grouped") GEMM: <c>groups</c> independent products of the same shape, C_g = op(A_g)·op(B_g)
/// (+ C_g when <c>accumulate</c>), where group g's matrices start <c>g·stride</c> floats after the first group's and
/// share the leading dimensions. An ensemble's block-diagonal layer is one such call: member g's block of the weights,
/// its columns of the wide activations. All groups run in one parallel dispatch over (group, strip) parts, so k small
/// products keep every thread busy where k separate <see cref="Gemm.Multiply"/> calls would each be too small to split.
/// </summary>
/// <remarks>
/// Each group is computed exactly as <see cref="Gemm.Multiply"/> computes a product of its shape (the same direct or
/// packed path, chosen from the shape alone, and the same k blocking), so a group's result is bit-identical to a
/// separate <see cref="Gemm.Multiply"/> call on it, whatever the thread count. The groups' C regions must not overlap.
/// </remarks>
internal static unsafe class GroupedGemm
{
    /// <summary>C_g = op(A_g)·op(B_g) (or += when <paramref name="accumulate"/>) for g = 0 … <paramref name="groups"/> − 1.</summary>
    public static void Multiply(
        bool transposeA, bool transposeB, int groups, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, int aStride,
        ReadOnlySpan<float> b, int ldb, int bStride,
        Span<float> c, int ldc, int cStride,
        bool accumulate = false, int threads = 1)
        => Multiply(transposeA, transposeB, groups, m, n, k, a, lda, aStride, b, ldb, bStride, c, ldc, cStride,
            accumulate, threads, GemmKernels.Best);

    /// <summary>The same, with the micro-kernel forced (tests).</summary>
    internal static void Multiply(
        bool transposeA, bool transposeB, int groups, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, int aStride,
        ReadOnlySpan<float> b, int ldb, int bStride,
        Span<float> c, int ldc, int cStride,
        bool accumulate, int threads, GemmKernelKind kernel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(groups);
        ArgumentOutOfRangeException.ThrowIfNegative(aStride);
        ArgumentOutOfRangeException.ThrowIfNegative(bStride);
        ArgumentOutOfRangeException.ThrowIfNegative(cStride);
        if (groups == 0) return;
        // Strides are non-negative, so the last group is the one that needs the longest buffers.
        long last = groups - 1;
        GemmArguments.Validate(transposeA, transposeB, m, n, k,
            Remaining(a.Length, last * aStride, "a"), lda, Remaining(b.Length, last * bStride, "b"), ldb,
            Remaining(c.Length, last * cStride, "c"), ldc);
        if (!GemmKernels.IsSupported(kernel))
            throw new PlatformNotSupportedException($"This CPU cannot run the {kernel} GEMM kernel.");
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate)
                for (int g = 0; g < groups; g++)
                    for (int i = 0; i < m; i++) c.Slice(g * cStride + i * ldc, n).Clear();
            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            var problem = new GemmProblem(kernel, transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
            var work = GroupedGemmWork.ForThisThread;
            work.Set(problem, groups, aStride, bStride, cStride, threads);
            try
            {
                if (work.Items <= 1) work.Execute(0);
                else WorkerTeam.Run(work, work.Items);
            }
            finally
            {
                work.Clear();
            }
        }
    }

    private static int Remaining(int length, long offset, string name)
    {
        if (offset > length) throw new ArgumentException($"Buffer '{name}' holds {length} floats but the last group starts at {offset}.", name);
        return (int)(length - offset);
    }
}
