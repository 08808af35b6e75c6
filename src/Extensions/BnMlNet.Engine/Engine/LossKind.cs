namespace BnMlNet.Engine;

/// <summary>The network's head: how its raw outputs are turned into a loss.</summary>
public enum LossKind
{
    /// <summary>One logit z; loss = softplus(z) − y·z (the log-loss of σ(z) against y ∈ [0, 1]). OutputSize 1.</summary>
    BinaryLogLoss = 0,
    /// <summary>K logits; loss = log Σⱼ e^(zⱼ) − z_y (softmax cross-entropy), label y the class index 0..K−1. OutputSize ≥ 2.</summary>
    SoftmaxCrossEntropy = 1,
    /// <summary>One value; loss = (ŷ − y)², averaged like PyTorch's nn.MSELoss. OutputSize 1.</summary>
    SquaredError = 2,
    /// <summary>
    /// One value ŷ, the log of the rate (log link); loss = e^ŷ − y·ŷ, as PyTorch's nn.PoissonNLLLoss(log_input=True,
    /// full=False); labels y ≥ 0 (counts). The prediction is e^ŷ. OutputSize 1.
    /// </summary>
    Poisson = 3,
    /// <summary>
    /// One value; loss = ½d² for |d| ≤ 1, |d| − ½ beyond (d = ŷ − y), as PyTorch's nn.HuberLoss(delta=1). With
    /// <see cref="TrainingSettings.StandardizeLabel"/> the threshold is one label standard deviation. OutputSize 1.
    /// </summary>
    Huber = 4,
}
