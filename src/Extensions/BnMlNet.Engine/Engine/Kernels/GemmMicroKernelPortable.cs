using System.Numerics;
using System.Runtime.CompilerServices;

namespace BnMlNet.Engine.Kernels;

/// <summary>
/// Portable 6×16 micro-kernel over the same packed panels, for CPUs without AVX2+FMA (and for testing).
/// </summary>
/// <remarks>
/// Uses <see cref="Vector{T}"/> (NEON, SSE or scalar) with a separate multiply and add, so each element is
/// acc = 0; acc = acc + a_p·b_p (two roundings) for p in order; then C = acc or C + acc. 16 is a multiple
/// of every <see cref="Vector{T}.Count"/> for float (4, 8, 16), so the tile splits into whole vectors.
/// </remarks>
internal static unsafe class GemmMicroKernelPortable
{
    private const int Mr = 6;
    private const int Nr = 16;

    /// <summary>Same contract as <see cref="GemmMicroKernelFma.Run"/>.</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, int rows, int cols, bool overwrite)
    {
        int width = Vector<float>.Count;
        int perRow = Nr / width;
        Vector<float>* acc = stackalloc Vector<float>[Mr * Nr / width];
        for (int i = 0; i < Mr * perRow; i++) acc[i] = Vector<float>.Zero;

        for (int p = 0; p < kc; p++)
        {
            for (int r = 0; r < Mr; r++)
            {
                var av = new Vector<float>(a[r]);
                Vector<float>* row = acc + r * perRow;
                for (int v = 0; v < perRow; v++)
                {
                    row[v] += av * Unsafe.ReadUnaligned<Vector<float>>(b + v * width);
                }
            }

            a += Mr;
            b += Nr;
        }

        GemmTile.StorePartial((float*)acc, Nr, c, ldc, rows, cols, overwrite);
    }
}
