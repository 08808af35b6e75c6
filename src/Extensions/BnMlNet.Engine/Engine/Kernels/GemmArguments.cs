namespace BnMlNet.Engine.Kernels;

/// <summary>Shape and buffer-length checks for <see cref="Gemm.Multiply"/>, done once before any unsafe access.</summary>
internal static class GemmArguments
{
    /// <summary>Throws if a dimension is negative, a leading dimension is too small or a buffer too short.</summary>
    public static void Validate(
        bool transposeA, bool transposeB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckMatrix(transposeA ? k : m, transposeA ? m : k, aLength, lda, "a", nameof(lda));
        CheckMatrix(transposeB ? n : k, transposeB ? k : n, bLength, ldb, "b", nameof(ldb));
        CheckMatrix(m, n, cLength, ldc, "c", nameof(ldc));
    }

    /// <summary>A rows×cols row-major matrix with leading dimension ld needs (rows − 1)·ld + cols elements.</summary>
    private static void CheckMatrix(int rows, int cols, int length, int ld, string name, string ldName)
    {
        if (ld < cols)
        {
            throw new ArgumentOutOfRangeException(ldName, ld, $"Leading dimension must be at least {cols}.");
        }

        long needed = rows == 0 || cols == 0 ? 0 : ((long)rows - 1) * ld + cols;
        if (length < needed)
        {
            throw new ArgumentException($"Buffer '{name}' holds {length} floats but a {rows}×{cols} matrix with leading dimension {ld} needs {needed}.", name);
        }
    }
}
