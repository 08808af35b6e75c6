namespace BnMlNet.Engine.Optimizers;

/// <summary>
/// SGD with momentum, PyTorch's formulation (torch.optim.SGD, dampening 0):
/// g = ∇ + λ·p (λ only for Dense weights); v = μ·v + g (v = g at the first step, the same with v₀ = 0);
/// Nesterov: p −= lr·(g + μ·v), otherwise p −= lr·v. With μ = 0 it is plain SGD.
/// </summary>
internal sealed class Sgd(int length, float momentum, bool nesterov, float weightDecay) : IOptimizer
{
    private readonly float[] _velocity = momentum != 0 ? new float[length] : [];

    public void Step(Span<float> values, ReadOnlySpan<float> gradients, int decayedCount, float learningRate)
    {
        for (int i = 0; i < values.Length; i++)
        {
            float g = gradients[i];
            if (i < decayedCount) g += weightDecay * values[i];
            if (momentum != 0)
            {
                float v = momentum * _velocity[i] + g;
                _velocity[i] = v;
                g = nesterov ? g + momentum * v : v;
            }
            values[i] -= learningRate * g;
        }
        LastStepFinite = float.IsFinite(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude<float>(values));
    }

    /// <inheritdoc/>
    public bool LastStepFinite { get; private set; } = true;
}
