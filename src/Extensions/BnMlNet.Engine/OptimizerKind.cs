namespace BnMlNet;

/// <summary>The gradient-descent update rule.</summary>
public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent with optional (Nesterov) momentum, PyTorch's formulation.</summary>
    Sgd = 0,
    /// <summary>Adam (Kingma &amp; Ba 2015); weight decay, if any, is added to the gradient (L2), as in PyTorch's Adam.</summary>
    Adam = 1,
    /// <summary>AdamW (Loshchilov &amp; Hutter 2019): decoupled weight decay.</summary>
    AdamW = 2,
}
