namespace BnMlNet.Engine;

/// <summary>
/// The shape of the categorical embedding (see <see cref="CategoricalEmbedding.Learned"/>): which of the
/// <see cref="NetworkSpec.CategoricalBlocks"/> are embedded and into how many dimensions. Initialization:
/// E ~ U(±1/√levels), PyTorch's <c>nn.Linear(levels, d, bias: false)</c> default: the block's slots reach the
/// embedding standardized (robust scaling, input batch norm), so x_block·E sums up to <c>levels</c> terms, and this
/// bound keeps each output's variance near 1/3 whatever the level count.
/// </summary>
/// <param name="Kind">The embedding; <see cref="CategoricalEmbedding.None"/> turns it off.</param>
/// <param name="Dimension">d, output dimensions per embedded block, in <see cref="SettingRules.CategoricalEmbeddingDimension"/> (default 8, RealMLP's).</param>
/// <param name="MinimumLevels">
/// A block is embedded when it has at least this many levels (slots), in <see cref="SettingRules.CategoricalEmbeddingMinimumLevels"/>;
/// smaller blocks pass through one-hot. Default 10: RealMLP embeds categoricals above 9 levels and keeps the others one-hot.
/// </param>
public sealed record CategoricalEmbeddingSettings(CategoricalEmbedding Kind = CategoricalEmbedding.Learned, int Dimension = 8, int MinimumLevels = 10)
{
    /// <summary>Whether an embedding is asked for (<see cref="Kind"/> is not <see cref="CategoricalEmbedding.None"/>).</summary>
    public bool IsOn => Kind != CategoricalEmbedding.None;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the field and its range.</summary>
    public void Validate()
    {
        SettingRules.CheckDefined(Kind, nameof(Kind));
        SettingRules.CategoricalEmbeddingDimension.Check(Dimension, nameof(Dimension));
        SettingRules.CategoricalEmbeddingMinimumLevels.Check(MinimumLevels, nameof(MinimumLevels));
    }
}
