using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace BnMlNet.Engine.Layers;

/// <summary>
/// The passes of train-mode batch norm over [B×C] row-major, each over a block of channels (the reductions over rows)
/// or a block of rows (the element-wise parts), so that threads can share a layer without writing to the same cache
/// lines. Every element is computed by the same operations whatever the block, so the results are the same bits for
/// any partition; <see cref="BatchNormLayer"/> runs them over the whole batch.
/// </summary>
internal static class BatchNormPasses
{
    /// <summary>
    /// Channels [c0, c1): μ and σ² accumulated in double over all rows (two-pass), then <paramref name="centre"/>[c] = μ
    /// (double), mean, biased variance and rstd = 1/√(σ² + ε). Writes nothing else, and nothing outside [c0, c1).
    /// </summary>
    public static void Statistics(Span<double> centre, Span<float> mean, Span<float> variance, Span<float> rstd,
        ReadOnlySpan<float> x, int batch, int channels, float epsilon, int c0, int c1)
    {
        int w = c1 - c0;
        if (w <= 0) return;
        // μ and σ² are accumulated in double: in Single, Σ(x − μ)² over a batch overflows once |x| nears 1e17 (features
        // up to 1e18 are accepted), and cancels badly for large offsets. The accumulators are this block's own.
        double[] acc = ArrayPool<double>.Shared.Rent(2 * w);
        try
        {
            Span<double> sum = acc.AsSpan(0, w), squares = acc.AsSpan(w, w);
            sum.Clear();
            squares.Clear();
            for (int r = 0; r < batch; r++)
                AccumulateSum(sum, x.Slice(r * channels + c0, w));
            for (int c = 0; c < w; c++) sum[c] /= batch;
            for (int r = 0; r < batch; r++)
                AccumulateSquares(squares, x.Slice(r * channels + c0, w), sum);
            for (int c = 0; c < w; c++)
            {
                double v = squares[c] / batch;
                centre[c0 + c] = sum[c];
                mean[c0 + c] = (float)sum[c];
                variance[c0 + c] = (float)v;
                rstd[c0 + c] = (float)(1.0 / Math.Sqrt(v + epsilon));   // rstd = 1/√(σ² + ε)
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(acc);
        }
    }

    /// <summary>Rows [r0, r1): x̂ = (float)(x − μ)·rstd; y = γ·x̂ + β, with μ = <paramref name="centre"/> in double.</summary>
    public static void Normalize(Span<float> y, Span<float> xhat, ReadOnlySpan<float> x, ReadOnlySpan<double> centre,
        ReadOnlySpan<float> rstd, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int channels, int r0, int r1)
    {
        for (int r = r0; r < r1; r++)
        {
            Span<float> h = xhat.Slice(r * channels, channels);
            Center(h, x.Slice(r * channels, channels), centre[..channels]);
            TensorPrimitives.Multiply(h, rstd[..channels], h);
            TensorPrimitives.MultiplyAdd(h, gamma[..channels], beta[..channels], y.Slice(r * channels, channels));
        }
    }

    /// <summary>
    /// Channels [c0, c1): ∂L/∂β = Σ g and ∂L/∂γ = Σ g·x̂ over all rows, accumulated in this block's own buffer and
    /// written once.
    /// </summary>
    public static void GradientSums(Span<float> dGamma, Span<float> dBeta, ReadOnlySpan<float> dy, ReadOnlySpan<float> xhat,
        int batch, int channels, int c0, int c1)
    {
        int w = c1 - c0;
        if (w <= 0) return;
        float[] acc = ArrayPool<float>.Shared.Rent(2 * w);
        try
        {
            Span<float> sg = acc.AsSpan(0, w), sb = acc.AsSpan(w, w);
            sg.Clear();
            sb.Clear();
            for (int r = 0; r < batch; r++)
            {
                ReadOnlySpan<float> g = dy.Slice(r * channels + c0, w);
                TensorPrimitives.Add(sb, g, sb);
                TensorPrimitives.MultiplyAdd(g, xhat.Slice(r * channels + c0, w), sg, sg);
            }
            sg.CopyTo(dGamma[c0..c1]);
            sb.CopyTo(dBeta[c0..c1]);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(acc);
        }
    }

    /// <summary>Rows [r0, r1): ∂L/∂x = γ·rstd/B · (B·g − ∂L/∂β − x̂·∂L/∂γ).</summary>
    public static void InputGradient(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> xhat, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> rstd, ReadOnlySpan<float> dGamma, ReadOnlySpan<float> dBeta, int batch, int channels, int r0, int r1)
    {
        float invB = 1f / batch;
        for (int r = r0; r < r1; r++)
            BackwardRow(dx.Slice(r * channels, channels), dy.Slice(r * channels, channels), xhat.Slice(r * channels, channels),
                gamma[..channels], rstd[..channels], dBeta[..channels], dGamma[..channels], batch, invB);
    }

    /// <summary>
    /// Rows [r0, r1) of <see cref="InputGradient"/> with g stored block-major: channels cut into <paramref name="blocks"/>
    /// blocks by <see cref="Threading.WorkPartition.Block"/> (granule <paramref name="granule"/>), block [c0, c1) holding
    /// row r's values at <paramref name="gBlocks"/>[batch·c0 + r·(c1 − c0) …] (as
    /// <see cref="FusedPasses.MaskReluGradientSumsBlock"/> writes them). The same bits as <see cref="InputGradient"/>.
    /// </summary>
    public static void InputGradientBlocks(Span<float> dx, ReadOnlySpan<float> gBlocks, ReadOnlySpan<float> xhat, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> rstd, ReadOnlySpan<float> dGamma, ReadOnlySpan<float> dBeta, int batch, int channels, int blocks, int granule,
        int r0, int r1)
    {
        float invB = 1f / batch;
        for (int r = r0; r < r1; r++)
            for (int b = 0; b < blocks; b++)
            {
                var (c0, c1) = Threading.WorkPartition.Block(channels, blocks, b, granule);
                int w = c1 - c0;
                if (w == 0) continue;
                BackwardRow(dx.Slice(r * channels + c0, w), gBlocks.Slice(batch * c0 + r * w, w), xhat.Slice(r * channels + c0, w),
                    gamma[c0..c1], rstd[c0..c1], dBeta[c0..c1], dGamma[c0..c1], batch, invB);
            }
    }

    /// <summary>sum[c] += x[c] in double; 8 lanes at a time, as two 4-wide double halves (the same bits as the scalar loop).</summary>
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

    /// <summary>dc = x[c] − μ[c] in double; squares[c] += dc². 8 lanes at a time (two 4-wide double halves), no fused multiply-add (the same bits as the scalar loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateSquares(Span<double> squares, ReadOnlySpan<float> x, ReadOnlySpan<double> mean)
    {
        int n = squares.Length;
        if (x.Length < n || mean.Length < n) throw new ArgumentException("Batch norm: spans of different lengths.");
        ref double q0 = ref MemoryMarshal.GetReference(squares);
        ref double m0 = ref MemoryMarshal.GetReference(mean);
        ref float x0 = ref MemoryMarshal.GetReference(x);
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
            }
        }
        for (; c < n; c++)
        {
            double dc = x[c] - mean[c];
            squares[c] += dc * dc;
        }
    }

    /// <summary>d[c] = (float)(x[c] − μ[c]), the difference in double. 8 lanes at a time (two 4-wide double halves; the same bits as the scalar loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Center(Span<float> d, ReadOnlySpan<float> x, ReadOnlySpan<double> mean)
    {
        int n = d.Length;
        if (x.Length < n || mean.Length < n) throw new ArgumentException("Batch norm: spans of different lengths.");
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
                Vector256.Narrow(dlo, dhi).StoreUnsafe(ref d0, (nuint)c);
            }
        }
        for (; c < n; c++) d[c] = (float)(x[c] - mean[c]);
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
}
