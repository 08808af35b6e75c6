using BnMlNet.Engine.Preprocessing;
using BnMlNet.Engine.Losses;
using BnMlNet.Engine.Training;

namespace BnMlNet.Engine;

/// <summary>
/// What a training run works on after the recipe's data steps: the validation hold-out
/// (<see cref="TrainingSettings.ValidationFraction"/>) and the label standardization
/// (<see cref="TrainingSettings.StandardizeLabel"/>) and the preprocessing stage (<see cref="TrainingSettings.Preprocessing"/>). With all off it is the caller's data, untouched.
/// </summary>
internal sealed class TrainingPlan
{
    private TrainingPlan(IMiniBatchSource train, IMiniBatchSource? validation, LabelScaling? scaling, FeaturePreprocessor? preprocessor)
    {
        Preprocessor = preprocessor;
        Train = train;
        Validation = validation;
        Scaling = scaling;
    }

    /// <summary>The rows trained on (labels standardized when asked).</summary>
    public IMiniBatchSource Train { get; }
    /// <summary>The validation rows (explicit, or held out), or null.</summary>
    public IMiniBatchSource? Validation { get; }
    /// <summary>The label map, or null when labels are used as they are.</summary>
    public LabelScaling? Scaling { get; }
    /// <summary>The preprocessing stage learned from the training rows, or null.</summary>
    public FeaturePreprocessor? Preprocessor { get; }
    /// <summary>Whether the validation set was held out of the training data.</summary>
    public bool HeldOut { get; private init; }

    /// <exception cref="ArgumentException">The hold-out leaves fewer than 2 rows on a side; the label is constant or not finite.</exception>
    public static TrainingPlan Prepare(IMiniBatchSource train, IMiniBatchSource? validation, LossKind loss, int outputSize, TrainingSettings settings)
    {
        bool heldOut = false;
        if (validation is null && settings.ValidationFraction > 0)
        {
            (train, validation) = HoldOut.Split(train, settings.ValidationFraction, settings.Seed);
            heldOut = true;
        }
        if (ClassWeighting.Resolve(settings, loss, outputSize, train) is { } classWeights)
        {
            train = ClassWeighting.Apply(train, classWeights, loss);
            if (validation is not null) validation = ClassWeighting.Apply(validation, classWeights, loss);
        }
        FeaturePreprocessor? preprocessor = null;
        if (settings.Preprocessing is { } pre)
        {
            preprocessor = PreprocessorFitter.Fit(train, pre, settings.Seed);
            train = PreprocessedSource.Over(train, preprocessor);
            if (validation is not null) validation = PreprocessedSource.Over(validation, preprocessor);
        }
        LabelScaling? scaling = null;
        if (loss == LossKind.Poisson)
        {
            PoissonLabels.Check(train, "training");
            if (validation is not null) PoissonLabels.Check(validation, "validation");
        }
        if (settings.StandardizeLabel)
        {
            if (!LossFunction.IsRegression(loss))
                throw new ArgumentException($"StandardizeLabel applies to the regression heads, not to {loss}.", nameof(settings));
            scaling = loss == LossKind.Poisson ? LabelScaling.FitPoisson(train) : LabelScaling.Fit(train);
            train = scaling.Apply(train);
            if (validation is not null) validation = scaling.Apply(validation);
        }
        return new TrainingPlan(train, validation, scaling, preprocessor) { HeldOut = heldOut, Head = loss };
    }

    /// <summary>The early-stopping threshold in the units the network trains in (the user gives it in label units).</summary>
    public double MinDelta(double minDelta) => Scaling is null || Head != LossKind.SquaredError ? minDelta : minDelta / (Scaling.Scale * Scaling.Scale);

    /// <summary>An epoch report in the label's units.</summary>
    public EpochReport Report(EpochReport report) => Scaling is null ? report : Scaling.ToLabelUnits(report, Head);

    private LossKind Head { get; init; }

    /// <summary>The frozen network in the label's units.</summary>
    public InferenceNetwork Finish(InferenceNetwork network) => Scaling is null ? network : Scaling.Fold(network);
}
