using System.Numerics.Tensors;

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
        mean = mean[..channels];
        variance = variance[..channels];
        rstd = rstd[..channels];

        // first: μ = (1/B)·Σ_rows x
        mean.Clear();
        for (int r = 0; r < batch; r++)
            TensorPrimitives.Add(mean, x.Slice(r * channels, channels), mean);
        TensorPrimitives.Divide(mean, (float)batch, mean);

        // second: σ² = (1/B)·Σ_rows (x − μ)², two-pass for accuracy; x̂ holds x − μ meanwhile
        variance.Clear();
        for (int r = 0; r < batch; r++)
        {
            Span<float> d = xhat.Slice(r * channels, channels);
            TensorPrimitives.Subtract(x.Slice(r * channels, channels), mean, d);
            TensorPrimitives.MultiplyAdd(d, d, variance, variance);
        }
        TensorPrimitives.Divide(variance, (float)batch, variance);

        // rstd = 1/√(σ² + ε)
        for (int c = 0; c < channels; c++)
            rstd[c] = 1f / MathF.Sqrt(variance[c] + epsilon);

        // x̂ = (x − μ)·rstd; y = γ·x̂ + β
        for (int r = 0; r < batch; r++)
        {
            Span<float> h = xhat.Slice(r * channels, channels);
            TensorPrimitives.Multiply(h, rstd, h);
            TensorPrimitives.MultiplyAdd(h, gamma[..channels], beta[..channels], y.Slice(r * channels, channels));
        }
    }

    /// <summary>Inference forward with frozen statistics: y = γ·(x − μ_run)/√(σ²_run + ε) + β.</summary>
    public static void ForwardInference(
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
    /// The mean and variance depend on x, and the formula includes those paths.
    /// </summary>
    public static void Backward(
        Span<float> dx, Span<float> dGamma, Span<float> dBeta,
        ReadOnlySpan<float> dy, ReadOnlySpan<float> xhat, ReadOnlySpan<float> gamma, ReadOnlySpan<float> rstd,
        int batch, int channels)
    {
        dGamma = dGamma[..channels];
        dBeta = dBeta[..channels];
        dGamma.Clear();
        dBeta.Clear();
        for (int r = 0; r < batch; r++)
        {
            ReadOnlySpan<float> g = dy.Slice(r * channels, channels);
            TensorPrimitives.Add(dBeta, g, dBeta);
            TensorPrimitives.MultiplyAdd(g, xhat.Slice(r * channels, channels), dGamma, dGamma);
        }
        float invB = 1f / batch;
        for (int r = 0; r < batch; r++)
        {
            ReadOnlySpan<float> g = dy.Slice(r * channels, channels);
            ReadOnlySpan<float> h = xhat.Slice(r * channels, channels);
            Span<float> d = dx.Slice(r * channels, channels);
            for (int c = 0; c < channels; c++)
                d[c] = gamma[c] * rstd[c] * invB * (batch * g[c] - dBeta[c] - h[c] * dGamma[c]);
        }
    }

    /// <summary>
    /// PyTorch's running update with momentum m: running = (1 − m)·running + m·batch, where the variance fed in
    /// is the unbiased batch variance B/(B − 1)·σ². Requires B ≥ 2.
    /// </summary>
    public static void UpdateRunning(
        Span<float> runningMean, Span<float> runningVariance, ReadOnlySpan<float> mean, ReadOnlySpan<float> variance,
        int batch, float momentum)
    {
        float unbias = batch / (float)(batch - 1);
        for (int c = 0; c < runningMean.Length; c++)
        {
            runningMean[c] = (1f - momentum) * runningMean[c] + momentum * mean[c];
            runningVariance[c] = (1f - momentum) * runningVariance[c] + momentum * (unbias * variance[c]);
        }
    }
}
