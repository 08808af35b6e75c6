using System.Numerics.Tensors;
using BnMlNet.Engine.Kernels;

namespace BnMlNet.Engine.Layers;

/// <summary>
/// A fully connected layer over a mini-batch: Z[B×Out] = X[B×In]·Wᵀ + b, with W stored [Out×In] row-major
/// (PyTorch's nn.Linear layout). The bias is optional (absent when batch normalization follows).
/// </summary>
internal static class DenseLayer
{
    /// <summary>Z = X·Wᵀ (+ b on every row). <paramref name="bias"/> empty means no bias.</summary>
    public static void Forward(
        Span<float> z, ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        int batch, int inSize, int outSize, int threads)
    {
        Gemm.Multiply(transposeA: false, transposeB: true, batch, outSize, inSize,
            x, inSize, weights, inSize, z, outSize, accumulate: false, threads);
        if (bias.IsEmpty) return;
        for (int r = 0; r < batch; r++)
        {
            Span<float> row = z.Slice(r * outSize, outSize);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>
    /// Backward pass: dW = dZᵀ·X [Out×In]; db = Σ_rows dZ (when <paramref name="dBias"/> is not empty);
    /// dX = dZ·W [B×In] (when <paramref name="dx"/> is not empty; the first layer without input BN skips it).
    /// Gradients are overwritten, not accumulated.
    /// </summary>
    public static void Backward(
        Span<float> dx, Span<float> dWeights, Span<float> dBias,
        ReadOnlySpan<float> dz, ReadOnlySpan<float> x, ReadOnlySpan<float> weights,
        int batch, int inSize, int outSize, int threads)
    {
        Gemm.Multiply(transposeA: true, transposeB: false, outSize, inSize, batch,
            dz, outSize, x, inSize, dWeights, inSize, accumulate: false, threads);
        if (!dBias.IsEmpty)
        {
            dBias[..outSize].Clear();
            for (int r = 0; r < batch; r++)
                TensorPrimitives.Add(dBias[..outSize], dz.Slice(r * outSize, outSize), dBias[..outSize]);
        }
        if (!dx.IsEmpty)
        {
            Gemm.Multiply(transposeA: false, transposeB: false, batch, inSize, outSize,
                dz, outSize, weights, inSize, dx, inSize, accumulate: false, threads);
        }
    }
}
