using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace BnMlNet.Engine.Layers;

/// <summary>
/// Element-wise passes over [B×C] row-major that do in one sweep what several whole-batch passes did, with each
/// element's floating-point operations unchanged and in the same order (no fused multiply-add, no reciprocal), so
/// the results are the same bits as the passes they replace. Vectors of 16 (AVX-512) or 8 lanes, then a scalar tail
/// with the same formula.
/// </summary>
internal static class FusedPasses
{
    /// <summary>y = γ·((x − μ)/sd) + β for rows [0, batch), with sd = √(σ²_run + ε) per channel precomputed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InferenceRows(Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> sd, int batch, int channels)
    {
        long n = (long)batch * channels;
        if (y.Length < n || x.Length < n || gamma.Length < channels || beta.Length < channels || mean.Length < channels || sd.Length < channels)
            throw new ArgumentException("Batch norm inference: a buffer is shorter than its shape.");
        ref float g0 = ref MemoryMarshal.GetReference(gamma);
        ref float b0 = ref MemoryMarshal.GetReference(beta);
        ref float m0 = ref MemoryMarshal.GetReference(mean);
        ref float s0 = ref MemoryMarshal.GetReference(sd);
        for (int r = 0; r < batch; r++)
        {
            ref float x0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), r * channels);
            ref float y0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), r * channels);
            int c = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; c + 16 <= channels; c += 16)
                {
                    nuint k = (nuint)c;
                    var q = (Vector512.LoadUnsafe(ref x0, k) - Vector512.LoadUnsafe(ref m0, k)) / Vector512.LoadUnsafe(ref s0, k);
                    (Vector512.LoadUnsafe(ref g0, k) * q + Vector512.LoadUnsafe(ref b0, k)).StoreUnsafe(ref y0, k);
                }
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                for (; c + 8 <= channels; c += 8)
                {
                    nuint k = (nuint)c;
                    var q = (Vector256.LoadUnsafe(ref x0, k) - Vector256.LoadUnsafe(ref m0, k)) / Vector256.LoadUnsafe(ref s0, k);
                    (Vector256.LoadUnsafe(ref g0, k) * q + Vector256.LoadUnsafe(ref b0, k)).StoreUnsafe(ref y0, k);
                }
            }
            for (; c < channels; c++)
                Unsafe.Add(ref y0, c) = gamma[c] * ((Unsafe.Add(ref x0, c) - mean[c]) / sd[c]) + beta[c];
        }
    }
    /// <summary>
    /// The backward of batch norm → ReLU → (dropout) up to batch norm's input gradient, in one sweep over the rows:
    /// g = x &gt; 0 ? dy·mask : 0 (x the ReLU's input, i.e. the batch norm's output; no mask: dy) is written to
    /// <paramref name="g"/>, and ∂β = Σ g, ∂γ = Σ g·x̂ are accumulated over the rows in order, as
    /// <see cref="Dropout.Backward"/>, <see cref="Activations.Backward"/> and <see cref="BatchNormPasses.GradientSums"/>
    /// do one after the other.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MaskReluGradientSums(Span<float> g, Span<float> dGamma, Span<float> dBeta, ReadOnlySpan<float> dy,
        ReadOnlySpan<float> mask, ReadOnlySpan<float> x, ReadOnlySpan<float> xhat, int batch, int channels)
    {
        long n = (long)batch * channels;
        bool masked = !mask.IsEmpty;
        if (g.Length < n || dy.Length < n || x.Length < n || xhat.Length < n || (masked && mask.Length < n)
            || dGamma.Length < channels || dBeta.Length < channels)
            throw new ArgumentException("Fused ReLU/batch norm backward: a buffer is shorter than its shape.");
        dGamma[..channels].Clear();
        dBeta[..channels].Clear();
        SumsCore(g, channels, dGamma, dBeta, dy, mask, x, xhat, batch, channels, 0, channels);
    }

    /// <summary>
    /// <see cref="MaskReluGradientSums"/> for channels [c0, c1) only: g of those channels is written block-major, row r's
    /// values at <paramref name="gBlock"/>[r·(c1 − c0) …], and ∂γ, ∂β of the block are summed over all rows in order into
    /// <paramref name="dGammaBlock"/>, <paramref name="dBetaBlock"/> (c1 − c0 values each, cleared here). Every value is
    /// the same bits as the whole-batch pass gives, whatever the block.
    /// </summary>
    public static void MaskReluGradientSumsBlock(Span<float> gBlock, Span<float> dGammaBlock, Span<float> dBetaBlock, ReadOnlySpan<float> dy,
        ReadOnlySpan<float> mask, ReadOnlySpan<float> x, ReadOnlySpan<float> xhat, int batch, int channels, int c0, int c1)
    {
        long n = (long)batch * channels;
        int w = c1 - c0;
        bool masked = !mask.IsEmpty;
        if (c0 < 0 || w < 0 || c1 > channels || gBlock.Length < (long)batch * w || dy.Length < n || x.Length < n || xhat.Length < n
            || (masked && mask.Length < n) || dGammaBlock.Length < w || dBetaBlock.Length < w)
            throw new ArgumentException("Fused ReLU/batch norm backward: a buffer is shorter than its shape.");
        dGammaBlock[..w].Clear();
        dBetaBlock[..w].Clear();
        SumsCore(gBlock, w, dGammaBlock, dBetaBlock, dy, mask, x, xhat, batch, channels, c0, w);
    }

    /// <summary>The sums of channels [c0, c0 + w) over all rows; g of row r at gOut[r·gStride …].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumsCore(Span<float> gOut, int gStride, Span<float> dGamma, Span<float> dBeta, ReadOnlySpan<float> dy,
        ReadOnlySpan<float> mask, ReadOnlySpan<float> x, ReadOnlySpan<float> xhat, int batch, int channels, int c0, int w)
    {
        bool masked = !mask.IsEmpty;
        ref float sg0 = ref MemoryMarshal.GetReference(dGamma);
        ref float sb0 = ref MemoryMarshal.GetReference(dBeta);
        for (int r = 0; r < batch; r++)
        {
            int o = r * channels + c0;
            ref float g0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(gOut), r * gStride);
            ref float d0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(dy), o);
            ref float x0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), o);
            ref float h0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(xhat), o);
            ref float m0 = ref masked ? ref Unsafe.Add(ref MemoryMarshal.GetReference(mask), o) : ref d0;
            int c = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; c + 16 <= w; c += 16)
                {
                    nuint k = (nuint)c;
                    var d = Vector512.LoadUnsafe(ref d0, k);
                    if (masked) d *= Vector512.LoadUnsafe(ref m0, k);
                    var v = Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.LoadUnsafe(ref x0, k), Vector512<float>.Zero), d, Vector512<float>.Zero);
                    v.StoreUnsafe(ref g0, k);
                    (Vector512.LoadUnsafe(ref sb0, k) + v).StoreUnsafe(ref sb0, k);
                    (v * Vector512.LoadUnsafe(ref h0, k) + Vector512.LoadUnsafe(ref sg0, k)).StoreUnsafe(ref sg0, k);
                }
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                for (; c + 8 <= w; c += 8)
                {
                    nuint k = (nuint)c;
                    var d = Vector256.LoadUnsafe(ref d0, k);
                    if (masked) d *= Vector256.LoadUnsafe(ref m0, k);
                    var v = Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.LoadUnsafe(ref x0, k), Vector256<float>.Zero), d, Vector256<float>.Zero);
                    v.StoreUnsafe(ref g0, k);
                    (Vector256.LoadUnsafe(ref sb0, k) + v).StoreUnsafe(ref sb0, k);
                    (v * Vector256.LoadUnsafe(ref h0, k) + Vector256.LoadUnsafe(ref sg0, k)).StoreUnsafe(ref sg0, k);
                }
            }
            for (; c < w; c++)
            {
                float d = Unsafe.Add(ref d0, c);
                if (masked) d *= Unsafe.Add(ref m0, c);
                float v = Unsafe.Add(ref x0, c) > 0 ? d : 0f;
                Unsafe.Add(ref g0, c) = v;
                Unsafe.Add(ref sb0, c) += v;
                Unsafe.Add(ref sg0, c) = v * Unsafe.Add(ref h0, c) + Unsafe.Add(ref sg0, c);
            }
        }
    }

    /// <summary>
    /// The forward of batch norm (statistics given) → ReLU → (dropout) for rows [0, batch), one row at a time:
    /// x̂ = (float)(x − μ)·rstd with μ in double, y = x̂·γ + β, a = max(y, 0), and with a mask (drawn here for the whole batch in
    /// row order from <paramref name="rng"/>, as <see cref="Dropout.Forward"/> draws them) out = a·mask.
    /// The same operations per element as <see cref="BatchNormPasses.Normalize"/>, <see cref="Activations.Forward"/>
    /// and <see cref="Dropout.Forward"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void NormalizeReluDropout(Span<float> y, Span<float> xhat, Span<float> a, Span<float> dropped, Span<float> mask,
        ReadOnlySpan<float> x, ReadOnlySpan<double> centre, ReadOnlySpan<float> rstd, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        int batch, int channels, Kernels.Xoshiro256? rng, float rate)
    {
        long n = (long)batch * channels;
        bool drop = rng is not null;
        if (y.Length < n || xhat.Length < n || a.Length < n || x.Length < n || (drop && (mask.Length < n || dropped.Length < n))
            || centre.Length < channels || rstd.Length < channels || gamma.Length < channels || beta.Length < channels)
            throw new ArgumentException("Fused batch norm/ReLU/dropout forward: a buffer is shorter than its shape.");
        float keep = 1f / (1f - rate);
        if (drop) rng!.FillMask(mask[..(int)n], rate, keep);   // the batch's draws in row order, as one call over the batch
        NormalizeReluDropoutRows(y, xhat, a, dropped, mask, x, centre, rstd, gamma, beta, channels, 0, batch, drop);
    }

    /// <summary>
    /// Rows [r0, r1) of <see cref="NormalizeReluDropout"/> with the mask already drawn (when <paramref name="drop"/>):
    /// the same operations per element; writes nothing outside those rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void NormalizeReluDropoutRows(Span<float> y, Span<float> xhat, Span<float> a, Span<float> dropped, ReadOnlySpan<float> mask,
        ReadOnlySpan<float> x, ReadOnlySpan<double> centre, ReadOnlySpan<float> rstd, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        int channels, int r0, int r1, bool drop)
    {
        long n = (long)r1 * channels;
        if (r0 < 0 || y.Length < n || xhat.Length < n || a.Length < n || x.Length < n || (drop && (mask.Length < n || dropped.Length < n))
            || centre.Length < channels || rstd.Length < channels || gamma.Length < channels || beta.Length < channels)
            throw new ArgumentException("Fused batch norm/ReLU/dropout forward: a buffer is shorter than its shape.");
        ref double mu0 = ref MemoryMarshal.GetReference(centre);
        ref float rs0 = ref MemoryMarshal.GetReference(rstd);
        ref float ga0 = ref MemoryMarshal.GetReference(gamma);
        ref float be0 = ref MemoryMarshal.GetReference(beta);
        for (int r = r0; r < r1; r++)
        {
            int o = r * channels;
            ref float x0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), o);
            ref float h0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(xhat), o);
            ref float y0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), o);
            ref float a0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(a), o);
            int c = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; c + 8 <= channels; c += 8)
                {
                    nuint k = (nuint)c;
                    var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref x0, k));
                    var h = Vector256.Narrow(lo - Vector256.LoadUnsafe(ref mu0, k), hi - Vector256.LoadUnsafe(ref mu0, k + 4))
                        * Vector256.LoadUnsafe(ref rs0, k);
                    h.StoreUnsafe(ref h0, k);
                    var v = h * Vector256.LoadUnsafe(ref ga0, k) + Vector256.LoadUnsafe(ref be0, k);
                    v.StoreUnsafe(ref y0, k);
                    Vector256.Max(v, Vector256<float>.Zero).StoreUnsafe(ref a0, k);
                }
            }
            for (; c < channels; c++)
            {
                float h = (float)(Unsafe.Add(ref x0, c) - centre[c]) * rstd[c];
                Unsafe.Add(ref h0, c) = h;
                float v = h * gamma[c] + beta[c];
                Unsafe.Add(ref y0, c) = v;
                Unsafe.Add(ref a0, c) = MathF.Max(v, 0f);
            }
            if (drop) Multiply(dropped.Slice(o, channels), a.Slice(o, channels), mask.Slice(o, channels));
        }
    }

    /// <summary>z = u·v element by element.</summary>
    private static void Multiply(Span<float> z, ReadOnlySpan<float> u, ReadOnlySpan<float> v)
    {
        int n = z.Length, c = 0;
        ref float z0 = ref MemoryMarshal.GetReference(z);
        ref float u0 = ref MemoryMarshal.GetReference(u);
        ref float v0 = ref MemoryMarshal.GetReference(v);
        if (Vector256.IsHardwareAccelerated)
            for (; c + 8 <= n; c += 8)
                (Vector256.LoadUnsafe(ref u0, (nuint)c) * Vector256.LoadUnsafe(ref v0, (nuint)c)).StoreUnsafe(ref z0, (nuint)c);
        for (; c < n; c++) Unsafe.Add(ref z0, c) = Unsafe.Add(ref u0, c) * Unsafe.Add(ref v0, c);
    }
}
