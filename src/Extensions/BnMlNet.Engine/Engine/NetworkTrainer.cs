using BnMlNet.Engine.Network;
using BnMlNet.Engine.Training;

namespace BnMlNet.Engine;

/// <summary>
/// Trains a batch-normalized MLP on mini-batches and returns the frozen network.
/// Same seed, data and settings give a bit-identical model, whatever <see cref="TrainingSettings.Threads"/> is.
/// </summary>
/// <remarks>
/// A last mini-batch of one row is merged into the batch before it (batch norm cannot normalize one row; PyTorch
/// raises an error there). Early stopping watches the validation loss and needs a validation set; without one it is
/// off, and so is reduce-on-plateau (<see cref="TrainingSettings.PlateauPatience"/>). With <see cref="RunningStatisticsMode.Population"/>, the running averages are used for validation during
/// training and replaced at the end by exact population statistics of the returned weights.
/// </remarks>
public sealed class NetworkTrainer
{
    private readonly NetworkSpec _spec;
    private readonly LossKind _loss;
    private readonly TrainingSettings _settings;

    /// <summary>Validates and keeps the network shape, head and (a copy of the) settings.</summary>
    public NetworkTrainer(NetworkSpec spec, LossKind loss, TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(settings);
        spec.Validate(loss);
        settings.Validate();
        _spec = spec;
        _loss = loss;
        _settings = settings.Clone();
    }

    /// <summary>
    /// The spec with its embedded slots chosen from the (preprocessed) training rows when the caller left them to the
    /// trainer (<see cref="Preprocessing.EmbeddedSlotSelector"/>, never a slot of an embedded categorical block); without
    /// any slot of more than two values the numerical embedding is dropped, without any block of enough levels the categorical one.
    /// </summary>
    private static NetworkSpec ResolveEmbedding(NetworkSpec spec, IMiniBatchSource train)
    {
        var categorical = spec.EmbeddedCategoricalBlocks;
        if (categorical.Length == 0 && spec.CategoricalEmbedding is not null) spec = spec with { CategoricalEmbedding = null };
        if (!spec.HasEmbedding) return WithoutIdleEmbeddingBatchNorm(spec.NumericEmbedding is null ? spec : spec with { NumericEmbedding = null, EmbeddedSlots = null });
        if (spec.EmbeddedSlots is not null) return spec;
        // The categorical blocks' slots are embedded by the categorical embedding alone.
        var slots = Preprocessing.EmbeddedSlotSelector.Select(train)
            .Where(j => !categorical.Any(b => j >= b.Start && j <= b.End)).ToArray();
        return slots.Length == 0 ? WithoutIdleEmbeddingBatchNorm(spec with { NumericEmbedding = null }) : spec with { EmbeddedSlots = slots };
    }

    /// <summary>The embeddings' batch norm turned off when neither embedding is left to feed it (it then has nothing to normalize).</summary>
    private static NetworkSpec WithoutIdleEmbeddingBatchNorm(NetworkSpec spec)
        => spec.EmbeddingBatchNorm && !spec.HasAnyEmbedding ? spec with { EmbeddingBatchNorm = false } : spec;

    /// <summary>A step-by-step session over <paramref name="train"/> with this trainer's shape and settings (research API).</summary>
    public TrainingSession CreateSession(IMiniBatchSource train) => new(_spec, _loss, _settings, train);

    /// <summary>
    /// Trains for <see cref="TrainingSession.PlannedEpochs"/> epochs (<see cref="TrainingSettings.Epochs"/>, capped by a
    /// <see cref="TrainingSettings.StepBudget"/>; fewer when early stopping fires), reporting each epoch
    /// to <paramref name="onEpoch"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The data's feature count differs from the network's input size, or the data is empty.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="TrainingDivergedException">The loss or a parameter became NaN or infinite.</exception>
    public TrainingResult Train(IMiniBatchSource train, IMiniBatchSource? validation = null,
        Action<EpochReport>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.RowCount < 1) throw new ArgumentException("The training data has no rows.", nameof(train));
        if (train.FeatureCount != _spec.InputSize)
            throw new ArgumentException($"The training data has {train.FeatureCount} features, the network takes {_spec.InputSize}.", nameof(train));
        if (validation is not null && validation.FeatureCount != _spec.InputSize)
            throw new ArgumentException($"The validation data has {validation.FeatureCount} features, the network takes {_spec.InputSize}.", nameof(validation));
        var plan = TrainingPlan.Prepare(train, validation, _loss, _spec.OutputSize, _settings);
        validation = plan.Validation;
        var session = new TrainingSession(ResolveEmbedding(_spec with { InputSize = plan.Train.FeatureCount }, plan.Train), _loss, _settings, plan.Train);
        var network = session.Network;
        var history = new List<EpochReport>();
        var early = _settings.EarlyStoppingPatience > 0 && validation is not null
            ? new EarlyStopping(_settings.EarlyStoppingPatience, plan.MinDelta(_settings.EarlyStoppingMinDelta),
                _settings.EarlyStoppingRelativeMinDelta, _settings.EarlyStoppingPatienceFraction,
                _settings.PlateauPatience, _settings.PlateauMaxReductions)
            : null;
        NetworkState? best = null;
        for (int e = 1; e <= session.PlannedEpochs; e++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var raw = session.RunEpoch(validation, cancellationToken);
            var report = plan.Report(raw);
            history.Add(report);
            onEpoch?.Invoke(report);
            if (early is null) continue;
            if (early.Observe(e, raw.ValidationLoss ?? double.NaN) && _settings.RestoreBestModel)
                best = network.Capture();
            if (early.ShouldStop) break;
            if (early.ReduceNow && e < session.PlannedEpochs) session.ReduceLearningRateFromNextEpoch();
        }
        int bestEpoch = history.Count;
        if (best is not null && early!.BestEpoch != history.Count)
        {
            network.Restore(best);
            bestEpoch = early.BestEpoch;
        }
        if (_settings.RunningStatistics == RunningStatisticsMode.Population)
            session.RecomputePopulationStatistics(cancellationToken);
        if (!network.IsFinite())
            throw new TrainingDivergedException(Math.Max(1, history.Count), session.StepsPerEpoch, (float)session.CurrentLearningRate);
        return new TrainingResult(plan.Finish(network.ToInferenceNetwork()), history, bestEpoch)
        {
            LabelScaling = plan.Scaling, HeldOutValidation = plan.HeldOut, Preprocessor = plan.Preprocessor,
            LearningRateReductionEpochs = session.ReductionEpochs.Where(r => r < history.Count).ToArray(),
        };
    }
}
