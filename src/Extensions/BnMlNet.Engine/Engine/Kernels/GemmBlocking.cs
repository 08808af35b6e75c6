namespace BnMlNet.Engine.Kernels;

/// <summary>Cache block sizes of the packed GEMM (register tiles: <see cref="GemmKernels"/>).</summary>
/// <remarks>
/// A packed B micro-panel (kc × 16 or 32 floats, ≤ 32 KiB at kc = 256) stays in L1 while the A micro-panels
/// (kc × 6 or 12 floats) stream from L2, where the packed MC×KC block of A (≤ 144 KiB) lives; the packed KC×NC
/// panel of B sits in L2/L3. The same k blocking is used by every kernel and every thread count.
/// </remarks>
internal static class GemmBlocking
{
    /// <summary>Largest k block; the actual block is k split into equal parts no larger than this.</summary>
    public const int MaxKc = 256;

    /// <summary>Rows of A packed per block (a multiple of every tile height, 6 and 12).</summary>
    public const int Mc = 144;

    /// <summary>Columns of B packed per panel (a multiple of every tile width, 16 and 32).</summary>
    public const int Nc = 4096;

    /// <summary>Below this many multiply-adds (m·n·k) the direct, unpacked path is cheaper.</summary>
    public const long DirectThreshold = 32 * 1024;

    /// <summary>
    /// Size of the k blocks for a depth of <paramref name="k"/>: ⌈k / ⌈k / MaxKc⌉⌉, so that 784 splits
    /// into 196·4 instead of 256·3 + 16. Depends on k only, so every element of C sees the same
    /// k-block boundaries (and hence the same rounding) whatever the kernel, thread count or tiling.
    /// </summary>
    public static int KcFor(int k)
    {
        int blocks = (k + MaxKc - 1) / MaxKc;
        return (k + blocks - 1) / blocks;
    }

    /// <summary>Rounds <paramref name="value"/> up to a multiple of <paramref name="multiple"/>.</summary>
    public static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
