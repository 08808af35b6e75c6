using System.Numerics.Tensors;
using BnMlNet.Engine.Kernels;

namespace BnMlNet.Engine.Layers;

/// <summary>
/// Inverted dropout (train mode only): each unit is kept with probability 1 − p and scaled by 1/(1 − p),
/// so inference needs no rescaling and is the identity.
/// </summary>
internal static class Dropout
{
    /// <summary>mask = u ≥ p ? 1/(1 − p) : 0 with u uniform from <paramref name="rng"/>; y = x·mask.</summary>
    public static void Forward(Span<float> y, Span<float> mask, ReadOnlySpan<float> x, float rate, Xoshiro256 rng)
    {
        float keepScale = 1f / (1f - rate);
        rng.FillMask(mask[..x.Length], rate, keepScale);
        TensorPrimitives.Multiply(x, mask[..x.Length], y);
    }

    /// <summary>dx = dy·mask.</summary>
    public static void Backward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> mask)
        => TensorPrimitives.Multiply(dy, mask[..dy.Length], dx);
}
