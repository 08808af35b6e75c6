using BnMlNet.Engine;

namespace BnMlNet.MlNet.Trainers;

/// <summary>Translates the tabular recipe's options into the engine's settings, and validates them (one rule per option).</summary>
internal static class RecipeSettings
{
    public static void Apply(BatchNormMlpOptionsBase o, TrainingSettings s)
    {
        s.ValidationFraction = o.ValidationFraction;
        s.StandardizeLabel = o is BatchNormMlpRegressionTrainer.Options { StandardizeLabel: true };
        s.Preprocessing = KeepsNonFinite(o) || o.NumericScaling != NumericScaling.None ? new PreprocessingSettings(o.NumericScaling) : null;
    }

    /// <summary>A NaN/±∞ feature is an error: MissingValues = Throw, or the older ThrowOnNonFiniteFeatures.</summary>
    public static bool ThrowsOnNonFinite(BatchNormMlpOptionsBase o) => o.ThrowOnNonFiniteFeatures || o.MissingValues == MissingValueHandling.Throw;

    /// <summary>Rows with NaN/±∞ features are kept and imputed by the model.</summary>
    public static bool KeepsNonFinite(BatchNormMlpOptionsBase o) => o.MissingValues == MissingValueHandling.Impute && !ThrowsOnNonFinite(o);

    public static void Validate(BatchNormMlpOptionsBase o)
    {
        if (!(o.ValidationFraction >= 0 && o.ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(o.ValidationFraction), o.ValidationFraction,
                $"{nameof(o.ValidationFraction)} must be in [0, 1) (0 turns the validation hold-out off).");
        if (!Enum.IsDefined(o.NumericScaling))
            throw new ArgumentOutOfRangeException(nameof(o.NumericScaling), o.NumericScaling, $"{nameof(o.NumericScaling)} has no member {o.NumericScaling}.");
        if (!Enum.IsDefined(o.MissingValues))
            throw new ArgumentOutOfRangeException(nameof(o.MissingValues), o.MissingValues, $"{nameof(o.MissingValues)} has no member {o.MissingValues}.");
    }
}
