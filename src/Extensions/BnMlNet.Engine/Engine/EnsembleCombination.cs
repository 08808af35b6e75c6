namespace BnMlNet.Engine;

/// <summary>
/// How the raw outputs of an ensemble's members become the one raw output the head reads. Each rule gives the raw
/// output whose head value is the members' mean: the mean probability for classification, the mean score for
/// regression.
/// </summary>
public enum EnsembleCombination
{
    /// <summary>The mean of the members' outputs (regression with an identity score).</summary>
    Mean = 0,
    /// <summary>log(mean(e^z)): the log of the members' mean rate (regression with the Poisson loss's log link).</summary>
    LogMeanExp = 1,
    /// <summary>The logit of the members' mean probability σ(z) (binary classification).</summary>
    BinaryLogit = 2,
    /// <summary>The log of the members' mean softmax probabilities, per class (multiclass classification).</summary>
    SoftmaxLogits = 3,
}
