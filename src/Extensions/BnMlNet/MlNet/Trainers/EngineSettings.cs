using BnMlNet.Engine;

namespace BnMlNet.MlNet.Trainers;

/// <summary>Translates the ML.NET-facing options into the engine's network description and training settings.</summary>
internal static class EngineSettings
{
    /// <summary>
    /// The network; <paramref name="categoricalBlocks"/> are the feature column's one-hot blocks (read only when the
    /// categorical embedding is on); <paramref name="rowsTrainedOn"/> decides the automatic ensemble size
    /// (<see cref="BatchNormMlpOptionsBase.EnsembleSize"/> = null, <see cref="SmallTableRule"/>; 0 rows: 1 member).
    /// </summary>
    public static NetworkSpec Network(BatchNormMlpOptionsBase o, int inputSize, int outputSize, IReadOnlyList<CategoricalBlock>? categoricalBlocks = null,
        long rowsTrainedOn = 0)
    {
        var spec = Member(o, inputSize, outputSize, categoricalBlocks);
        return spec with { EnsembleSize = o.EnsembleSize ?? SmallTableRule.EnsembleSize(spec, rowsTrainedOn) };
    }

    private static NetworkSpec Member(BatchNormMlpOptionsBase o, int inputSize, int outputSize, IReadOnlyList<CategoricalBlock>? categoricalBlocks) => new(
        inputSize, o.HiddenLayerSizes.ToArray(), outputSize, o.Activation, o.BatchNormPlacement, o.InputBatchNorm,
        o.LeakyReluSlope, o.DropoutRate)
    {
        BatchNormLayers = BatchNormLayers(o),
        NumericEmbedding = new NumericEmbeddingSettings(o.NumericEmbedding, o.EmbeddingFrequencies, o.EmbeddingDimension, o.EmbeddingSigma),
        // Always given (as the numerical embedding's), so the engine checks every value; with Kind None it embeds nothing.
        CategoricalEmbedding = new CategoricalEmbeddingSettings(o.CategoricalEmbedding, o.CategoricalEmbeddingDimension, o.CategoricalEmbeddingMinimumLevels),
        CategoricalBlocks = o.CategoricalEmbedding == CategoricalEmbedding.None || categoricalBlocks is not { Count: > 0 } ? null : categoricalBlocks,
        EmbeddingBatchNorm = o.EmbeddingBatchNorm,
    };

    /// <summary>
    /// The engine's hidden batch-norm layers: the <see cref="BatchNormMlpOptionsBase.BatchNormLayers"/> list when given;
    /// else null (the engine's every hidden layer) for <see cref="BatchNormHiddenLayers.Every"/>, for a placement of None
    /// (no hidden batch norm either way) and for at most one hidden layer (last = every); else the last hidden layer.
    /// </summary>
    internal static int[]? BatchNormLayers(BatchNormMlpOptionsBase o)
    {
        if (o.BatchNormLayers is { } listed) return listed.ToArray();
        int hidden = o.HiddenLayerSizes.Length;
        return o.BatchNormHiddenLayers == BatchNormHiddenLayers.Every || o.BatchNormPlacement == BatchNormPlacement.None || hidden <= 1
            ? null : [hidden - 1];
    }

    /// <summary>
    /// The engine's settings; <paramref name="rowsTrainedOn"/> decides the automatic batch size (and its learning
    /// rate) when <see cref="BatchNormMlpOptionsBase.BatchSize"/> is null, and <paramref name="network"/> with that
    /// batch the automatic thread count when <see cref="BatchNormMlpOptionsBase.NumberOfThreads"/> is null (without a
    /// network: one per core).
    /// </summary>
    public static TrainingSettings Training(BatchNormMlpOptionsBase o, int seed, long rowsTrainedOn = 0, NetworkSpec? network = null)
    {
        var settings = LegacyTraining(o, seed);
        if (o.BatchSize is null)
        {
            settings.BatchSize = AutoBatch.For(rowsTrainedOn);
            settings.LearningRate = AutoBatch.LearningRate(o.LearningRate, settings.BatchSize, o.LearningRateBatchScaling);
        }
        if (o.NumberOfThreads is null && network is not null)
            settings.Threads = AutoThreads.For(network, settings.BatchSize, Environment.ProcessorCount);
        RecipeSettings.Apply(o, settings);
        return settings;
    }

    private static TrainingSettings LegacyTraining(BatchNormMlpOptionsBase o, int seed) => new()
    {
        BatchSize = o.BatchSize ?? AutoBatch.Smallest,
        Epochs = o.NumberOfEpochs,
        Optimizer = o.Optimizer,
        LearningRate = o.LearningRate,
        Momentum = o.Momentum,
        Nesterov = o.Nesterov,
        WeightDecay = o.WeightDecay,
        Schedule = o.LearningRateSchedule,
        StepBudget = o.StepBudget,
        StepSizeEpochs = o.LearningRateStepEpochs,
        StepGamma = o.LearningRateStepFactor,
        GradientClipNorm = o.GradientClipNorm,
        BatchNormMomentum = o.BatchNormMomentum,
        BatchNormGammaWeightDecay = o.BatchNormGammaWeightDecay,
        BatchNormEpsilon = o.BatchNormEpsilon,
        RunningStatistics = o.RunningStatistics,
        Shuffle = o.Shuffle,
        Seed = seed,
        Threads = o.NumberOfThreads ?? Environment.ProcessorCount,
        EarlyStoppingPatience = o.EarlyStoppingPatience,
        EarlyStoppingMinDelta = o.EarlyStoppingMinDelta,
        RestoreBestModel = o.RestoreBestModel,
        PlateauPatience = o.PlateauPatience,
        PlateauFactor = o.PlateauFactor,
        PlateauMaxReductions = o.PlateauMaxReductions,
        EarlyStoppingRelativeMinDelta = o.EarlyStoppingRelativeMinDelta,
        EarlyStoppingPatienceFraction = o.EarlyStoppingPatienceFraction,
    };

    public static LossKind Loss(ModelTask task) => task switch
    {
        ModelTask.Binary => LossKind.BinaryLogLoss,
        ModelTask.Multiclass => LossKind.SoftmaxCrossEntropy,
        _ => LossKind.SquaredError,
    };
}
