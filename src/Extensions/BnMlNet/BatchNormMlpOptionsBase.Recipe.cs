using BnMlNet.MlNet.Trainers;

namespace BnMlNet;

public abstract partial class BatchNormMlpOptionsBase
{
    // ---- Tabular recipe ----

    /// <summary>
    /// When <c>Fit</c> gets no validation set, hold out this fraction of the usable training rows as one, drawn from
    /// <see cref="Seed"/>: cached data gets exactly round(N·f) rows; streamed data sends each row by a seeded hash of
    /// its values. The held-out rows are not trained on; they drive <see cref="EarlyStoppingPatience"/> and the best
    /// epoch kept. An explicit validation set always wins. In [0, 1); 0 turns the hold-out off. Fewer than 2 rows on
    /// either side is an error.
    /// </summary>
    public float ValidationFraction = RecipeDefaults.ValidationFraction;

    /// <summary>
    /// How the model scales each numeric feature before its network, with statistics from a seeded sample of at most
    /// 100,000 training rows taking at most half of <see cref="MaximumCacheMegabytes"/> (so streamed data stays in budget): <see cref="BnMlNet.NumericScaling.Robust"/> centres on the median,
    /// divides by the IQR and clips smoothly to about ±3; <see cref="BnMlNet.NumericScaling.None"/> leaves them as they
    /// are. Carried in the model and applied by Transform, PredictionEngine and the ONNX export alike.
    /// </summary>
    public NumericScaling NumericScaling = RecipeDefaults.NumericScaling;

    /// <summary>
    /// What a NaN feature means. <see cref="MissingValueHandling.Impute"/>: missing; the model fills it with the
    /// training median and adds a 0/1 "was missing" input for each feature that had NaN in training, at training and
    /// scoring alike (±∞ is clipped to the feature's training range). <see cref="MissingValueHandling.Skip"/>: the
    /// row is skipped in training (the earlier behaviour). <see cref="MissingValueHandling.Throw"/>: an error naming
    /// the row and slot. <see cref="ThrowOnNonFiniteFeatures"/> = true still means Throw.
    /// </summary>
    public MissingValueHandling MissingValues = RecipeDefaults.MissingValues;

    /// <summary>
    /// Adam's and AdamW's β₂ (the decay of the squared-gradient average), in [0, 1). Default 0.999 (PyTorch's);
    /// RealMLP uses 0.95.
    /// </summary>
    public float AdamBeta2 = RecipeDefaults.AdamBeta2;

    /// <summary>
    /// The number k of independent members trained in one pass (1 = off, the default). Each member has
    /// <see cref="HiddenLayerSizes"/>, its own weights, batch-norm parameters and running statistics and its own
    /// initialization from <see cref="Seed"/>, and its own loss (the members' losses are summed). The prediction is the
    /// members' mean: mean probability for classification, mean score in label units for regression; the validation
    /// loss, early stopping and the best epoch use that mean. The members are computed side by side in one wide network
    /// (the first layer one GEMM over the shared input), saved as one model and exported as one ONNX graph. In [1, 32],
    /// or null for the automatic size: 5 members on a small table, i.e. when one member's training work (rows trained on
    /// × the dense multiply-adds of one member's forward pass per row) is at most 20 million, so that five members still
    /// train in a fraction of a second; else 1. With <see cref="NumericEmbedding"/> the members share one embedding; the small-table
    /// count then still sizes the first layer from the raw features, so it undercounts the embedded network's work. Default null (automatic; 1 before round 9); the evidence for
    /// the automatic size (with <see cref="RefitOnAllRows"/> null) is in docs/tabular-recipe.md ("Evidence for the defaults", round 9).
    /// </summary>
    public int? EnsembleSize = RecipeDefaults.EnsembleSize;

    /// <summary>
    /// Refit on all training rows after early stopping. When <c>Fit</c> gets no validation set and
    /// <see cref="ValidationFraction"/> holds rows out, the held-out rows only choose the number of epochs E (the
    /// epoch of the model early stopping keeps, or the last epoch run); the model is then trained again from the same
    /// <see cref="Seed"/> on every training row, hold-out included, for exactly E epochs (the same epoch count, so
    /// about 1/(1 − <see cref="ValidationFraction"/>) times the optimizer steps), with the first fit's batch size,
    /// learning rate and schedule kind (a decaying schedule spans the E epochs; <see cref="StepBudget"/> does not cut
    /// the refit), and that model is returned. The preprocessing, label standardization and batch-norm statistics are
    /// learned from all rows. The kept model's <c>TrainingHistory</c> is the refit's (E epochs, no validation figures).
    /// An explicit validation set (<c>Fit(train, validation)</c>) turns it off, and so does
    /// <see cref="ValidationFraction"/> = 0. It adds the refit's E epochs to training. Null is automatic: on for a small
    /// table, by the rule of the automatic <see cref="EnsembleSize"/> (at most 20 million rows trained on ×
    /// multiply-adds per row), off otherwise; true or false force it. Default null (automatic; false before round 9; evidence:
    /// docs/tabular-recipe.md, round 9).
    /// </summary>
    public bool? RefitOnAllRows = RecipeDefaults.RefitOnAllRows;

    /// <summary>
    /// A learned per-feature embedding of the numeric inputs before the first hidden layer.
    /// <see cref="BnMlNet.NumericEmbedding.Periodic"/> (PLR, Gorishniy et al. 2022): each embedded feature x becomes
    /// ReLU(W·[cos(2π·c·x), sin(2π·c·x)] + b) ∈ ℝ^<see cref="EmbeddingDimension"/>, with
    /// <see cref="EmbeddingFrequencies"/> learned frequencies c (initialized from N(0, <see cref="EmbeddingSigma"/>²)),
    /// applied after <see cref="NumericScaling"/> and the input batch norm. Only slots with more than two distinct
    /// values in the training rows are embedded: one-hot slots, missing indicators and other 0/1 flags pass through.
    /// Carried in the model and applied by Transform, PredictionEngine and the ONNX export alike.
    /// <see cref="BnMlNet.NumericEmbedding.None"/> (the default) turns it off. With <see cref="EnsembleSize"/> &gt; 1 (or the
    /// automatic size on a small table) one embedding is shared by all members, TabM-style: it feeds every member's first
    /// dense layer and learns from the sum of their losses.
    /// </summary>
    public NumericEmbedding NumericEmbedding = RecipeDefaults.NumericEmbedding;

    /// <summary>Frequencies k per embedded feature (each adds a cosine and a sine), an integer in [1, 64]. Default 16.</summary>
    public int EmbeddingFrequencies = RecipeDefaults.EmbeddingFrequencies;

    /// <summary>Output dimensions d per embedded feature (the first layer's input grows by d per feature), an integer in [1, 64]. Default 8.</summary>
    public int EmbeddingDimension = RecipeDefaults.EmbeddingDimension;

    /// <summary>
    /// Standard deviation σ of the initial frequencies c ~ N(0, σ²), in (0, 100]. Default 0.1 (for robust-scaled
    /// inputs; larger σ starts from higher frequencies, i.e. a more wiggly function of each feature).
    /// </summary>
    public float EmbeddingSigma = RecipeDefaults.EmbeddingSigma;

    /// <summary>
    /// A learned embedding of the categorical features, read from the feature column's <c>CategoricalSlotRanges</c>
    /// annotation (which ML.NET's <c>OneHotEncoding</c> writes and <c>Concatenate</c> keeps; the pipeline does not change).
    /// <see cref="BnMlNet.CategoricalEmbedding.Learned"/>: each one-hot block of at least
    /// <see cref="CategoricalEmbeddingMinimumLevels"/> slots is replaced by its <see cref="CategoricalEmbeddingDimension"/>
    /// values x_block·E, with E [levels×d] learned (a lookup of the hot level's row; an unseen level, an all-zero block,
    /// gives 0), after <see cref="NumericScaling"/> and the input batch norm; smaller blocks pass through one-hot.
    /// The frozen model folds it into the first layer, so Transform, PredictionEngine and ONNX need nothing extra.
    /// Combines with <see cref="NumericEmbedding"/> and <see cref="EnsembleSize"/>. A feature column without the
    /// annotation trains as with <see cref="BnMlNet.CategoricalEmbedding.None"/>. The default is
    /// <see cref="BnMlNet.CategoricalEmbedding.Learned"/> (evidence: docs/tabular-recipe.md, "Categorical embedding").
    /// </summary>
    public CategoricalEmbedding CategoricalEmbedding = RecipeDefaults.CategoricalEmbedding;

    /// <summary>Output dimensions d per embedded categorical block, an integer in [1, 64]. Default 8 (RealMLP's).</summary>
    public int CategoricalEmbeddingDimension = RecipeDefaults.CategoricalEmbeddingDimension;

    /// <summary>
    /// The fewest levels (one-hot slots) a categorical block needs to be embedded, an integer in [2, 1,000,000]; smaller
    /// blocks pass through one-hot. Default 10 (RealMLP embeds categoricals above 9 levels and keeps the others one-hot).
    /// </summary>
    public int CategoricalEmbeddingMinimumLevels = RecipeDefaults.CategoricalEmbeddingMinimumLevels;

    /// <summary>
    /// Batch normalization of the embeddings' outputs: each of the <see cref="CategoricalEmbeddingDimension"/> values of an
    /// embedded categorical block and each of the <see cref="EmbeddingDimension"/> values of a numerically embedded feature
    /// is batch-normalized (learned γ and β; batch statistics in training, the running statistics at scoring), as every
    /// other batch norm of the network; the slots the embeddings pass through are not. The frozen model folds it into the
    /// first layer, so Transform, PredictionEngine and ONNX need nothing extra and the model format does not change.
    /// Needs <see cref="CategoricalEmbedding"/> or <see cref="NumericEmbedding"/> on (an error otherwise); when the data
    /// gives them nothing to embed (no annotated block of enough levels, no slot of more than two values) it does nothing.
    /// Default false (evidence: docs/tabular-recipe.md, round 17).
    /// </summary>
    public bool EmbeddingBatchNorm = RecipeDefaults.EmbeddingBatchNorm;
}
