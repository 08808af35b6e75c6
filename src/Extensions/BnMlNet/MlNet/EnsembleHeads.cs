using BnMlNet.Engine;

namespace BnMlNet.MlNet;

/// <summary>Which <see cref="EnsembleCombination"/> a saved model's task implies (the payload stores only the member count).</summary>
internal static class EnsembleHeads
{
    /// <summary>Mean probability for classification, mean score (of the rate, for Poisson's log link) for regression.</summary>
    public static EnsembleCombination Combination(ModelTask task, bool exponentialScore) => task switch
    {
        ModelTask.Binary => EnsembleCombination.BinaryLogit,
        ModelTask.Multiclass => EnsembleCombination.SoftmaxLogits,
        _ => exponentialScore ? EnsembleCombination.LogMeanExp : EnsembleCombination.Mean,
    };
}
