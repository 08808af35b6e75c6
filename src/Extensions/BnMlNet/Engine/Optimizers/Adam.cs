namespace BnMlNet.Engine.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) as torch.optim.Adam / AdamW. At step t:
/// Adam: g = ∇ + λ·p (L2 added to the gradient); AdamW: p ← p·(1 − lr·λ) first (decoupled), g = ∇.
/// m = β₁·m + (1 − β₁)·g; v = β₂·v + (1 − β₂)·g²;
/// p −= (lr/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + ε).
/// λ applies to Dense weights only.
/// </summary>
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
        float stepSize = (float)(learningRate / bias1);
        float invSqrtBias2 = (float)(1.0 / Math.Sqrt(bias2));
        float decoupledFactor = 1f - learningRate * weightDecay;
        for (int i = 0; i < values.Length; i++)
        {
            float p = values[i];
            float g = gradients[i];
            if (i < decayedCount && weightDecay != 0)
            {
                if (decoupled) p *= decoupledFactor;
                else g += weightDecay * p;
            }
            float m = beta1 * _m[i] + (1f - beta1) * g;
            float v = beta2 * _v[i] + (1f - beta2) * g * g;
            _m[i] = m;
            _v[i] = v;
            values[i] = p - stepSize * m / (MathF.Sqrt(v) * invSqrtBias2 + epsilon);
        }
    }
}
