using System.Runtime.CompilerServices;

namespace BnMlNet.Engine.Kernels;

/// <summary>Writes the valid part of a computed register tile to a ragged corner of C.</summary>
internal static unsafe class GemmTile
{
    /// <summary>
    /// C[r, j] = tile[r·stride + j] (overwrite) or C[r, j] + tile[r·stride + j], for r &lt; rows, j &lt; cols.
    /// A scalar float add rounds exactly like one lane of a vector add, so edge elements match full tiles.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void StorePartial(float* tile, int stride, float* c, int ldc, int rows, int cols, bool overwrite)
    {
        for (int r = 0; r < rows; r++)
        {
            float* src = tile + r * stride;
            float* dst = c + (long)r * ldc;
            if (overwrite)
            {
                for (int j = 0; j < cols; j++) dst[j] = src[j];
            }
            else
            {
                for (int j = 0; j < cols; j++) dst[j] += src[j];
            }
        }
    }
}
