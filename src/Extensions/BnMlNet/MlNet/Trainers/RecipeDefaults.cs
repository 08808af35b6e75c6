namespace BnMlNet.MlNet.Trainers;

/// <summary>The tabular recipe's defaults, in one place (the evidence for each is in docs/tabular-recipe.md).</summary>
internal static class RecipeDefaults
{
    /// <summary>The validation hold-out when Fit gets no validation set.</summary>
    public const float ValidationFraction = 0.2f;
    /// <summary>Regression trains on the standardized label.</summary>
    public const bool StandardizeLabel = true;
    /// <summary>The model's numeric preprocessing.</summary>
    public const NumericScaling NumericScaling = BnMlNet.NumericScaling.Robust;
    /// <summary>NaN features are imputed with missing indicators.</summary>
    public const MissingValueHandling MissingValues = MissingValueHandling.Impute;
    /// <summary>The most epochs (early stopping usually ends sooner).</summary>
    public const int NumberOfEpochs = 100;
    /// <summary>The optimizer steps a fit plans (0: no budget, the epochs are <see cref="NumberOfEpochs"/>).</summary>
    public const int StepBudget = 0;
    /// <summary>Epochs without a validation improvement before stopping.</summary>
    public const int EarlyStoppingPatience = 12;
    /// <summary>Reduce-on-plateau's patience: 0, off (round 11).</summary>
    public const int PlateauPatience = 0;
    /// <summary>Reduce-on-plateau's factor (used only when <see cref="PlateauPatience"/> is above 0).</summary>
    public const float PlateauFactor = 0.2f;
    /// <summary>Reduce-on-plateau's most reductions: 0, no limit.</summary>
    public const int PlateauMaxReductions = 0;
    /// <summary>Early stopping's relative minimum improvement: 0, off (round 11).</summary>
    public const float EarlyStoppingRelativeMinDelta = 0f;
    /// <summary>Early stopping's patience fraction of the best epoch: 0, off (round 11).</summary>
    public const float EarlyStoppingPatienceFraction = 0f;
    /// <summary>
    /// The hidden layers with batch normalization (when BatchNormLayers is null): the last one only (round 12, over nine
    /// seeds: the same mean, fewer losses to the better tree and fewer fits below SDCA); every hidden layer before.
    /// </summary>
    public const BatchNormHiddenLayers BatchNormHiddenLayers = BnMlNet.BatchNormHiddenLayers.Last;
    /// <summary>Inverted dropout after each hidden block.</summary>
    public const float DropoutRate = 0.1f;
    /// <summary>Adam's β₂.</summary>
    public const float AdamBeta2 = 0.999f;

    /// <summary>The batch size: null chooses it from the rows trained on (<see cref="AutoBatch"/>).</summary>
    public static readonly int? BatchSize = null;
    /// <summary>How the automatic batch scales the learning rate: linearly (round 8; √ before; a batch of 128 is unscaled either way).</summary>
    public const LearningRateBatchScaling LearningRateBatchScaling = BnMlNet.LearningRateBatchScaling.Linear;

    /// <summary>
    /// Ensemble members: null, automatic (<see cref="SmallTableRule"/>: 5 on a small table, else 1), from round 9's
    /// evidence (docs/tabular-recipe.md); 1 before.
    /// </summary>
    public static readonly int? EnsembleSize = null;

    /// <summary>The refit on all rows after the hold-out chose the epochs: null, automatic (on for a small table), from round 9; off before.</summary>
    public static readonly bool? RefitOnAllRows = null;

    /// <summary>The numerical embedding: off until the bench's evidence says otherwise (docs/tabular-recipe.md).</summary>
    public const NumericEmbedding NumericEmbedding = BnMlNet.NumericEmbedding.None;
    /// <summary>Frequencies per embedded feature (the anchor recipe's 16).</summary>
    public const int EmbeddingFrequencies = 16;
    /// <summary>Dimensions per embedded feature (the anchor recipe's 8).</summary>
    public const int EmbeddingDimension = 8;
    /// <summary>σ of the initial frequencies (the anchor recipe's 0.1).</summary>
    public const float EmbeddingSigma = 0.1f;

    /// <summary>The categorical embedding: learned, for one-hot blocks of at least <see cref="CategoricalEmbeddingMinimumLevels"/> levels (docs/tabular-recipe.md, "Categorical embedding").</summary>
    public const CategoricalEmbedding CategoricalEmbedding = BnMlNet.CategoricalEmbedding.Learned;
    /// <summary>Dimensions per embedded categorical block (RealMLP's 8).</summary>
    public const int CategoricalEmbeddingDimension = 8;
    /// <summary>Levels a block needs to be embedded (RealMLP: more than 9).</summary>
    public const int CategoricalEmbeddingMinimumLevels = 10;

    /// <summary>Batch norm on the embeddings' outputs: off (docs/tabular-recipe.md, round 17).</summary>
    public const bool EmbeddingBatchNorm = false;
}
