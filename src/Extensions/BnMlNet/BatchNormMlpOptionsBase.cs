using BnMlNet.MlNet.Trainers;
using Microsoft.ML.Data;

namespace BnMlNet;

/// <summary>
/// The options every BatchNormMlp trainer shares: columns, the network, training, batch normalization and control.
/// Defaults follow PyTorch where a convention exists (BN momentum 0.1 with the unbiased running variance, ε = 1e-5).
/// </summary>
public abstract partial class BatchNormMlpOptionsBase
{
    // ---- Columns ----

    /// <summary>The label column. Binary: Boolean. Multiclass: a key type (use MapValueToKey). Regression: Single.</summary>
    public string LabelColumnName = DefaultColumnNames.Label;

    /// <summary>The feature column: a known-size vector of Single.</summary>
    public string FeatureColumnName = DefaultColumnNames.Features;

    /// <summary>An optional Single column of per-example weights; the loss becomes the weighted mean Σw·l / Σw.</summary>
    public string? ExampleWeightColumnName;

    // ---- Network ----

    /// <summary>The width of each hidden layer, input side first.</summary>
    public int[] HiddenLayerSizes = [128, 64];

    /// <summary>The nonlinearity of every hidden block.</summary>
    public Activation Activation = Activation.Relu;

    /// <summary>The slope for negative inputs when <see cref="Activation"/> is <see cref="BnMlNet.Activation.LeakyRelu"/>.</summary>
    public float LeakyReluSlope = 0.01f;

    /// <summary>
    /// Where batch normalization sits in each batch-normalized hidden block (<see cref="BatchNormHiddenLayers"/>,
    /// <see cref="BatchNormLayers"/>). The default puts it before the activation and drops the dense bias.
    /// </summary>
    public BatchNormPlacement BatchNormPlacement = BatchNormPlacement.BeforeActivation;

    /// <summary>
    /// Which hidden layers get batch normalization (at <see cref="BatchNormPlacement"/>) when <see cref="BatchNormLayers"/>
    /// is null: <see cref="BnMlNet.BatchNormHiddenLayers.Last"/> (the default: the last hidden layer only, whatever
    /// <see cref="HiddenLayerSizes"/> is; the earlier ones are Dense with bias → activation) or
    /// <see cref="BnMlNet.BatchNormHiddenLayers.Every"/> (every hidden layer, the plain network of the seed article and the
    /// default before round 12). With one hidden layer both give the same network. Ignored with
    /// <see cref="BatchNormPlacement"/> None; not <see cref="BnMlNet.BatchNormHiddenLayers.Every"/> together with a
    /// <see cref="BatchNormLayers"/> list. The evidence is in docs/tabular-recipe.md (round 12).
    /// </summary>
    public BatchNormHiddenLayers BatchNormHiddenLayers = RecipeDefaults.BatchNormHiddenLayers;

    /// <summary>
    /// The hidden layers that get batch normalization (at <see cref="BatchNormPlacement"/>), as 0-based indices into
    /// <see cref="HiddenLayerSizes"/> (e.g. [0]: the first hidden layer only; [] none). A layer left out is Dense with
    /// bias → activation. Null (the default): the layers <see cref="BatchNormHiddenLayers"/> names (the last hidden layer
    /// only, by default). Each index at most once; not with <see cref="BatchNormPlacement"/> None, nor with
    /// <see cref="BatchNormHiddenLayers"/> <see cref="BnMlNet.BatchNormHiddenLayers.Every"/>. <see cref="InputBatchNorm"/>
    /// is set apart.
    /// </summary>
    public int[]? BatchNormLayers;

    /// <summary>
    /// Batch-normalize the raw features too: a learned input normalization carried by the model, so no separate
    /// normalizer is needed in the pipeline.
    /// </summary>
    public bool InputBatchNorm = true;

    /// <summary>
    /// The probability of dropping a hidden unit in training (inverted dropout), in [0, 1). 0 turns dropout off.
    /// Default 0.1 (the anchors' value, and the evidence in docs/tabular-recipe.md; 0 before the tabular recipe).
    /// </summary>
    public float DropoutRate = RecipeDefaults.DropoutRate;

    // ---- Training ----

    /// <summary>
    /// Rows per mini-batch (at least 2). A last batch that would have fewer than 2 rows is merged into the one before it.
    /// Default null: chosen from N, the rows trained on (after the validation hold-out): the power of two nearest to
    /// N/64 (about 64 optimizer steps per epoch), clamped to [128, 1024], and the learning rate used is then
    /// <see cref="LearningRate"/> scaled by <see cref="LearningRateBatchScaling"/>; the training log names both. 128 for N up to about 11,600 rows; 128 for
    /// every N before this rule. The evidence is in docs/tabular-recipe.md.
    /// </summary>
    public int? BatchSize = RecipeDefaults.BatchSize;

    /// <summary>
    /// The most passes over the training data. With a validation set (given, or held out by
    /// <see cref="ValidationFraction"/>) early stopping (<see cref="EarlyStoppingPatience"/>) usually ends training
    /// sooner and the best epoch is kept. Default 100 (the anchors' budget; 20 before the tabular recipe).
    /// </summary>
    public int NumberOfEpochs = RecipeDefaults.NumberOfEpochs;

    /// <summary>The update rule.</summary>
    public OptimizerKind Optimizer = OptimizerKind.Adam;

    /// <summary>
    /// The base learning rate. 0 is allowed: nothing is learned, but batch-norm statistics are still collected. With
    /// the automatic <see cref="BatchSize"/> (null) it is scaled with the batch chosen (<see cref="LearningRateBatchScaling"/>).
    /// </summary>
    public float LearningRate = 1e-3f;

    /// <summary>
    /// With the automatic <see cref="BatchSize"/> (null): how <see cref="LearningRate"/> is scaled with the batch chosen,
    /// × √(batch/128) (<see cref="BnMlNet.LearningRateBatchScaling.SquareRoot"/>) or × batch/128
    /// (<see cref="BnMlNet.LearningRateBatchScaling.Linear"/>). A batch of 128 trains at <see cref="LearningRate"/> under
    /// either rule; a batch given explicitly is never scaled. Default <see cref="BnMlNet.LearningRateBatchScaling.Linear"/>
    /// (<see cref="BnMlNet.LearningRateBatchScaling.SquareRoot"/> before round 8); the evidence is in docs/tabular-recipe.md (round 8).
    /// </summary>
    public LearningRateBatchScaling LearningRateBatchScaling = RecipeDefaults.LearningRateBatchScaling;

    /// <summary>Momentum for <see cref="OptimizerKind.Sgd"/> (0 turns it off). In [0, 1).</summary>
    public float Momentum = 0.9f;

    /// <summary>Use Nesterov momentum with <see cref="OptimizerKind.Sgd"/>; needs <see cref="Momentum"/> &gt; 0.</summary>
    public bool Nesterov;

    /// <summary>
    /// Weight decay. It applies to the dense weights only, never to batch-norm γ and β or to biases.
    /// SGD and Adam add it to the gradient (L2); AdamW decouples it.
    /// </summary>
    public float WeightDecay;

    /// <summary>
    /// How the learning rate changes over training. The decaying schedules (Cosine, OneCycle, StableDecay) span the
    /// planned epochs: <see cref="NumberOfEpochs"/>, or fewer with a <see cref="StepBudget"/>.
    /// </summary>
    public LearningRateSchedule LearningRateSchedule = LearningRateSchedule.Constant;

    /// <summary>
    /// The optimizer steps a fit plans; 0 turns the budget off. With a budget B the fit runs at most
    /// min(<see cref="NumberOfEpochs"/>, max(1, ⌈B / steps per epoch⌉)) epochs, and <see cref="LearningRateSchedule"/>
    /// spans exactly those epochs: a large table (many steps per epoch) gets fewer epochs, and a decaying schedule
    /// reaches its end within them. Steps per epoch are ⌈rows trained on / batch⌉ (≈ 64 with the automatic
    /// <see cref="BatchSize"/>). At least 0. The evidence for the default is in docs/tabular-recipe.md (round 7).
    /// </summary>
    public int StepBudget = RecipeDefaults.StepBudget;

    /// <summary>For <see cref="BnMlNet.LearningRateSchedule.Step"/>: epochs between two decays.</summary>
    public int LearningRateStepEpochs = 10;

    /// <summary>For <see cref="BnMlNet.LearningRateSchedule.Step"/>: the factor applied at each decay, in (0, 1].</summary>
    public float LearningRateStepFactor = 0.1f;

    /// <summary>Clip the gradient to this global L2 norm. 0 turns clipping off.</summary>
    public float GradientClipNorm;

    // ---- Batch normalization ----

    /// <summary>PyTorch's momentum m in (0, 1]: running = (1 − m)·running + m·batch. Keras' and ONNX's momentum is 1 − m (0.9 here).</summary>
    public float BatchNormMomentum = 0.1f;

    /// <summary>
    /// Weight decay on every batch norm's γ (input and hidden; never β), pulling γ toward 0, in the convention of
    /// <see cref="WeightDecay"/>: SGD and Adam add it to γ's gradient (L2); AdamW decouples it (γ ← γ·(1 − lr·λ_γ)).
    /// A finite number ≥ 0; default 0 (γ is not decayed; <see cref="WeightDecay"/> never touches it).
    /// </summary>
    public float BatchNormGammaWeightDecay;

    /// <summary>ε in x̂ = (x − μ)/√(σ² + ε).</summary>
    public float BatchNormEpsilon = 1e-5f;

    /// <summary>How the inference-time statistics are obtained: moving averages, or exact population statistics after training.</summary>
    public RunningStatisticsMode RunningStatistics = RunningStatisticsMode.ExponentialMovingAverage;

    // ---- Control ----

    /// <summary>Shuffle the rows each epoch (from <see cref="Seed"/>).</summary>
    public bool Shuffle = true;

    /// <summary>The seed for initialization, shuffling and dropout. Null takes one from the MLContext's seed.</summary>
    public int? Seed;

    /// <summary>
    /// Threads for training. Null (the default) picks one per core when a training step is large enough to gain from
    /// threads (batch × dense weights ≥ 16 Mi multiply-adds, e.g. 784-256-256-10 at batch 128), else 1, as measured by
    /// <c>bench threads</c>: the recipe's tabular networks train faster on one thread. The same seed gives the same
    /// model, bit for bit, whatever the thread count.
    /// </summary>
    public int? NumberOfThreads;

    /// <summary>
    /// Early stopping: stop when the validation loss has not improved by <see cref="EarlyStoppingMinDelta"/> for this
    /// many epochs. 0 turns it off. Needs a validation set: <c>Fit(train, validation)</c>, or the hold-out of
    /// <see cref="ValidationFraction"/>. Default 12 (the anchors' 16 until issue 13: 12 gave the same test metrics in
    /// fewer epochs, docs/tabular-recipe.md; 0 before the tabular recipe).
    /// </summary>
    public int EarlyStoppingPatience = RecipeDefaults.EarlyStoppingPatience;

    /// <summary>The smallest decrease of the validation loss that counts as an improvement.</summary>
    public float EarlyStoppingMinDelta;

    /// <summary>With early stopping, return the model of the best validation epoch rather than the last one.</summary>
    public bool RestoreBestModel = true;

    /// <summary>
    /// Cancels training: <c>Fit</c> then throws <see cref="OperationCanceledException"/>. (ML.NET's own
    /// <c>MLContext</c> cancellation is honoured too, where the host exposes it.)
    /// </summary>
    public CancellationToken CancellationToken;

    /// <summary>
    /// Rows whose features hold NaN or ±infinity are skipped and counted in the log (as ML.NET's trainers do).
    /// Set this to throw instead.
    /// </summary>
    public bool ThrowOnNonFiniteFeatures;

    /// <summary>
    /// The most memory, in MiB, the training data may take when cached (rows × (features + label + weight) × 4 bytes).
    /// Data within it is read once into contiguous arrays; larger data is streamed from the <c>IDataView</c> on every
    /// epoch instead, shuffled through a seeded buffer of at most this many MiB (a local shuffle, so the model differs
    /// from the cached one, deterministically). The validation set follows the same rule. 0 always streams.
    /// </summary>
    public int MaximumCacheMegabytes = 2048;
}
