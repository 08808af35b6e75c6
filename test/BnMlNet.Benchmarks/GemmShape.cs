namespace BnMlNet.Benchmarks;

/// <summary>One benchmarked GEMM: C[m×n] = op(A)·op(B) with depth k.</summary>
/// <param name="Name">Where the shape comes from in training or inference.</param>
/// <param name="TransposeA">A stored k×m.</param>
/// <param name="TransposeB">B stored n×k.</param>
/// <param name="M">Rows of C.</param>
/// <param name="N">Columns of C.</param>
/// <param name="K">Depth.</param>
public sealed record GemmShape(string Name, bool TransposeA, bool TransposeB, int M, int N, int K)
{
    /// <summary>Floating-point operations per call: one multiply and one add per term, 2·m·n·k.</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>The shapes of an MLP 784→256→256→10 at batch 128, plus a wider batch and single-row inference.</summary>
    public static IEnumerable<GemmShape> All()
    {
        yield return new("fwd X·Wᵀ", false, true, 128, 256, 784);
        yield return new("fwd X·Wᵀ", false, true, 128, 256, 256);
        yield return new("fwd X·Wᵀ", false, true, 128, 10, 256);
        yield return new("dX dZ·W", false, false, 128, 784, 256);
        yield return new("dX dZ·W", false, false, 128, 256, 256);
        yield return new("dW dZᵀ·X", true, false, 256, 784, 128);
        yield return new("dW dZᵀ·X", true, false, 256, 256, 128);
        yield return new("fwd X·Wᵀ", false, true, 256, 256, 784);
        yield return new("infer x·Wᵀ", false, true, 1, 256, 784);
    }

    /// <summary>A key for <c>key=value</c> output, e.g. <c>128x784x256_NT</c>: m×k×n then op(A), op(B).</summary>
    public string Key => $"{M}x{K}x{N}_{(TransposeA ? 'T' : 'N')}{(TransposeB ? 'T' : 'N')}";

    /// <summary>Shown in the Shape column, e.g. <c>NT 128x256x784</c>: op(A), op(B) (N or T), then m×n×k.</summary>
    public override string ToString() =>
        $"{(TransposeA ? 'T' : 'N')}{(TransposeB ? 'T' : 'N')} {M}x{N}x{K}";
}
