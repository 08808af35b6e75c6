namespace BnMlNet.Engine.Layers;

/// <summary>
/// The periodic (PLR) numerical embedding as a forward/backward pair over flat buffers. For an embedded feature i with
/// value x, frequencies c_i [k], weights W_i [2k×d] (row q, column o at (i·2k + q)·d + o) and bias b_i [d]:
/// a_f = (2π·c_if)·x; v = [cos a_0 … cos a_(k−1), sin a_0 … sin a_(k−1)]; h = ReLU(b_i + Σ_q v_q·W_i[q, ·]).
/// The output row is the m embedded blocks of d values (in slot order), then the pass-through slots in order.
/// </summary>
internal static class PeriodicEmbeddingLayer
{
    /// <summary>float(2π), multiplied into the frequency first (<see cref="PeriodicEmbeddingParameters.TwoPi"/>).</summary>
    public const float TwoPi = PeriodicEmbeddingParameters.TwoPi;

    /// <summary>
    /// One feature of one row: writes v [2k] and h [d] (post-ReLU). The one formula the batch passes and the frozen
    /// network's row path share, so that both give the same bits.
    /// </summary>
    public static void EmbedValue(float x, ReadOnlySpan<float> c, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> v, Span<float> h)
    {
        int k = c.Length, d = b.Length;
        for (int f = 0; f < k; f++)
        {
            float a = TwoPi * c[f] * x;
            v[f] = MathF.Cos(a);
            v[k + f] = MathF.Sin(a);
        }
        b.CopyTo(h);
        for (int q = 0; q < 2 * k; q++)
        {
            float vq = v[q];
            var row = w.Slice(q * d, d);
            for (int o = 0; o < d; o++) h[o] += vq * row[o];
        }
        for (int o = 0; o < d; o++) h[o] = h[o] > 0f ? h[o] : 0f;
    }

    /// <summary>
    /// Forward over rows [rowStart, rowEnd) of x [rows×inputSize] into e [rows×outputSize], keeping v [rows×m×2k] for the
    /// backward pass. slots [m] are the embedded inputs, passThrough the others (both ascending).
    /// </summary>
    public static void Forward(Span<float> e, Span<float> v, ReadOnlySpan<float> x, ReadOnlySpan<float> frequency,
        ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<int> slots, ReadOnlySpan<int> passThrough,
        int rowStart, int rowEnd, int inputSize, int k, int d)
    {
        int m = slots.Length, outputSize = m * d + passThrough.Length;
        for (int r = rowStart; r < rowEnd; r++)
        {
            var xr = x.Slice(r * inputSize, inputSize);
            var er = e.Slice(r * outputSize, outputSize);
            for (int i = 0; i < m; i++)
                EmbedValue(xr[slots[i]], frequency.Slice(i * k, k), weights.Slice(i * 2 * k * d, 2 * k * d), bias.Slice(i * d, d),
                    v.Slice((r * m + i) * 2 * k, 2 * k), er.Slice(i * d, d));
            for (int p = 0; p < passThrough.Length; p++) er[m * d + p] = xr[passThrough[p]];
        }
    }

    /// <summary>
    /// Backward for embedded features [slotStart, slotEnd) over all rows, from dE [rows×outputSize]:
    /// g = dE·[h &gt; 0]; ∂b_i = Σ_r g; ∂W_i[q, o] = Σ_r v_q·g_o; ∂v_q = Σ_o W_i[q, o]·g_o;
    /// ∂a_f = −sin(a_f)·∂v_f + cos(a_f)·∂v_(k+f); ∂c_if = Σ_r ∂a_f·2π·x; ∂x = Σ_f ∂a_f·2π·c_if (when dx is not empty).
    /// Gradients are overwritten; each feature sums its rows in order, so the bits never depend on how features are split.
    /// </summary>
    public static void Backward(Span<float> dx, Span<float> dFrequency, Span<float> dWeights, Span<float> dBias,
        ReadOnlySpan<float> dE, ReadOnlySpan<float> e, ReadOnlySpan<float> v, ReadOnlySpan<float> x,
        ReadOnlySpan<float> frequency, ReadOnlySpan<float> weights, ReadOnlySpan<int> slots, int passThroughCount,
        int slotStart, int slotEnd, int rows, int inputSize, int k, int d)
    {
        int m = slots.Length, outputSize = m * d + passThroughCount, twoK = 2 * k;
        Span<float> g = stackalloc float[d];
        Span<float> dv = stackalloc float[twoK];
        for (int i = slotStart; i < slotEnd; i++)
        {
            var dc = dFrequency.Slice(i * k, k);
            var dw = dWeights.Slice(i * twoK * d, twoK * d);
            var db = dBias.Slice(i * d, d);
            var c = frequency.Slice(i * k, k);
            var w = weights.Slice(i * twoK * d, twoK * d);
            dc.Clear();
            dw.Clear();
            db.Clear();
            for (int r = 0; r < rows; r++)
            {
                int at = r * outputSize + i * d;
                for (int o = 0; o < d; o++) g[o] = e[at + o] > 0f ? dE[at + o] : 0f;
                var vr = v.Slice((r * m + i) * twoK, twoK);
                for (int o = 0; o < d; o++) db[o] += g[o];
                for (int q = 0; q < twoK; q++)
                {
                    float vq = vr[q], acc = 0f;
                    var wq = w.Slice(q * d, d);
                    var dwq = dw.Slice(q * d, d);
                    for (int o = 0; o < d; o++)
                    {
                        dwq[o] += vq * g[o];
                        acc += wq[o] * g[o];
                    }
                    dv[q] = acc;
                }
                float xv = x[r * inputSize + slots[i]], dxv = 0f;
                for (int f = 0; f < k; f++)
                {
                    float da = vr[k + f] * -dv[f] + vr[f] * dv[k + f];
                    dc[f] += da * TwoPi * xv;
                    dxv += da * TwoPi * c[f];
                }
                if (!dx.IsEmpty) dx[r * inputSize + slots[i]] = dxv;
            }
        }
    }

    /// <summary>∂x for the pass-through slots: a copy of their part of dE.</summary>
    public static void BackwardPassThrough(Span<float> dx, ReadOnlySpan<float> dE, ReadOnlySpan<int> passThrough, int embeddedWidth, int rows, int inputSize)
    {
        int outputSize = embeddedWidth + passThrough.Length;
        for (int r = 0; r < rows; r++)
            for (int p = 0; p < passThrough.Length; p++)
                dx[r * inputSize + passThrough[p]] = dE[r * outputSize + embeddedWidth + p];
    }
}
