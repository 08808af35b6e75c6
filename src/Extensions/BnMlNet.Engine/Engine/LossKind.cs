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
}
