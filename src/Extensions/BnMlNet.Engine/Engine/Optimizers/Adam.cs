using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BnMlNet.Engine.Threading;

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
/// order and no fused multiply-add, so every element gets the same bits whatever the vector width. With
/// <c>threads</c> &gt; 1 the parameters are cut into contiguous blocks, one per thread; every element gets the same
/// bits whatever its block.
/// </remarks>
internal sealed unsafe class Adam(int length, float beta1, float beta2, float epsilon, float weightDecay, bool decoupled, int threads = 1)
    : IOptimizer, IPartitionedWork
{
    /// <summary>Below this many parameters a step runs on the calling thread alone.</summary>
    private const int ParallelThreshold = 32768;

    /// <summary>Blocks start at multiples of this (16 floats: one cache line).</summary>
    private const int Granule = 16;

    private readonly float[] _m = new float[length];
    private readonly float[] _v = new float[length];
    private int _t;
    private float* _values, _gradients;
    private int _length, _split, _parts;
    private Constants _k;
    private bool[] _partFinite = new bool[1];

    /// <inheritdoc/>
    public bool LastStepFinite { get; private set; } = true;

    public void Step(Span<float> values, ReadOnlySpan<float> gradients, int decayedCount, float learningRate)
    {
        _t++;
        double bias1 = 1.0 - Math.Pow(beta1, _t);
        double bias2 = 1.0 - Math.Pow(beta2, _t);
        var k = new Constants(beta1, beta2, epsilon, (float)(learningRate / bias1), (float)(1.0 / Math.Sqrt(bias2)),
            weightDecay, 1f - learningRate * weightDecay);
        int n = values.Length;
        int split = weightDecay != 0 ? Math.Clamp(decayedCount, 0, n) : 0;
        int parts = n < ParallelThreshold ? 1 : WorkPartition.Parts(n, threads, Granule);
        if (parts == 1)
        {
            LastStepFinite = Block(values, gradients, 0, n, split, k);
            return;
        }
        if (_partFinite.Length < parts) _partFinite = new bool[parts];
        if (gradients.Length < n) throw new ArgumentException("The gradients are shorter than the parameters.");
        fixed (float* pv = values, pg = gradients)
        {
            _values = pv;
            _gradients = pg;
            _length = n;
            _split = split;
            _parts = parts;
            _k = k;
            try
            {
                WorkerTeam.Run(this, parts);
            }
            finally
            {
                _values = _gradients = null;
            }
        }
        bool finite = true;
        for (int p = 0; p < parts; p++) finite &= _partFinite[p];
        LastStepFinite = finite;
    }

    /// <inheritdoc/>
    void IPartitionedWork.Execute(int part)
    {
        var (start, end) = WorkPartition.Block(_length, _parts, part, Granule);
        _partFinite[part] = Block(new Span<float>(_values, _length), new ReadOnlySpan<float>(_gradients, _length), start, end, _split, _k);
    }

    /// <summary>
    /// Elements [start, end): those below <paramref name="split"/> with weight decay, the rest without. Returns whether
    /// every new value is finite.
    /// </summary>
    private bool Block(Span<float> values, ReadOnlySpan<float> gradients, int start, int end, int split, in Constants k)
    {
        int mid = Math.Clamp(split, start, end);
        bool finite = true;
        if (mid > start)
        {
            finite &= decoupled ? Range<DecoupledDecay>(values, gradients, start, mid, k) : Range<L2Decay>(values, gradients, start, mid, k);
        }
        if (end > mid) finite &= Range<NoDecay>(values, gradients, mid, end, k);
        return finite;
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
    private bool Range<TDecay>(Span<float> values, ReadOnlySpan<float> gradients, int start, int end, in Constants k)
        where TDecay : struct, IDecay
    {
        ref float p0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(values);
        ref float g0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(gradients);
        ref float m0 = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_m);
        ref float v0 = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_v);
        if (gradients.Length < end || _m.Length < end) throw new ArgumentException("The gradients are shorter than the parameters.");
        int i = start;
        bool finite = true;
        float b1 = k.Beta1, c1 = 1f - k.Beta1, b2 = k.Beta2, c2 = 1f - k.Beta2;
        if (Vector512.IsHardwareAccelerated)
        {
            var vb1 = Vector512.Create(b1); var vc1 = Vector512.Create(c1);
            var vb2 = Vector512.Create(b2); var vc2 = Vector512.Create(c2);
            var step = Vector512.Create(k.StepSize); var inv = Vector512.Create(k.InvSqrtBias2); var eps = Vector512.Create(k.Epsilon);
            var check = Vector512<float>.Zero;   // x·0 is 0 for finite x, NaN otherwise
            for (; i + 16 <= end; i += 16)
            {
                var p = Vector512.LoadUnsafe(ref p0, (nuint)i);
                var g = Vector512.LoadUnsafe(ref g0, (nuint)i);
                TDecay.Apply(ref p, ref g, k);
                var m = vb1 * Vector512.LoadUnsafe(ref m0, (nuint)i) + vc1 * g;
                var v = vb2 * Vector512.LoadUnsafe(ref v0, (nuint)i) + vc2 * g * g;
                m.StoreUnsafe(ref m0, (nuint)i);
                v.StoreUnsafe(ref v0, (nuint)i);
                var updated = p - step * m / (Vector512.Sqrt(v) * inv + eps);
                updated.StoreUnsafe(ref p0, (nuint)i);
                check += updated * Vector512<float>.Zero;
            }
            finite = Vector512.EqualsAll(check, Vector512<float>.Zero);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var vb1 = Vector256.Create(b1); var vc1 = Vector256.Create(c1);
            var vb2 = Vector256.Create(b2); var vc2 = Vector256.Create(c2);
            var step = Vector256.Create(k.StepSize); var inv = Vector256.Create(k.InvSqrtBias2); var eps = Vector256.Create(k.Epsilon);
            var check = Vector256<float>.Zero;
            for (; i + 8 <= end; i += 8)
            {
                var p = Vector256.LoadUnsafe(ref p0, (nuint)i);
                var g = Vector256.LoadUnsafe(ref g0, (nuint)i);
                TDecay.Apply(ref p, ref g, k);
                var m = vb1 * Vector256.LoadUnsafe(ref m0, (nuint)i) + vc1 * g;
                var v = vb2 * Vector256.LoadUnsafe(ref v0, (nuint)i) + vc2 * g * g;
                m.StoreUnsafe(ref m0, (nuint)i);
                v.StoreUnsafe(ref v0, (nuint)i);
                var updated = p - step * m / (Vector256.Sqrt(v) * inv + eps);
                updated.StoreUnsafe(ref p0, (nuint)i);
                check += updated * Vector256<float>.Zero;
            }
            finite = Vector256.EqualsAll(check, Vector256<float>.Zero);
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
            float updated = p - k.StepSize * m / (MathF.Sqrt(v) * k.InvSqrtBias2 + k.Epsilon);
            values[i] = updated;
            finite &= float.IsFinite(updated);
        }
        return finite;
    }
}
