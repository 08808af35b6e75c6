using System.Numerics.Tensors;

namespace BnMlNet.Engine.Optimizers;

/// <summary>Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_.</summary>
internal static class GradientClipping
{
    /// <summary>
    /// ‖g‖ = √(Σ g²) over every gradient (accumulated in double, fixed order); when ‖g‖ &gt; max, every gradient is
    /// multiplied by max/(‖g‖ + 1e−6). Returns ‖g‖ before clipping.
    /// </summary>
    public static double ClipByGlobalNorm(Span<float> gradients, float maxNorm)
    {
        double sum = 0;
        foreach (float g in gradients) sum += (double)g * g;
        double norm = Math.Sqrt(sum);
        if (maxNorm > 0 && norm > maxNorm)
            TensorPrimitives.Multiply(gradients, (float)(maxNorm / (norm + 1e-6)), gradients);
        return norm;
    }
}
