using BnMlNet.Engine;
using BnMlNet.MlNet.Data;
using BnMlNet.MlNet;
using BnMlNet.MlNet.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;

namespace BnMlNet;

/// <summary>
/// The shared part of the three BatchNormMlp trainers: it reads the data into contiguous float arrays (or streams it
/// when it exceeds <see cref="BatchNormMlpOptionsBase.MaximumCacheMegabytes"/>), trains the engine's network and wraps the frozen result in <see cref="BatchNormMlpModelParameters"/>.
/// </summary>
/// <typeparam name="TOptions">The trainer's options type.</typeparam>
/// <typeparam name="TTransformer">The prediction transformer <c>Fit</c> returns.</typeparam>
public abstract class BatchNormMlpTrainerBase<TOptions, TTransformer>
    : TrainerEstimatorBase<TTransformer, BatchNormMlpModelParameters>
    where TOptions : BatchNormMlpOptionsBase
    where TTransformer : ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters>
{
    private static readonly TrainerInfo TrainerInfo = new(normalization: false, caching: false, supportValid: true);

    private protected BatchNormMlpTrainerBase(IHostEnvironment env, TOptions options, SchemaShape.Column label, string name)
        : base(Contracts.CheckRef(env, nameof(env)).Register(name),
            TrainerUtils.MakeR4VecFeature(Validated(options).FeatureColumnName),
            label,
            TrainerUtils.MakeR4ScalarWeightColumn(options.ExampleWeightColumnName))
    {
        TrainerOptions = options;
    }

    /// <summary>The options this trainer was created with.</summary>
    private protected TOptions TrainerOptions { get; }

    /// <summary>What the trainer needs: no normalization or caching beforehand (input BN normalizes), and it accepts a validation set.</summary>
    public override TrainerInfo Info => TrainerInfo;

    internal abstract ModelTask Task { get; }

    /// <summary>
    /// Trains on <paramref name="trainData"/>, reporting the validation loss and metric each epoch; with
    /// <see cref="BatchNormMlpOptionsBase.EarlyStoppingPatience"/> set, the validation set drives early stopping.
    /// </summary>
    public TTransformer Fit(IDataView trainData, IDataView? validationData) => TrainTransformer(trainData, validationData);

    /// <summary>The number of network outputs the label column calls for.</summary>
    private protected virtual int OutputCount(DataViewSchema trainSchema) => 1;

    /// <inheritdoc/>
    protected override BatchNormMlpModelParameters TrainModelCore(TrainContext context)
    {
        OptionsValidator.Validate(TrainerOptions);   // again: the options object may have changed since creation
        using var ch = Host.Start("Training BatchNormMlp");
        int outputs = OutputCount(context.TrainingSet.Data.Schema);
        RecipeSettings.CheckClassCount(TrainerOptions, outputs, LabelColumn.Name);
        var train = Read(context.TrainingSet.Data, ch, "training");
        if (train.Dataset.RowCount < 2)
            throw new InvalidOperationException(
                $"BatchNormMlp needs at least 2 usable training rows, found {train.Dataset.RowCount} of {train.RowsSeen} " +
                $"({train.SkippedNonFiniteFeatures} skipped for NaN/infinite features, {train.SkippedBadLabels} for a missing label, " +
                $"{train.SkippedBadWeights} for a negative or non-finite weight).");
        if (context.ValidationSet is { } vs && OutputCount(vs.Data.Schema) is var validOutputs && validOutputs != outputs)
            throw new ArgumentOutOfRangeException("validationData",
                $"The validation set's label column '{LabelColumn.Name}' calls for {validOutputs} outputs, the training set's for {outputs}. " +
                "Fit the label transform (e.g. MapValueToKey) on the training data and apply the same fitted transformer to both sets.");
        ReadResult? valid = context.ValidationSet is { } v ? Read(v.Data, ch, "validation") : null;
        if (valid is not null && valid.Dataset.RowCount == 0) valid = null;

        var blocks = TrainerOptions.CategoricalEmbedding == CategoricalEmbedding.None ? null
            : MlNet.Data.CategoricalSlotRanges.Read(context.TrainingSet.Data.Schema[FeatureColumn.Name], train.Dataset.FeatureCount);
        long rowsTrainedOn = AutoBatch.RowsTrainedOn(train.Dataset.RowCount, valid is not null, TrainerOptions.ValidationFraction);
        var spec = EngineSettings.Network(TrainerOptions, train.Dataset.FeatureCount, outputs, blocks, rowsTrainedOn);
        if (blocks is not null) RecipeLog.DescribeCategorical(ch, blocks, TrainerOptions.CategoricalEmbeddingMinimumLevels, TrainerOptions.CategoricalEmbeddingDimension, FeatureColumn.Name);
        var settings = EngineSettings.Training(TrainerOptions, TrainerOptions.Seed ?? Host.Rand.Next(), rowsTrainedOn, spec);
        var loss = RecipeSettings.Loss(TrainerOptions, Task);
        var trainer = new NetworkTrainer(spec, loss, settings);

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TrainerOptions.CancellationToken);
        using var poll = new Timer(_ => { if (IsCanceled()) cancellation.Cancel(); }, null, 50, 50);
        ch.Info(MessageSensitivity.None,
            $"BatchNormMlp: {train.Dataset.RowCount} rows × {train.Dataset.FeatureCount} features, layers " +
            $"{string.Join("-", spec.HiddenSizes)}{(spec.EnsembleSize > 1 ? $" × {spec.EnsembleSize} members{(TrainerOptions.EnsembleSize is null ? " (automatic)" : "")}" : "")}, {settings.Epochs} epochs{(settings.StepBudget > 0 ? $" at most (step budget {settings.StepBudget})" : "")}, {settings.Schedule} lr, batch {settings.BatchSize}{(TrainerOptions.BatchSize is null ? $" (automatic: ≈ 64 steps per epoch, lr scaled by {(TrainerOptions.LearningRateBatchScaling == LearningRateBatchScaling.Linear ? "batch/128" : "√(batch/128)")})" : "")}, {settings.Optimizer} lr {settings.LearningRate}, " +
            $"{settings.Threads} thread(s){(TrainerOptions.NumberOfThreads is null ? " (automatic)" : "")}, seed {settings.Seed}.");
        int planned = settings.PlannedEpochs(AutoBatch.RowsTrainedOn(train.Dataset.RowCount, valid is not null, TrainerOptions.ValidationFraction));
        var result = RecipeErrors.Named(LabelColumn.Name, () => trainer.Train(train.Dataset, valid?.Dataset,
            report => ch.Info(MessageSensitivity.None, EpochLine(report, planned)), cancellation.Token));
        RecipeLog.Describe(ch, result, settings);
        if (RefitOnAllRows.Applies(TrainerOptions, SmallTableRule.IsSmall(spec, rowsTrainedOn), valid is not null, result))
        {
            int epochs = result.BestEpoch;
            var refitSettings = RefitOnAllRows.Settings(settings, TrainerOptions, epochs, rowsTrainedOn, spec, result.LearningRateReductionEpochs);
            var refit = new NetworkTrainer(spec, loss, refitSettings);
            // The first fit rearranged (and may have preprocessed) the rows it owned in place: read them again.
            train = null!;
            var all = Read(context.TrainingSet.Data, ch, "training", warn: false).Dataset;
            ch.Info(MessageSensitivity.None,
                $"BatchNormMlp: the hold-out chose {epochs} epoch(s); refitting on all {all.RowCount} training rows for {epochs} epoch(s) " +
                $"({nameof(BatchNormMlpOptionsBase.RefitOnAllRows)}{(TrainerOptions.RefitOnAllRows is null ? ", automatic: a small table" : "")}).");
            result = RecipeErrors.Named(LabelColumn.Name, () => refit.Train(all, null,
                report => ch.Info(MessageSensitivity.None, "Refit " + EpochLine(report, epochs)), cancellation.Token));
        }
        ch.Info(MessageSensitivity.None, $"BatchNormMlp: training done; the model of epoch {result.BestEpoch} is kept.");
        return new BatchNormMlpModelParameters(Host, Task, result.Network, result.History, result.Preprocessor, loss == LossKind.Poisson,
            featureColumn: FeatureColumn.Name, nonFiniteScoring: TrainerOptions.NonFiniteScoring);
    }

    private ReadResult Read(IDataView data, IChannel ch, string which, bool warn = true)
    {
        var spec = new RowSpec(data, FeatureColumn.Name, LabelColumn.Name, WeightColumn.IsValid ? WeightColumn.Name : null, Task,
            RecipeSettings.ThrowsOnNonFinite(TrainerOptions), () => IsCanceled() || TrainerOptions.CancellationToken.IsCancellationRequested,
            RecipeSettings.KeepsNonFinite(TrainerOptions), CheckMagnitude: TrainerOptions.NumericScaling == NumericScaling.None);
        var result = TrainingDataReader.Read(spec, TrainerOptions.MaximumCacheMegabytes * (1L << 20));
        if (!warn) return result;
        if (result.Dataset is StreamingBatchSource s)
            ch.Info(MessageSensitivity.None,
                $"BatchNormMlp: the {which} data ({s.RowCount} rows × {s.FeatureCount} features) exceeds {nameof(BatchNormMlpOptionsBase.MaximumCacheMegabytes)} = " +
                $"{TrainerOptions.MaximumCacheMegabytes}; it is streamed each epoch with a shuffle buffer of {Math.Min(s.ShuffleBufferRows, s.RowCount)} rows.");
        long skipped = result.SkippedNonFiniteFeatures + result.SkippedBadLabels + result.SkippedBadWeights;
        if (skipped > 0)
            ch.Warning(MessageSensitivity.None,
                $"BatchNormMlp skipped {skipped} of {result.RowsSeen} {which} rows: {result.SkippedNonFiniteFeatures} with NaN or infinite " +
                $"features, {result.SkippedBadLabels} with a missing label, {result.SkippedBadWeights} with a negative or non-finite weight.");
        return result;
    }

    private static string EpochLine(EpochReport r, int epochs)
    {
        string valid = r.ValidationLoss is { } vl
            ? $", validation loss {vl:F5}, validation {r.MetricName} {r.ValidationMetric:F4}"
            : "";
        return $"Epoch {r.Epoch}/{epochs}: train loss {r.TrainLoss:F5}{valid}, {r.Seconds:F2} s, lr {r.LearningRate:G4}";
    }

    /// <summary>ML.NET's own cancellation (MLContext's CancelExecution, internal in ML.NET 5) where the host exposes it.</summary>
    private bool IsCanceled() => Host is ICancelable { IsCanceled: true };

    private static TOptions Validated(TOptions options)
    {
        OptionsValidator.Validate(options);
        return options;
    }
}
