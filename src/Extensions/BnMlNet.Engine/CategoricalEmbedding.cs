namespace BnMlNet;

/// <summary>How one-hot categorical blocks of the input are embedded before the first hidden layer.</summary>
public enum CategoricalEmbedding
{
    /// <summary>No embedding: every one-hot slot enters the first layer as it is.</summary>
    None,

    /// <summary>
    /// A learned matrix E [levels×d] per embedded block: the block's slots x_block are replaced by the d values
    /// x_block·E (exactly the embedding lookup of the hot level for a one-hot row; an all-zero row gives 0).
    /// </summary>
    Learned,
}
