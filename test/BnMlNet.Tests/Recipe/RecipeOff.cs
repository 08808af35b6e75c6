namespace BnMlNet.Tests.Recipe;

/// <summary>Switches off every option the tabular recipe adds (one place, so each new option is added here once).</summary>
public static class RecipeOff
{
    public static void Apply(BatchNormMlpOptionsBase options)
    {
        options.NumberOfEpochs = 20;          // the defaults before the recipe
        options.BatchSize ??= 128;            // not the automatic batch (nor its scaled learning rate); an explicit batch stays
        options.EarlyStoppingPatience = 0;
        options.DropoutRate = 0;
        options.ValidationFraction = 0;
        options.AdamBeta2 = 0.999f;
        options.NumericScaling = NumericScaling.None;
        options.MissingValues = MissingValueHandling.Skip;
        options.RefitOnAllRows = false;
        options.EnsembleSize ??= 1;           // not the automatic ensemble size; an explicit size stays
        if (options.BatchNormLayers is null)  // BN on every hidden layer (round 12 made it the last only); an explicit list stays
            options.BatchNormHiddenLayers = BatchNormHiddenLayers.Every;
        if (options is BatchNormMlpRegressionTrainer.Options r) r.StandardizeLabel = false;
    }
}
