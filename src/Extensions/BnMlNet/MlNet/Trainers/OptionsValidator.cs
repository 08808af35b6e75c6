using BnMlNet.Engine;

namespace BnMlNet.MlNet.Trainers;

/// <summary>
/// Rejects invalid option values when the trainer is created (and again at <c>Fit</c>, since options are mutable),
/// naming the option as the user wrote it and the allowed range. The ranges are the engine's
/// (<see cref="SettingRules"/>), so an option that passes here passes the engine's own checks too.
/// </summary>
internal static class OptionsValidator
{
    /// <summary>0 (always stream) or more MiB; the only range that has no engine counterpart.</summary>
    internal static readonly ValueRange MaximumCacheMegabytes = ValueRange.IntegerAtLeast(0, "0 always streams");

    public static void Validate(BatchNormMlpOptionsBase o)
    {
        ArgumentNullException.ThrowIfNull(o);
        RequireName(o.LabelColumnName, nameof(o.LabelColumnName));
        RequireName(o.FeatureColumnName, nameof(o.FeatureColumnName));
        if (o.ExampleWeightColumnName is { } w && string.IsNullOrWhiteSpace(w))
            throw new ArgumentException($"{nameof(o.ExampleWeightColumnName)} must be null or a column name, not blank.", nameof(o.ExampleWeightColumnName));

        if (o.HiddenLayerSizes is null)
            throw new ArgumentNullException(nameof(o.HiddenLayerSizes), $"{nameof(o.HiddenLayerSizes)} must be an array of layer widths (it may be empty for a linear model).");
        for (int i = 0; i < o.HiddenLayerSizes.Length; i++)
            SettingRules.HiddenSize.CheckElement(o.HiddenLayerSizes[i], nameof(o.HiddenLayerSizes), i);
        SettingRules.CheckDefined(o.Activation, nameof(o.Activation));
        SettingRules.LeakyReluSlope.Check(o.LeakyReluSlope, nameof(o.LeakyReluSlope));
        SettingRules.CheckDefined(o.BatchNormPlacement, nameof(o.BatchNormPlacement));
        SettingRules.CheckBatchNormLayers(o.BatchNormLayers, o.HiddenLayerSizes.Length, o.BatchNormPlacement == BatchNormPlacement.None,
            nameof(o.BatchNormLayers), nameof(o.BatchNormPlacement));
        SettingRules.CheckDefined(o.BatchNormHiddenLayers, nameof(o.BatchNormHiddenLayers));
        if (o.BatchNormLayers is not null && o.BatchNormHiddenLayers == BatchNormHiddenLayers.Every)
            throw new ArgumentException(
                $"{nameof(o.BatchNormLayers)} lists the hidden layers that get batch normalization, but {nameof(o.BatchNormHiddenLayers)} is " +
                $"{nameof(BatchNormHiddenLayers.Every)}, which asks for every hidden layer; give one or the other: leave {nameof(o.BatchNormLayers)} " +
                $"null, or {nameof(o.BatchNormHiddenLayers)} at {nameof(BatchNormHiddenLayers.Last)} (it is then not used).",
                nameof(o.BatchNormLayers));
        SettingRules.DropoutRate.Check(o.DropoutRate, nameof(o.DropoutRate));
        if (o.EnsembleSize is int members) SettingRules.EnsembleSize.Check(members, nameof(o.EnsembleSize));

        if (o.BatchSize is int batch) SettingRules.BatchSize.Check(batch, nameof(o.BatchSize));
        SettingRules.Epochs.Check(o.NumberOfEpochs, nameof(o.NumberOfEpochs));
        SettingRules.CheckDefined(o.Optimizer, nameof(o.Optimizer));
        SettingRules.LearningRate.Check(o.LearningRate, nameof(o.LearningRate));
        SettingRules.CheckDefined(o.LearningRateBatchScaling, nameof(o.LearningRateBatchScaling));
        SettingRules.Momentum.Check(o.Momentum, nameof(o.Momentum));
        SettingRules.CheckNesterov(o.Nesterov, o.Momentum, nameof(o.Nesterov), nameof(o.Momentum));
        SettingRules.WeightDecay.Check(o.WeightDecay, nameof(o.WeightDecay));
        SettingRules.CheckDefined(o.LearningRateSchedule, nameof(o.LearningRateSchedule));
        SettingRules.StepBudget.Check(o.StepBudget, nameof(o.StepBudget));
        SettingRules.StepEpochs.Check(o.LearningRateStepEpochs, nameof(o.LearningRateStepEpochs));
        SettingRules.StepFactor.Check(o.LearningRateStepFactor, nameof(o.LearningRateStepFactor));
        SettingRules.GradientClipNorm.Check(o.GradientClipNorm, nameof(o.GradientClipNorm));

        SettingRules.BatchNormMomentum.Check(o.BatchNormMomentum, nameof(o.BatchNormMomentum));
        SettingRules.BatchNormEpsilon.Check(o.BatchNormEpsilon, nameof(o.BatchNormEpsilon));
        SettingRules.BatchNormGammaWeightDecay.Check(o.BatchNormGammaWeightDecay, nameof(o.BatchNormGammaWeightDecay));
        SettingRules.CheckDefined(o.RunningStatistics, nameof(o.RunningStatistics));

        if (o.NumberOfThreads is { } t) SettingRules.Threads.Check(t, nameof(o.NumberOfThreads));
        SettingRules.EarlyStoppingPatience.Check(o.EarlyStoppingPatience, nameof(o.EarlyStoppingPatience));
        SettingRules.EarlyStoppingMinDelta.Check(o.EarlyStoppingMinDelta, nameof(o.EarlyStoppingMinDelta));
        SettingRules.EarlyStoppingRelativeMinDelta.Check(o.EarlyStoppingRelativeMinDelta, nameof(o.EarlyStoppingRelativeMinDelta));
        SettingRules.EarlyStoppingPatienceFraction.Check(o.EarlyStoppingPatienceFraction, nameof(o.EarlyStoppingPatienceFraction));
        SettingRules.PlateauPatience.Check(o.PlateauPatience, nameof(o.PlateauPatience));
        SettingRules.PlateauFactor.Check(o.PlateauFactor, nameof(o.PlateauFactor));
        SettingRules.PlateauMaxReductions.Check(o.PlateauMaxReductions, nameof(o.PlateauMaxReductions));
        SettingRules.CheckPlateau(o.PlateauPatience, o.EarlyStoppingPatience, nameof(o.PlateauPatience), nameof(o.EarlyStoppingPatience));
        MaximumCacheMegabytes.Check(o.MaximumCacheMegabytes, nameof(o.MaximumCacheMegabytes));
        SettingRules.CheckDefined(o.NonFiniteScoring, nameof(o.NonFiniteScoring));
        if (o is BatchNormMlpBinaryTrainer.Options b) SettingRules.LabelSmoothing.Check(b.LabelSmoothing, nameof(b.LabelSmoothing));
        if (o is BatchNormMlpMulticlassTrainer.Options m) SettingRules.LabelSmoothing.Check(m.LabelSmoothing, nameof(m.LabelSmoothing));
        RecipeSettings.Validate(o);
    }

    private static void RequireName(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"{name} must name a column.", name);
    }
}
