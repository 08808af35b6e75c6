namespace BnMlNet;

/// <summary>
/// Which hidden layers get batch normalization when <see cref="BatchNormMlpOptionsBase.BatchNormLayers"/> is null (the
/// default). A hidden layer without it is Dense with bias → activation. The input batch norm
/// (<see cref="BatchNormMlpOptionsBase.InputBatchNorm"/>) is set apart; with <see cref="BatchNormPlacement.None"/> no
/// hidden layer gets batch normalization, whatever this says. With one hidden layer both values give the same network.
/// </summary>
public enum BatchNormHiddenLayers
{
    /// <summary>
    /// The last hidden layer only (the tabular recipe's default since round 12, docs/tabular-recipe.md): the earlier
    /// hidden layers are Dense with bias → activation.
    /// </summary>
    Last = 0,

    /// <summary>Every hidden layer: the plain batch-normalized network of the seed article (the default before round 12).</summary>
    Every = 1,
}
