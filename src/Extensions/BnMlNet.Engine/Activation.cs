namespace BnMlNet;

/// <summary>The nonlinearity applied by a hidden block (and, as <see cref="Identity"/>, by the output layer).</summary>
public enum Activation
{
    /// <summary>max(0, x). He initialization.</summary>
    Relu = 0,
    /// <summary>x for x &gt; 0, slope·x otherwise (slope 0.01 by default). He initialization.</summary>
    LeakyRelu = 1,
    /// <summary>tanh(x). Xavier/Glorot initialization.</summary>
    Tanh = 2,
    /// <summary>1 / (1 + e^−x). Xavier/Glorot initialization.</summary>
    Sigmoid = 3,
    /// <summary>The exact GELU, 0.5·x·(1 + erf(x/√2)). He initialization.</summary>
    Gelu = 4,
    /// <summary>ELU with α = 1: x for x &gt; 0, e^x − 1 otherwise. He initialization.</summary>
    Elu = 5,
    /// <summary>SiLU (swish): x·sigmoid(x). He initialization.</summary>
    Silu = 6,
    /// <summary>softplus: ln(1 + e^x). He initialization.</summary>
    Softplus = 7,
    /// <summary>The identity: a linear layer. Used by the output layer. Xavier/Glorot initialization.</summary>
    Identity = 8,
}
