using BnMlNet.Engine.Network;

namespace BnMlNet.Engine.Optimizers;

/// <summary>
/// Weight decay on every batch norm's γ (input and hidden), <see cref="TrainingSettings.BatchNormGammaWeightDecay"/>,
/// pulling γ toward 0 (the standard decay, as PyTorch applies <c>weight_decay</c> to a BatchNorm's weight), in the
/// optimizer's convention for <see cref="TrainingSettings.WeightDecay"/>: SGD and Adam add λ_γ·γ to γ's gradient (L2,
/// after gradient clipping, as the optimizers add λ·W); AdamW first scales γ by 1 − lr·λ_γ (decoupled). It runs just
/// before the optimizer step, which then treats γ as undecayed, so the update equals the optimizer's own decay of a
/// decayed parameter. β is never decayed.
/// </summary>
internal static class GammaDecay
{
    /// <summary>Applies the decay of one step to the γ segments of <paramref name="parameters"/>; nothing when λ_γ = 0.</summary>
    public static void Apply(ParameterBuffer parameters, IReadOnlyList<ParameterSegment> gammas, float lambda, bool decoupled, float learningRate)
    {
        if (lambda == 0) return;
        float factor = 1f - learningRate * lambda;
        foreach (var segment in gammas)
        {
            var gamma = parameters.Value(segment);
            if (decoupled)
            {
                for (int i = 0; i < gamma.Length; i++) gamma[i] *= factor;
                continue;
            }
            var gradient = parameters.Gradient(segment);
            for (int i = 0; i < gamma.Length; i++) gradient[i] += lambda * gamma[i];
        }
    }
}
