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
        // Placeholder reference implementation; replaced by the packed SIMD kernel.
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transposeA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transposeB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += av * bv;
                }
                c[i * ldc + j] = accumulate ? c[i * ldc + j] + sum : sum;
            }
        }
    }
}
