using BnMlNet.Engine;

namespace BnMlNet.MlNet.Trainers;

/// <summary>Translates the tabular recipe's options into the engine's settings, and validates them (one rule per option).</summary>
internal static class RecipeSettings
{
    public static void Apply(BatchNormMlpOptionsBase o, TrainingSettings s)
    {
        s.ValidationFraction = o.ValidationFraction;
        s.StandardizeLabel = o is BatchNormMlpRegressionTrainer.Options { StandardizeLabel: true };
    }

    public static void Validate(BatchNormMlpOptionsBase o)
    {
        if (!(o.ValidationFraction >= 0 && o.ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(o.ValidationFraction), o.ValidationFraction,
                $"{nameof(o.ValidationFraction)} must be in [0, 1) (0 turns the validation hold-out off).");
    }
}
