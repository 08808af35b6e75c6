using System.Numerics.Tensors;
using BnMlNet.Engine.Kernels;

namespace BnMlNet.Engine.Layers;

/// <summary>
/// A block-diagonal fully connected layer: the layer of an ensemble after the first, where member g's outputs
/// g·Out/G … (g+1)·Out/G − 1 depend only on its inputs g·In/G … (g+1)·In/G − 1. Only the G blocks are stored:
/// W = [W_0; W_1; …], block g of (Out/G)×(In/G) floats at g·(Out/G)·(In/G), row-major like <see cref="DenseLayer"/>.
/// Z_g = X_g·W_gᵀ (+ b on every row); every product is one <see cref="GroupedGemm"/> call over the G blocks.
/// The activations stay wide: X [B×In] and Z [B×Out], member after member in each row.
/// </summary>
internal static class BlockDenseLayer
{
    /// <summary>Z = blockdiag(W)·X per row (+ b). <paramref name="bias"/> empty means no bias.</summary>
    public static void Forward(
        Span<float> z, ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        int batch, int inSize, int outSize, int groups, int threads)
    {
        int inPer = inSize / groups, outPer = outSize / groups;
        GroupedGemm.Multiply(transposeA: false, transposeB: true, groups, batch, outPer, inPer,
            x, inSize, inPer, weights, inPer, outPer * inPer, z, outSize, outPer, accumulate: false, threads);
        if (bias.IsEmpty) return;
        for (int r = 0; r < batch; r++)
        {
            Span<float> row = z.Slice(r * outSize, outSize);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>
    /// Backward pass, block by block: dW_g = dZ_gᵀ·X_g [(Out/G)×(In/G)]; db = Σ_rows dZ (when <paramref name="dBias"/> is
    /// not empty); dX_g = dZ_g·W_g (when <paramref name="dx"/> is not empty). Gradients are overwritten, not accumulated.
    /// </summary>
    public static void Backward(
        Span<float> dx, Span<float> dWeights, Span<float> dBias,
        ReadOnlySpan<float> dz, ReadOnlySpan<float> x, ReadOnlySpan<float> weights,
        int batch, int inSize, int outSize, int groups, int threads)
    {
        int inPer = inSize / groups, outPer = outSize / groups;
        GroupedGemm.Multiply(transposeA: true, transposeB: false, groups, outPer, inPer, batch,
            dz, outSize, outPer, x, inSize, inPer, dWeights, inPer, outPer * inPer, accumulate: false, threads);
        if (!dBias.IsEmpty)
        {
            dBias[..outSize].Clear();
            for (int r = 0; r < batch; r++)
                TensorPrimitives.Add(dBias[..outSize], dz.Slice(r * outSize, outSize), dBias[..outSize]);
        }
        if (!dx.IsEmpty)
        {
            GroupedGemm.Multiply(transposeA: false, transposeB: false, groups, batch, inPer, outPer,
                dz, outSize, outPer, weights, inPer, outPer * inPer, dx, inSize, inPer, accumulate: false, threads);
        }
    }
}
