namespace BnMlNet.Engine.Kernels;

/// <summary>
/// Single-precision general matrix multiply on row-major buffers:
/// C[m×n] = op(A)[m×k] · op(B)[k×n] (+ C when <c>accumulate</c>), where op(X) is X or Xᵀ.
/// </summary>
/// <remarks>
/// Row-major with leading dimensions: element (i, j) of a matrix X stored with leading dimension ldx is X[i·ldx + j].
/// When <c>transposeA</c> is true, A is stored as a k×m matrix (lda ≥ m); otherwise as m×k (lda ≥ k).
/// When <c>transposeB</c> is true, B is stored as an n×k matrix (ldb ≥ k); otherwise as k×n (ldb ≥ n).
/// Deterministic: every element of C is computed with the same summation order whatever the thread count.
/// Implementation: packed, cache-blocked GEMM with a 12×32 AVX-512 or 6×16 AVX2+FMA micro-kernel (bit-identical
/// to each other; a portable <c>Vector&lt;T&gt;</c> kernel without AVX2+FMA), a direct path for small and matrix-vector shapes; <c>threads</c> &gt; 1 splits C into one
/// strip per thread. Throws <see cref="ArgumentException"/> when a buffer is too short for its shape and
/// leading dimension. See <see cref="GemmDriver"/>.
/// </remarks>
internal static class Gemm
{
    /// <summary>C = op(A)·op(B), or C += op(A)·op(B) when <paramref name="accumulate"/>.</summary>
    public static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc,
        bool accumulate = false, int threads = 1)
    {
        GemmDriver.Multiply(
            transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, threads, GemmKernels.Best);
    }
}
