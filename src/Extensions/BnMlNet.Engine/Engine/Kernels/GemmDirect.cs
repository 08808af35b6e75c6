using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BnMlNet.Engine.Kernels;

/// <summary>
/// Unpacked path for small products and matrix-vector shapes (m = 1 or n = 1), where packing would cost more
/// than it saves. Single-threaded; chosen from the shape alone, so results do not depend on the thread count.
/// </summary>
/// <remarks>
/// With transposeB, B's rows are contiguous along k, so each C element is a dot product of a row of op(A)
/// with a row of B. Otherwise each row of C is a sum over p of A(i, p) times the contiguous row p of B
/// (an axpy per p), accumulated in a scratch row and then written (or added) to C once.
/// </remarks>
internal static unsafe class GemmDirect
{
    /// <summary>Computes C (+)= op(A)·op(B) for already-validated arguments with m, n, k &gt; 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(
        bool simd, bool transposeA, bool transposeB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        float* scratch = GemmBuffers.Scratch(transposeB ? k : n);
        for (int i = 0; i < m; i++)
        {
            float* cRow = c + (long)i * ldc;
            if (transposeB)
            {
                float* aRow = a + (long)i * lda;
                if (transposeA)
                {
                    // Row i of op(A) is column i of the stored k×m A: gather it once for all n dot products.
                    for (int p = 0; p < k; p++) scratch[p] = a[(long)p * lda + i];
                    aRow = scratch;
                }

                for (int j = 0; j < n; j++)
                {
                    float s = simd ? DotFma(aRow, b + (long)j * ldb, k) : DotPortable(aRow, b + (long)j * ldb, k);
                    cRow[j] = accumulate ? cRow[j] + s : s;
                }
            }
            else
            {
                new Span<float>(scratch, n).Clear();
                for (int p = 0; p < k; p++)
                {
                    float av = transposeA ? a[(long)p * lda + i] : a[(long)i * lda + p];
                    float* bRow = b + (long)p * ldb;
                    if (simd) AxpyFma(av, bRow, scratch, n);
                    else AxpyPortable(av, bRow, scratch, n);
                }

                for (int j = 0; j < n; j++) cRow[j] = accumulate ? cRow[j] + scratch[j] : scratch[j];
            }
        }
    }

    /// <summary>Σ x[p]·y[p] with two 8-lane FMA chains, a fixed-order horizontal sum, then a scalar FMA tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float DotFma(float* x, float* y, int k)
    {
        Vector256<float> s0 = Vector256<float>.Zero, s1 = Vector256<float>.Zero;
        int p = 0;
        for (; p + 16 <= k; p += 16)
        {
            s0 = Fma.MultiplyAdd(Avx.LoadVector256(x + p), Avx.LoadVector256(y + p), s0);
            s1 = Fma.MultiplyAdd(Avx.LoadVector256(x + p + 8), Avx.LoadVector256(y + p + 8), s1);
        }

        if (p + 8 <= k)
        {
            s0 = Fma.MultiplyAdd(Avx.LoadVector256(x + p), Avx.LoadVector256(y + p), s0);
            p += 8;
        }

        float s = Vector256.Sum(Avx.Add(s0, s1));
        for (; p < k; p++) s = MathF.FusedMultiplyAdd(x[p], y[p], s);
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float DotPortable(float* x, float* y, int k)
    {
        float s = 0f;
        for (int p = 0; p < k; p++) s += x[p] * y[p];
        return s;
    }

    /// <summary>acc[j] = fma(alpha, x[j], acc[j]) for j &lt; n, 8 lanes at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AxpyFma(float alpha, float* x, float* acc, int n)
    {
        Vector256<float> av = Vector256.Create(alpha);
        int j = 0;
        for (; j + 8 <= n; j += 8)
        {
            Avx.Store(acc + j, Fma.MultiplyAdd(av, Avx.LoadVector256(x + j), Avx.LoadVector256(acc + j)));
        }

        for (; j < n; j++) acc[j] = MathF.FusedMultiplyAdd(alpha, x[j], acc[j]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AxpyPortable(float alpha, float* x, float* acc, int n)
    {
        for (int j = 0; j < n; j++) acc[j] += alpha * x[j];
    }
}
