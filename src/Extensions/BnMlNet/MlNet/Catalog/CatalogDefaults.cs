namespace BnMlNet.MlNet.Catalog;

/// <summary>The defaults of the simple catalog overloads, kept equal to <see cref="BatchNormMlpOptionsBase"/>'s.</summary>
internal static class CatalogDefaults
{
    public const int Epochs = BnMlNet.MlNet.Trainers.RecipeDefaults.NumberOfEpochs;
    public const float LearningRate = 1e-3f;

    public static T Fill<T>(T options, string label, string features, string? weight, int[]? hidden, int epochs, float learningRate)
        where T : BatchNormMlpOptionsBase
    {
        options.LabelColumnName = label;
        options.FeatureColumnName = features;
        options.ExampleWeightColumnName = weight;
        if (hidden is not null) options.HiddenLayerSizes = hidden;
        options.NumberOfEpochs = epochs;
        options.LearningRate = learningRate;
        return options;
    }
}
