using BnMlNet.Engine.Preprocessing;
namespace BnMlNet.Engine;

/// <summary>What one epoch did.</summary>
/// <param name="Epoch">The epoch number, from 1.</param>
/// <param name="TrainLoss">Mean (weighted) training loss over the epoch's batches, in train mode as they were seen.</param>
/// <param name="ValidationLoss">Mean (weighted) validation loss in inference mode after the epoch, or null without a validation set.</param>
/// <param name="ValidationMetric">Validation accuracy (classification) or RMSE (regression), or null.</param>
/// <param name="MetricName">"accuracy" or "rmse".</param>
/// <param name="Seconds">Wall-clock seconds of the epoch, validation included.</param>
/// <param name="LearningRate">Learning rate of the epoch's last step.</param>
public sealed record EpochReport(int Epoch, double TrainLoss, double? ValidationLoss, double? ValidationMetric,
    string MetricName, double Seconds, double LearningRate);

/// <summary>The outcome of <see cref="NetworkTrainer.Train"/>.</summary>
/// <param name="Network">The trained, frozen network (the best epoch's when early stopping restored it).</param>
/// <param name="History">One report per epoch run.</param>
/// <param name="BestEpoch">The epoch whose model was returned (the last epoch unless early stopping restored an earlier one; 0 when no epoch ran).</param>
public sealed record TrainingResult(InferenceNetwork Network, IReadOnlyList<EpochReport> History, int BestEpoch)
{
    /// <summary>The label map folded into <see cref="Network"/>'s output layer, or null when the label was not standardized.</summary>
    public LabelScaling? LabelScaling { get; init; }
    /// <summary>Whether the validation set was held out of the training data (<see cref="TrainingSettings.ValidationFraction"/>).</summary>
    public bool HeldOutValidation { get; init; }
    /// <summary>The preprocessing stage to apply before <see cref="Network"/> (its input is the raw features), or null.</summary>
    public FeaturePreprocessor? Preprocessor { get; init; }
    /// <summary>
    /// The epochs (1-based, increasing) after which the learning rate was multiplied by
    /// <see cref="TrainingSettings.PlateauFactor"/>: those reduce-on-plateau chose and the fixed
    /// <see cref="TrainingSettings.LearningRateReductionEpochs"/> the run reached; empty without any.
    /// </summary>
    public IReadOnlyList<int> LearningRateReductionEpochs { get; init; } = [];
}

/// <summary>Training produced a NaN or infinite loss or parameter. No model is returned.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the given epoch and batch (both from 1).</summary>
    public TrainingDivergedException(int epoch, int batch, float learningRate)
        : base($"Training diverged at epoch {epoch}, batch {batch}: the loss or a parameter became NaN or infinite. " +
               $"Try a lower learning rate (it was {learningRate}), gradient clipping, or standardized features.")
    {
        Epoch = epoch;
        Batch = batch;
    }

    /// <summary>The epoch (from 1) in which training diverged.</summary>
    public int Epoch { get; }
    /// <summary>The batch within that epoch (from 1).</summary>
    public int Batch { get; }
}
