using System.Runtime.Intrinsics.X86;

namespace BnMlNet.Engine.Kernels;

/// <summary>Which micro-kernel (and hence which register-tile shape) the packed path uses.</summary>
internal enum GemmKernelKind
{
    /// <summary><see cref="System.Numerics.Vector{T}"/> multiply then add, 6×16 tiles; runs anywhere.</summary>
    Portable,

    /// <summary>AVX2 + FMA, 6×16 tiles in 12 ymm registers.</summary>
    Avx2,

    /// <summary>AVX-512F FMA, 12×32 tiles in 24 zmm registers.</summary>
    Avx512,
}

/// <summary>Capabilities and tile shapes of the <see cref="GemmKernelKind"/> values.</summary>
/// <remarks>
/// Avx2 and Avx512 give bit-identical results: per element both compute acc = 0, acc = fma(a_p, b_p, acc) in
/// p order over the same k blocks, then C = acc or C + acc; the vector width only changes how many elements
/// are computed at once. Portable rounds the product and the sum separately, so it differs in the last bits.
/// </remarks>
internal static class GemmKernels
{
    /// <summary>The fastest kernel this CPU supports.</summary>
    public static GemmKernelKind Best { get; } =
        IsSupported(GemmKernelKind.Avx512) ? GemmKernelKind.Avx512
        : IsSupported(GemmKernelKind.Avx2) ? GemmKernelKind.Avx2
        : GemmKernelKind.Portable;

    /// <summary>Whether <paramref name="kind"/> can run on this CPU (the SIMD kinds also use AVX2+FMA in the direct path).</summary>
    public static bool IsSupported(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Portable => true,
        GemmKernelKind.Avx2 => Fma.IsSupported && Avx2.IsSupported,
        GemmKernelKind.Avx512 => Avx512F.IsSupported && Fma.IsSupported && Avx2.IsSupported,
        _ => false,
    };

    /// <summary>Rows of C per register tile.</summary>
    public static int TileRows(GemmKernelKind kind) => kind == GemmKernelKind.Avx512 ? 12 : 6;

    /// <summary>Columns of C per register tile.</summary>
    public static int TileColumns(GemmKernelKind kind) => kind == GemmKernelKind.Avx512 ? 32 : 16;
}
