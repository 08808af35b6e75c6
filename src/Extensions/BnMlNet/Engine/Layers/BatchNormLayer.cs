using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

        // μ and σ² are accumulated in double: in Single, Σ(x − μ)² over a batch overflows once |x| nears 1e17 (features
        // up to 1e18 are accepted), and cancels badly for large offsets. Two-pass; x̂ holds x − μ meanwhile.
        double[] acc = ArrayPool<double>.Shared.Rent(2 * channels);
        try
        {
            Span<double> sum = acc.AsSpan(0, channels), squares = acc.AsSpan(channels, channels);
            sum.Clear();
            squares.Clear();
            for (int r = 0; r < batch; r++)
                AccumulateSum(sum, x.Slice(r * channels, channels));
            for (int c = 0; c < channels; c++) sum[c] /= batch;
            for (int r = 0; r < batch; r++)
                AccumulateSquares(squares, xhat.Slice(r * channels, channels), x.Slice(r * channels, channels), sum);
            for (int c = 0; c < channels; c++)
            {
                double v = squares[c] / batch;
                mean[c] = (float)sum[c];
                variance[c] = (float)v;
                rstd[c] = (float)(1.0 / Math.Sqrt(v + epsilon));   // rstd = 1/√(σ² + ε)
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(acc);
        }

        // x̂ = (x − μ)·rstd; y = γ·x̂ + β
        for (int r = 0; r < batch; r++)
        {
            Span<float> h = xhat.Slice(r * channels, channels);
            TensorPrimitives.Multiply(h, rstd, h);
            TensorPrimitives.MultiplyAdd(h, gamma[..channels], beta[..channels], y.Slice(r * channels, channels));
        }
    }

    /// <summary>sum[c] += x[c] in double; 4 lanes at a time (the same bits as the scalar loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateSum(Span<double> sum, ReadOnlySpan<float> x)
    {
        int n = sum.Length;
        if (x.Length < n) throw new ArgumentException("Batch norm: spans of different lengths.");
        ref double s0 = ref MemoryMarshal.GetReference(sum);
        ref float x0 = ref MemoryMarshal.GetReference(x);
        int c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; c + 8 <= n; c += 8)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref x0, (nuint)c));
                (Vector256.LoadUnsafe(ref s0, (nuint)c) + lo).StoreUnsafe(ref s0, (nuint)c);
                (Vector256.LoadUnsafe(ref s0, (nuint)(c + 4)) + hi).StoreUnsafe(ref s0, (nuint)(c + 4));
            }
        }
        for (; c < n; c++) sum[c] += x[c];
    }

    /// <summary>
    /// dc = x[c] − μ[c] in double; squares[c] += dc²; d[c] = (float)dc. 4 lanes at a time, no fused multiply-add
    /// (the same bits as the scalar loop).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateSquares(Span<double> squares, Span<float> d, ReadOnlySpan<float> x, ReadOnlySpan<double> mean)
    {
        int n = squares.Length;
        if (x.Length < n || d.Length < n || mean.Length < n) throw new ArgumentException("Batch norm: spans of different lengths.");
        ref double q0 = ref MemoryMarshal.GetReference(squares);
        ref double m0 = ref MemoryMarshal.GetReference(mean);
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float d0 = ref MemoryMarshal.GetReference(d);
        int c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; c + 8 <= n; c += 8)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref x0, (nuint)c));
                var dlo = lo - Vector256.LoadUnsafe(ref m0, (nuint)c);
                var dhi = hi - Vector256.LoadUnsafe(ref m0, (nuint)(c + 4));
                (Vector256.LoadUnsafe(ref q0, (nuint)c) + dlo * dlo).StoreUnsafe(ref q0, (nuint)c);
                (Vector256.LoadUnsafe(ref q0, (nuint)(c + 4)) + dhi * dhi).StoreUnsafe(ref q0, (nuint)(c + 4));
                Vector256.Narrow(dlo, dhi).StoreUnsafe(ref d0, (nuint)c);
            }
        }
        for (; c < n; c++)
        {
            double dc = x[c] - mean[c];
            squares[c] += dc * dc;
            d[c] = (float)dc;
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
            BackwardRow(dx.Slice(r * channels, channels), dy.Slice(r * channels, channels), xhat.Slice(r * channels, channels),
                gamma[..channels], rstd[..channels], dBeta, dGamma, batch, invB);
    }

    /// <summary>
    /// d = γ·rstd·(1/B)·(B·g − ∂β − x̂·∂γ) for one row, vectorized with the scalar expression's operations in the
    /// same order and no fused multiply-add (the same bits at any vector width).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardRow(Span<float> d, ReadOnlySpan<float> g, ReadOnlySpan<float> h, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> rstd, ReadOnlySpan<float> dBeta, ReadOnlySpan<float> dGamma, int batch, float invB)
    {
        int channels = d.Length;
        if (g.Length < channels || h.Length < channels || gamma.Length < channels || rstd.Length < channels
            || dBeta.Length < channels || dGamma.Length < channels)
            throw new ArgumentException("Batch norm backward: spans of different lengths.");
        ref float d0 = ref MemoryMarshal.GetReference(d);
        ref float g0 = ref MemoryMarshal.GetReference(g);
        ref float h0 = ref MemoryMarshal.GetReference(h);
        ref float ga0 = ref MemoryMarshal.GetReference(gamma);
        ref float rs0 = ref MemoryMarshal.GetReference(rstd);
        ref float db0 = ref MemoryMarshal.GetReference(dBeta);
        ref float dg0 = ref MemoryMarshal.GetReference(dGamma);
        float b = batch;
        int c = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vInvB = Vector512.Create(invB);
            var vB = Vector512.Create(b);
            for (; c + 16 <= channels; c += 16)
            {
                nuint k = (nuint)c;
                var scale = Vector512.LoadUnsafe(ref ga0, k) * Vector512.LoadUnsafe(ref rs0, k) * vInvB;
                var inner = vB * Vector512.LoadUnsafe(ref g0, k) - Vector512.LoadUnsafe(ref db0, k)
                    - Vector512.LoadUnsafe(ref h0, k) * Vector512.LoadUnsafe(ref dg0, k);
                (scale * inner).StoreUnsafe(ref d0, k);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var vInvB = Vector256.Create(invB);
            var vB = Vector256.Create(b);
            for (; c + 8 <= channels; c += 8)
            {
                nuint k = (nuint)c;
                var scale = Vector256.LoadUnsafe(ref ga0, k) * Vector256.LoadUnsafe(ref rs0, k) * vInvB;
                var inner = vB * Vector256.LoadUnsafe(ref g0, k) - Vector256.LoadUnsafe(ref db0, k)
                    - Vector256.LoadUnsafe(ref h0, k) * Vector256.LoadUnsafe(ref dg0, k);
                (scale * inner).StoreUnsafe(ref d0, k);
            }
        }
        for (; c < channels; c++)
            d[c] = gamma[c] * rstd[c] * invB * (batch * g[c] - dBeta[c] - h[c] * dGamma[c]);
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
