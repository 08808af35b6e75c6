namespace BnMlNet.MlNet.Trainers;

/// <summary>Rejects invalid option values at trainer construction, naming the option.</summary>
internal static class OptionsValidator
{
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
        {
            if (o.HiddenLayerSizes[i] <= 0)
                throw new ArgumentOutOfRangeException(nameof(o.HiddenLayerSizes), o.HiddenLayerSizes[i],
                    $"{nameof(o.HiddenLayerSizes)}[{i}] is {o.HiddenLayerSizes[i]}; every hidden layer needs at least 1 unit.");
        }

        if (o.BatchSize < 2)
            throw new ArgumentOutOfRangeException(nameof(o.BatchSize), o.BatchSize,
                $"{nameof(o.BatchSize)} must be at least 2: batch normalization needs 2 rows to measure a variance.");
        Positive(o.NumberOfEpochs, nameof(o.NumberOfEpochs));
        NonNegativeFinite(o.LearningRate, nameof(o.LearningRate));
        UnitInterval(o.Momentum, nameof(o.Momentum));
        NonNegativeFinite(o.WeightDecay, nameof(o.WeightDecay));
        NonNegativeFinite(o.GradientClipNorm, nameof(o.GradientClipNorm));
        NonNegativeFinite(o.LeakyReluSlope, nameof(o.LeakyReluSlope));
        if (!(o.DropoutRate >= 0 && o.DropoutRate < 1))
            throw new ArgumentOutOfRangeException(nameof(o.DropoutRate), o.DropoutRate, $"{nameof(o.DropoutRate)} must be in [0, 1).");
        UnitInterval(o.BatchNormMomentum, nameof(o.BatchNormMomentum));
        if (!(o.BatchNormEpsilon > 0 && float.IsFinite(o.BatchNormEpsilon)))
            throw new ArgumentOutOfRangeException(nameof(o.BatchNormEpsilon), o.BatchNormEpsilon, $"{nameof(o.BatchNormEpsilon)} must be a positive finite number.");
        Positive(o.LearningRateStepEpochs, nameof(o.LearningRateStepEpochs));
        if (!(o.LearningRateStepFactor > 0 && o.LearningRateStepFactor <= 1))
            throw new ArgumentOutOfRangeException(nameof(o.LearningRateStepFactor), o.LearningRateStepFactor, $"{nameof(o.LearningRateStepFactor)} must be in (0, 1].");
        if (o.NumberOfThreads is { } t && t <= 0)
            throw new ArgumentOutOfRangeException(nameof(o.NumberOfThreads), t, $"{nameof(o.NumberOfThreads)} must be null or at least 1.");
        if (o.EarlyStoppingPatience < 0)
            throw new ArgumentOutOfRangeException(nameof(o.EarlyStoppingPatience), o.EarlyStoppingPatience, $"{nameof(o.EarlyStoppingPatience)} must be 0 (off) or positive.");
        NonNegativeFinite(o.EarlyStoppingMinDelta, nameof(o.EarlyStoppingMinDelta));
        if (o.MaximumCacheMegabytes < 0)
            throw new ArgumentOutOfRangeException(nameof(o.MaximumCacheMegabytes), o.MaximumCacheMegabytes, $"{nameof(o.MaximumCacheMegabytes)} must be 0 (always stream) or positive.");
        Defined(o.Activation, nameof(o.Activation));
        Defined(o.BatchNormPlacement, nameof(o.BatchNormPlacement));
        Defined(o.Optimizer, nameof(o.Optimizer));
        Defined(o.RunningStatistics, nameof(o.RunningStatistics));
        Defined(o.LearningRateSchedule, nameof(o.LearningRateSchedule));
        RecipeSettings.Validate(o);
    }

    private static void RequireName(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"{name} must name a column.", name);
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");
    }

    private static void NonNegativeFinite(float value, string name)
    {
        if (!(value >= 0 && float.IsFinite(value)))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0.");
    }

    private static void UnitInterval(float value, string name)
    {
        if (!(value >= 0 && value <= 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1].");
    }

    private static void Defined<T>(T value, string name) where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} has no member {value}.");
    }
}
