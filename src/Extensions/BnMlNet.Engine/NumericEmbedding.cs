namespace BnMlNet;

/// <summary>How numeric input features are embedded before the first hidden layer.</summary>
public enum NumericEmbedding
{
    /// <summary>No embedding: every feature enters the first layer as it is.</summary>
    None,

    /// <summary>
    /// Periodic embedding (PLR, Gorishniy et al. 2022): for each embedded feature x_j,
    /// ReLU(W_jᵀ·[cos(2π c_j x_j), sin(2π c_j x_j)] + b_j) with learned frequencies c_j ∈ ℝᵏ, W_j [2k×d] and b_j ∈ ℝᵈ.
    /// </summary>
    Periodic,
}
