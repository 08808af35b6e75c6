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
    }
}
