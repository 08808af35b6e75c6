using System.Buffers;
using BnMlNet.Engine.Kernels;

namespace BnMlNet.Engine.Layers;

/// <summary>
/// Batch normalization over a mini-batch [B×C] row-major, per channel (column) c (Ioffe &amp; Szegedy 2015):
/// μ = (1/B)·Σ x, σ² = (1/B)·Σ (x − μ)² (biased), x̂ = (x − μ)/√(σ² + ε), y = γ·x̂ + β.
/// Reductions run over rows in a fixed order, so results are deterministic.
/// </summary>
internal static class BatchNormLayer
{
    /// <summary>
    /// Train-mode forward with the batch's own statistics. Caches x̂ and rstd = 1/√(σ² + ε) for the backward pass,
    /// and returns the batch mean and biased variance (for the running statistics).
    /// </summary>
    public static void ForwardTrain(
        Span<float> y, Span<float> xhat, Span<float> mean, Span<float> variance, Span<float> rstd,
        ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        int batch, int channels, float epsilon)
    {
        double[] centre = ArrayPool<double>.Shared.Rent(channels);
        try
        {
            BatchNormPasses.Statistics(centre, mean, variance, rstd, x, batch, channels, epsilon, 0, channels);
            BatchNormPasses.Normalize(y, xhat, x, centre, rstd, gamma, beta, channels, 0, batch);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(centre);
        }
    }

    /// <summary>Inference forward with frozen statistics: y = γ·(x − μ_run)/√(σ²_run + ε) + β.</summary>
    /// <remarks>
    /// √(σ²_run + ε) is taken once per channel and the rest runs in vectors: the same correctly rounded subtraction,
    /// division, product and sum per element as the scalar formula (no fused multiply-add, no reciprocal), so the
    /// same bits (<see cref="FusedPasses.InferenceRows"/>).
    /// </remarks>
    public static void ForwardInference(
        Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVariance, int batch, int channels, float epsilon)
    {
        if (ReferencePaths.Enabled)
        {
            ForwardInferenceReference(y, x, gamma, beta, runningMean, runningVariance, batch, channels, epsilon);
            return;
        }
        float[] sd = ArrayPool<float>.Shared.Rent(channels);
        try
        {
            for (int c = 0; c < channels; c++) sd[c] = MathF.Sqrt(runningVariance[c] + epsilon);
            FusedPasses.InferenceRows(y, x, gamma, beta, runningMean, sd.AsSpan(0, channels), batch, channels);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(sd);
        }
    }

    /// <summary>The scalar form of <see cref="ForwardInference"/> (the reference path).</summary>
    internal static void ForwardInferenceReference(
        Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVariance, int batch, int channels, float epsilon)
    {
        for (int r = 0; r < batch; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * channels, channels);
            Span<float> yr = y.Slice(r * channels, channels);
            for (int c = 0; c < channels; c++)
                yr[c] = gamma[c] * ((xr[c] - runningMean[c]) / MathF.Sqrt(runningVariance[c] + epsilon)) + beta[c];
        }
    }

    /// <summary>
    /// Exact train-mode backward. With g = ∂L/∂y:
    /// ∂L/∂β = Σ g, ∂L/∂γ = Σ g·x̂, ∂L/∂x = γ·rstd/B · (B·g − ∂L/∂β − x̂·∂L/∂γ).
    /// The mean and variance depend on x, and the formula includes those paths. An empty <paramref name="dx"/> skips it.
    /// </summary>
    public static void Backward(
        Span<float> dx, Span<float> dGamma, Span<float> dBeta,
        ReadOnlySpan<float> dy, ReadOnlySpan<float> xhat, ReadOnlySpan<float> gamma, ReadOnlySpan<float> rstd,
        int batch, int channels)
    {
        BatchNormPasses.GradientSums(dGamma, dBeta, dy, xhat, batch, channels, 0, channels);
        if (dx.IsEmpty) return;   // only the parameters' gradients are wanted
        BatchNormPasses.InputGradient(dx, dy, xhat, gamma, rstd, dGamma, dBeta, batch, channels, 0, batch);
    }

    /// <summary>
    /// PyTorch's running update with momentum m: running = (1 − m)·running + m·batch, where the variance fed in
    /// is the unbiased batch variance B/(B − 1)·σ². Requires B ≥ 2.
    /// </summary>
    public static void UpdateRunning(
        Span<float> runningMean, Span<float> runningVariance, ReadOnlySpan<float> mean, ReadOnlySpan<float> variance,
        int batch, float momentum)
        => UpdateRunning(runningMean, runningVariance, mean, variance, batch, momentum, 0, runningMean.Length);

    /// <summary>The running update for channels [<paramref name="c0"/>, <paramref name="c1"/>) only.</summary>
    public static void UpdateRunning(
        Span<float> runningMean, Span<float> runningVariance, ReadOnlySpan<float> mean, ReadOnlySpan<float> variance,
        int batch, float momentum, int c0, int c1)
    {
        float unbias = batch / (float)(batch - 1);
        for (int c = c0; c < c1; c++)
        {
            runningMean[c] = (1f - momentum) * runningMean[c] + momentum * mean[c];
            runningVariance[c] = (1f - momentum) * runningVariance[c] + momentum * (unbias * variance[c]);
        }
    }
}
