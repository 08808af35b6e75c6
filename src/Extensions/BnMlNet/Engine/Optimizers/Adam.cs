using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace BnMlNet.Engine.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) as torch.optim.Adam / AdamW. At step t:
/// Adam: g = ∇ + λ·p (L2 added to the gradient); AdamW: p ← p·(1 − lr·λ) first (decoupled), g = ∇.
/// m = β₁·m + (1 − β₁)·g; v = β₂·v + (1 − β₂)·g²;
/// p −= (lr/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + ε).
/// λ applies to Dense weights only.
/// </summary>
/// <remarks>
/// Vectorized (512- or 256-bit lanes, then a scalar tail) with exactly the scalar formula's operations in the same
/// order and no fused multiply-add, so every element gets the same bits whatever the vector width.
/// </remarks>
internal sealed class Adam(int length, float beta1, float beta2, float epsilon, float weightDecay, bool decoupled) : IOptimizer
{
    private readonly float[] _m = new float[length];
    private readonly float[] _v = new float[length];
    private int _t;

    public void Step(Span<float> values, ReadOnlySpan<float> gradients, int decayedCount, float learningRate)
    {
        _t++;
        double bias1 = 1.0 - Math.Pow(beta1, _t);
        double bias2 = 1.0 - Math.Pow(beta2, _t);
        var k = new Constants(beta1, beta2, epsilon, (float)(learningRate / bias1), (float)(1.0 / Math.Sqrt(bias2)),
            weightDecay, 1f - learningRate * weightDecay);
        int n = values.Length;
        int split = weightDecay != 0 ? Math.Clamp(decayedCount, 0, n) : 0;
        if (split > 0)
        {
            if (decoupled) Range<DecoupledDecay>(values, gradients, 0, split, k);
            else Range<L2Decay>(values, gradients, 0, split, k);
        }
        Range<NoDecay>(values, gradients, split, n, k);
    }

    private readonly record struct Constants(float Beta1, float Beta2, float Epsilon, float StepSize, float InvSqrtBias2,
        float WeightDecay, float DecoupledFactor);

    private interface IDecay
    {
        static abstract void Apply(ref float p, ref float g, in Constants k);
        static abstract void Apply(ref Vector512<float> p, ref Vector512<float> g, in Constants k);
        static abstract void Apply(ref Vector256<float> p, ref Vector256<float> g, in Constants k);
    }

    private readonly struct NoDecay : IDecay
    {
        public static void Apply(ref float p, ref float g, in Constants k) { }
        public static void Apply(ref Vector512<float> p, ref Vector512<float> g, in Constants k) { }
        public static void Apply(ref Vector256<float> p, ref Vector256<float> g, in Constants k) { }
    }

    private readonly struct L2Decay : IDecay
    {
        public static void Apply(ref float p, ref float g, in Constants k) => g += k.WeightDecay * p;
        public static void Apply(ref Vector512<float> p, ref Vector512<float> g, in Constants k) => g += Vector512.Create(k.WeightDecay) * p;
        public static void Apply(ref Vector256<float> p, ref Vector256<float> g, in Constants k) => g += Vector256.Create(k.WeightDecay) * p;
    }

    private readonly struct DecoupledDecay : IDecay
    {
        public static void Apply(ref float p, ref float g, in Constants k) => p *= k.DecoupledFactor;
        public static void Apply(ref Vector512<float> p, ref Vector512<float> g, in Constants k) => p *= Vector512.Create(k.DecoupledFactor);
        public static void Apply(ref Vector256<float> p, ref Vector256<float> g, in Constants k) => p *= Vector256.Create(k.DecoupledFactor);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Range<TDecay>(Span<float> values, ReadOnlySpan<float> gradients, int start, int end, in Constants k)
        where TDecay : struct, IDecay
    {
        ref float p0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(values);
        ref float g0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(gradients);
        ref float m0 = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_m);
        ref float v0 = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_v);
        if (gradients.Length < end || _m.Length < end) throw new ArgumentException("The gradients are shorter than the parameters.");
        int i = start;
        float b1 = k.Beta1, c1 = 1f - k.Beta1, b2 = k.Beta2, c2 = 1f - k.Beta2;
        if (Vector512.IsHardwareAccelerated)
        {
            var vb1 = Vector512.Create(b1); var vc1 = Vector512.Create(c1);
            var vb2 = Vector512.Create(b2); var vc2 = Vector512.Create(c2);
            var step = Vector512.Create(k.StepSize); var inv = Vector512.Create(k.InvSqrtBias2); var eps = Vector512.Create(k.Epsilon);
            for (; i + 16 <= end; i += 16)
            {
                var p = Vector512.LoadUnsafe(ref p0, (nuint)i);
                var g = Vector512.LoadUnsafe(ref g0, (nuint)i);
                TDecay.Apply(ref p, ref g, k);
                var m = vb1 * Vector512.LoadUnsafe(ref m0, (nuint)i) + vc1 * g;
                var v = vb2 * Vector512.LoadUnsafe(ref v0, (nuint)i) + vc2 * g * g;
                m.StoreUnsafe(ref m0, (nuint)i);
                v.StoreUnsafe(ref v0, (nuint)i);
                (p - step * m / (Vector512.Sqrt(v) * inv + eps)).StoreUnsafe(ref p0, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var vb1 = Vector256.Create(b1); var vc1 = Vector256.Create(c1);
            var vb2 = Vector256.Create(b2); var vc2 = Vector256.Create(c2);
            var step = Vector256.Create(k.StepSize); var inv = Vector256.Create(k.InvSqrtBias2); var eps = Vector256.Create(k.Epsilon);
            for (; i + 8 <= end; i += 8)
            {
                var p = Vector256.LoadUnsafe(ref p0, (nuint)i);
                var g = Vector256.LoadUnsafe(ref g0, (nuint)i);
                TDecay.Apply(ref p, ref g, k);
                var m = vb1 * Vector256.LoadUnsafe(ref m0, (nuint)i) + vc1 * g;
                var v = vb2 * Vector256.LoadUnsafe(ref v0, (nuint)i) + vc2 * g * g;
                m.StoreUnsafe(ref m0, (nuint)i);
                v.StoreUnsafe(ref v0, (nuint)i);
                (p - step * m / (Vector256.Sqrt(v) * inv + eps)).StoreUnsafe(ref p0, (nuint)i);
            }
        }
        for (; i < end; i++)
        {
            float p = values[i];
            float g = gradients[i];
            TDecay.Apply(ref p, ref g, k);
            float m = b1 * _m[i] + c1 * g;
            float v = b2 * _v[i] + c2 * g * g;
            _m[i] = m;
            _v[i] = v;
            values[i] = p - k.StepSize * m / (MathF.Sqrt(v) * k.InvSqrtBias2 + k.Epsilon);
        }
    }
}
