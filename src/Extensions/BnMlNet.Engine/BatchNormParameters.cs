namespace BnMlNet;

/// <summary>
/// A frozen batch-normalization layer: y = γ·(x − μ)/√(σ² + ε) + β per unit, with μ and σ² the running
/// (inference-time) mean and variance. Immutable; the lists are copies.
/// </summary>
public sealed class BatchNormParameters
{
    /// <summary>Creates the layer from copies of the given values. All four lists must have the same, non-zero length.</summary>
    /// <param name="gamma">Learned scale γ per unit.</param>
    /// <param name="beta">Learned shift β per unit.</param>
    /// <param name="runningMean">Inference-time mean per unit.</param>
    /// <param name="runningVariance">Inference-time variance per unit (PyTorch's convention: the unbiased estimate).</param>
    /// <param name="epsilon">ε added to the variance (PyTorch's default 1e−5).</param>
    public BatchNormParameters(IReadOnlyList<float> gamma, IReadOnlyList<float> beta,
        IReadOnlyList<float> runningMean, IReadOnlyList<float> runningVariance, float epsilon)
    {
        ArgumentNullException.ThrowIfNull(gamma);
        ArgumentNullException.ThrowIfNull(beta);
        ArgumentNullException.ThrowIfNull(runningMean);
        ArgumentNullException.ThrowIfNull(runningVariance);
        if (gamma.Count == 0) throw new ArgumentException("gamma must not be empty.", nameof(gamma));
        if (beta.Count != gamma.Count) throw new ArgumentException($"beta has {beta.Count} values, gamma {gamma.Count}.", nameof(beta));
        if (runningMean.Count != gamma.Count) throw new ArgumentException($"runningMean has {runningMean.Count} values, gamma {gamma.Count}.", nameof(runningMean));
        if (runningVariance.Count != gamma.Count) throw new ArgumentException($"runningVariance has {runningVariance.Count} values, gamma {gamma.Count}.", nameof(runningVariance));
        Gamma = Array.AsReadOnly(gamma.ToArray());
        Beta = Array.AsReadOnly(beta.ToArray());
        RunningMean = Array.AsReadOnly(runningMean.ToArray());
        RunningVariance = Array.AsReadOnly(runningVariance.ToArray());
        Epsilon = epsilon;
    }

    /// <summary>Number of units.</summary>
    public int Size => Gamma.Count;
    /// <summary>Learned scale γ per unit.</summary>
    public IReadOnlyList<float> Gamma { get; }
    /// <summary>Learned shift β per unit.</summary>
    public IReadOnlyList<float> Beta { get; }
    /// <summary>Frozen inference-time mean per unit.</summary>
    public IReadOnlyList<float> RunningMean { get; }
    /// <summary>Frozen inference-time variance per unit (unbiased, PyTorch's convention).</summary>
    public IReadOnlyList<float> RunningVariance { get; }
    /// <summary>ε added to the variance before the square root.</summary>
    public float Epsilon { get; }
}
