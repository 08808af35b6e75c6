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

    private void ValidateRecipe(Action<bool, string, object, string> check)
    {
        Preprocessing?.Validate();
        check(ValidationFraction >= 0 && ValidationFraction < 1, nameof(ValidationFraction), ValidationFraction, "must be in [0, 1) (0 turns the hold-out off)");
    }
}
