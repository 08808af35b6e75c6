using BnMlNet.Engine.Network;

namespace BnMlNet.Engine.Optimizers;

/// <summary>
/// Weight decay on every batch norm's γ (input and hidden), <see cref="TrainingSettings.BatchNormGammaWeightDecay"/>,
/// pulling γ toward 0 (the standard decay, as PyTorch applies <c>weight_decay</c> to a BatchNorm's weight), in the
/// optimizer's convention for <see cref="TrainingSettings.WeightDecay"/>: SGD and Adam add λ_γ·γ to γ's gradient (L2,
/// after gradient clipping, as the optimizers add λ·W), in a copy of the gradients so that the buffer keeps ∂L/∂θ of the
/// backward pass; AdamW first scales γ by 1 − lr·λ_γ (decoupled). It runs just before the optimizer step, which then
/// treats γ as undecayed, so the update equals the optimizer's own decay of a decayed parameter. β is never decayed.
/// </summary>
internal static class GammaDecay
{
    /// <summary>
    /// Applies one step's decay to the γ segments of <paramref name="parameters"/> and returns the gradients the optimizer
    /// is to use: the parameters' own buffer when nothing is added (λ_γ = 0, or decoupled), else <paramref name="scratch"/>
    /// (grown as needed) holding the gradients with λ_γ·γ added to γ's.
    /// </summary>
    public static float[] Apply(ParameterBuffer parameters, IReadOnlyList<ParameterSegment> gammas, float lambda, bool decoupled, float learningRate,
        ref float[] scratch)
    {
        if (lambda == 0 || gammas.Count == 0) return parameters.Gradients;
        if (decoupled)
        {
            float factor = 1f - learningRate * lambda;
            foreach (var segment in gammas)
            {
                var gamma = parameters.Value(segment);
                for (int i = 0; i < gamma.Length; i++) gamma[i] *= factor;
            }
            return parameters.Gradients;
        }
        if (scratch.Length != parameters.Length) scratch = new float[parameters.Length];
        parameters.Gradients.CopyTo(scratch, 0);
        foreach (var segment in gammas)
        {
            var gamma = parameters.Value(segment);
            var gradient = scratch.AsSpan(segment.Offset, segment.Length);
            for (int i = 0; i < gamma.Length; i++) gradient[i] += lambda * gamma[i];
        }
        return scratch;
    }
}
