using BnMlNet.Engine;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace BnMlNet.MlNet.Trainers;

/// <summary>The engine's data errors from the recipe's steps, restated with the ML.NET column they concern.</summary>
internal static class RecipeErrors
{
    public static T Named<T>(string labelColumn, Func<T> train)
    {
        try
        {
            return train();
        }
        catch (ConstantLabelException e)
        {
            throw new InvalidOperationException($"Label column '{labelColumn}': {e.Message}", e);
        }
        catch (InvalidLabelException e)
        {
            throw new InvalidOperationException($"Label column '{labelColumn}': {e.Message}", e);
        }
    }
}

/// <summary>Log lines for what the recipe's steps did.</summary>
internal static class RecipeLog
{
    public static void Describe(IChannel ch, TrainingResult result, TrainingSettings settings)
    {
        if (result.HeldOutValidation)
            ch.Info(MessageSensitivity.None,
                $"BatchNormMlp: no validation set was given; {settings.ValidationFraction:P0} of the training rows were held out as one (ValidationFraction).");
        if (result.LabelScaling is { } s)
            ch.Info(MessageSensitivity.None,
                $"BatchNormMlp: trained on the standardized label (mean {s.Mean:G6}, std {s.Scale:G6}), folded back into the output layer.");
        if (result.LearningRateReductionEpochs.Count > 0)
            ch.Info(MessageSensitivity.None,
                $"BatchNormMlp: the learning rate was multiplied by {settings.PlateauFactor} after epoch(s) {string.Join(", ", result.LearningRateReductionEpochs)} (PlateauPatience).");
    }

    /// <summary>Which of the feature column's categorical blocks the categorical embedding embeds.</summary>
    public static void DescribeCategorical(IChannel ch, IReadOnlyList<CategoricalBlock> blocks, int minimumLevels, int dimension, string featureColumn)
    {
        int embedded = blocks.Count(b => b.Levels >= minimumLevels);
        ch.Info(MessageSensitivity.None, blocks.Count == 0
            ? $"BatchNormMlp: CategoricalEmbedding is on but the feature column '{featureColumn}' carries no CategoricalSlotRanges annotation; nothing is embedded."
            : $"BatchNormMlp: categorical embedding of {embedded} of the {blocks.Count} one-hot blocks of '{featureColumn}' (those with ≥ {minimumLevels} levels) into {dimension} values each.");
    }
}
