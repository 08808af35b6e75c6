using BnMlNet.Engine.Preprocessing;

namespace BnMlNet.Engine;

public sealed partial class TrainingSettings
{
    /// <summary>
    /// Regression (squared error): train on t = (y − μ)/s with the weighted mean and standard deviation of the training
    /// labels, then fold the map back into the output layer (see <see cref="LabelScaling"/>). Epoch reports stay in the
    /// label's units; <see cref="EarlyStoppingMinDelta"/> too. Default false.
    /// </summary>
    public bool StandardizeLabel { get; set; }

    /// <summary>
    /// When <see cref="NetworkTrainer.Train"/> gets no validation set, hold out this fraction of the training rows as one,
    /// drawn from <see cref="Seed"/> (cached data: exactly round(N·f) rows; other sources: each row by a seeded hash of its
    /// contents). An explicit validation set wins. In [0, 1); 0 turns it off. Default 0.
    /// </summary>
    public float ValidationFraction { get; set; }

    /// <summary>
    /// The model's own preprocessing stage (imputation with missing indicators, robust scaling), learned from the
    /// training rows and carried in the result (<see cref="TrainingResult.Preprocessor"/>); null (the default) feeds the
    /// features to the network as they are, which then must be finite.
    /// </summary>
    public PreprocessingSettings? Preprocessing { get; set; }

    /// <summary>
    /// Per-class loss weights, in class order (binary: [negative, positive]; multiclass: one per output), multiplied
    /// into each row's weight in training and validation; null (the default) weighs every class 1. Each finite, ≥ 0.
    /// </summary>
    public IReadOnlyList<float>? ClassWeights { get; set; }

    /// <summary>Binary: weigh the positive class by (Σ w of negatives)/(Σ w of positives) of the training rows. Default false.</summary>
    public bool BalanceClasses { get; set; }

    /// <summary>
    /// Label smoothing ε for the classification heads, as PyTorch's <c>CrossEntropyLoss(label_smoothing=ε)</c>: the
    /// training target is (1 − ε)·one-hot(y) + ε/K over the K classes (binary: K = 2, so the target of the positive
    /// class is (1 − ε)·y + ε/2). Only the training loss and its gradient change; the validation loss (and so early
    /// stopping and the best epoch) stays the plain log-loss. In [0, 1); 0 (the default) turns it off. A regression
    /// head refuses ε &gt; 0.
    /// </summary>
    public float LabelSmoothing { get; set; }

    private void ValidateRecipe()
    {
        Preprocessing?.Validate();
        SettingRules.ValidationFraction.Check(ValidationFraction, nameof(ValidationFraction));
        SettingRules.LabelSmoothing.Check(LabelSmoothing, nameof(LabelSmoothing));
        if (ClassWeights is { } cw) SettingRules.CheckClassWeights(cw, nameof(ClassWeights));
        if (BalanceClasses && ClassWeights is not null)
            throw new ArgumentException($"{nameof(BalanceClasses)} sets the class weights from the data; it cannot be combined with {nameof(ClassWeights)}.", nameof(BalanceClasses));
    }
}
