using BnMlNet.Engine.Preprocessing;
using BnMlNet.MlNet;
using BnMlNet.Engine;

namespace BnMlNet.MlNet.Trainers;

/// <summary>Translates the tabular recipe's options into the engine's settings, and validates them (one rule per option).</summary>
internal static class RecipeSettings
{
    public static void Apply(BatchNormMlpOptionsBase o, TrainingSettings s)
    {
        s.ValidationFraction = o.ValidationFraction;
        s.Beta2 = o.AdamBeta2;
        s.StandardizeLabel = o is BatchNormMlpRegressionTrainer.Options { StandardizeLabel: true };
        switch (o)
        {
            case BatchNormMlpBinaryTrainer.Options b:
                s.BalanceClasses = b.UnbalancedSets;
                s.LabelSmoothing = b.LabelSmoothing;
                if (b.WeightOfPositiveExamples != 1f) s.ClassWeights = [1f, b.WeightOfPositiveExamples];
                break;
            case BatchNormMlpMulticlassTrainer.Options m:
                if (m.ClassWeights is { } cw) s.ClassWeights = cw.ToArray();
                s.LabelSmoothing = m.LabelSmoothing;
                break;
        }
        s.Preprocessing = KeepsNonFinite(o) || o.NumericScaling != NumericScaling.None ? new PreprocessingSettings(o.NumericScaling, MaximumSampleValues: SampleValues(o)) : null;
    }

    /// <summary>
    /// The preprocessing sample takes at most half the cache budget (and 16 M values), so streamed training stays
    /// within <see cref="BatchNormMlpOptionsBase.MaximumCacheMegabytes"/>; never fewer than 4,096 values.
    /// </summary>
    private static long SampleValues(BatchNormMlpOptionsBase o) =>
        Math.Max(4096, Math.Min(1L << 24, o.MaximumCacheMegabytes * (1L << 20) / sizeof(float) / 2));

    /// <summary>A NaN/±∞ feature is an error: MissingValues = Throw, or the older ThrowOnNonFiniteFeatures.</summary>
    public static bool ThrowsOnNonFinite(BatchNormMlpOptionsBase o) => o.ThrowOnNonFiniteFeatures || o.MissingValues == MissingValueHandling.Throw;

    /// <summary>Rows with NaN/±∞ features are kept and imputed by the model.</summary>
    public static bool KeepsNonFinite(BatchNormMlpOptionsBase o) => o.MissingValues == MissingValueHandling.Impute && !ThrowsOnNonFinite(o);

    /// <summary>The recipe's options, against the engine's <see cref="SettingRules"/> under the names the user sets.</summary>
    public static void Validate(BatchNormMlpOptionsBase o)
    {
        SettingRules.ValidationFraction.Check(o.ValidationFraction, nameof(o.ValidationFraction));
        SettingRules.Beta2.Check(o.AdamBeta2, nameof(o.AdamBeta2));
        SettingRules.CheckDefined(o.NumericScaling, nameof(o.NumericScaling));
        SettingRules.CheckDefined(o.MissingValues, nameof(o.MissingValues));
        SettingRules.CheckDefined(o.NumericEmbedding, nameof(o.NumericEmbedding));
        SettingRules.EmbeddingFrequencies.Check(o.EmbeddingFrequencies, nameof(o.EmbeddingFrequencies));
        SettingRules.EmbeddingDimension.Check(o.EmbeddingDimension, nameof(o.EmbeddingDimension));
        SettingRules.EmbeddingSigma.Check(o.EmbeddingSigma, nameof(o.EmbeddingSigma));
        SettingRules.CheckDefined(o.CategoricalEmbedding, nameof(o.CategoricalEmbedding));
        SettingRules.CategoricalEmbeddingDimension.Check(o.CategoricalEmbeddingDimension, nameof(o.CategoricalEmbeddingDimension));
        SettingRules.CategoricalEmbeddingMinimumLevels.Check(o.CategoricalEmbeddingMinimumLevels, nameof(o.CategoricalEmbeddingMinimumLevels));
        if (o.EmbeddingBatchNorm && o.NumericEmbedding == NumericEmbedding.None && o.CategoricalEmbedding == CategoricalEmbedding.None)
            throw new ArgumentException($"{nameof(o.EmbeddingBatchNorm)} normalizes the embeddings' outputs, but {nameof(o.NumericEmbedding)} and " +
                $"{nameof(o.CategoricalEmbedding)} are both None; turn one of them on or set {nameof(o.EmbeddingBatchNorm)} = false.", nameof(o.EmbeddingBatchNorm));
        switch (o)
        {
            case BatchNormMlpBinaryTrainer.Options b:
                SettingRules.WeightOfPositiveExamples.Check(b.WeightOfPositiveExamples, nameof(b.WeightOfPositiveExamples));
                if (b.UnbalancedSets && b.WeightOfPositiveExamples != 1f)
                    throw new ArgumentException($"{nameof(b.UnbalancedSets)} sets the positive weight from the data; leave {nameof(b.WeightOfPositiveExamples)} at 1 or set {nameof(b.UnbalancedSets)} = false.", nameof(b.UnbalancedSets));
                break;
            case BatchNormMlpMulticlassTrainer.Options { ClassWeights: { } cw }:
                SettingRules.CheckClassWeights(cw, nameof(BatchNormMlpMulticlassTrainer.Options.ClassWeights));
                break;
            case BatchNormMlpRegressionTrainer.Options r:
                SettingRules.CheckDefined(r.Loss, nameof(r.Loss));
                break;
        }
    }

    /// <summary>Class weights must match the label's classes (known only once the training schema is).</summary>
    public static void CheckClassCount(BatchNormMlpOptionsBase o, int outputs, string labelColumn)
    {
        if (o is BatchNormMlpMulticlassTrainer.Options { ClassWeights: { } cw } && cw.Length != outputs)
            throw new ArgumentOutOfRangeException(nameof(BatchNormMlpMulticlassTrainer.Options.ClassWeights), cw.Length,
                $"ClassWeights has {cw.Length} entries, but the label column '{labelColumn}' has {outputs} classes; give one weight per class, in key order.");
    }

    /// <summary>The engine head: the task's, or the regression <see cref="BatchNormMlpRegressionTrainer.Options.Loss"/>.</summary>
    public static LossKind Loss(BatchNormMlpOptionsBase o, ModelTask task) => o switch
    {
        BatchNormMlpRegressionTrainer.Options { Loss: RegressionLoss.Poisson } => LossKind.Poisson,
        BatchNormMlpRegressionTrainer.Options { Loss: RegressionLoss.Huber } => LossKind.Huber,
        _ => EngineSettings.Loss(task),
    };
}
