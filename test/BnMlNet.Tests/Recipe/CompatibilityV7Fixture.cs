using BnMlNet.Tests.MlNet;
using Microsoft.ML;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// Writes and describes the payload-version-7 fixtures: single networks with <see cref="NumericScaling.Quantile"/>
/// (binary, multiclass, regression) on <see cref="SyntheticData"/>'s featurization, trained on rows with NaN and ±∞.
/// Written by <c>dotnet run --project tools/CompatFixtures -- quantile-v7</c>.
/// </summary>
public static class CompatibilityV7Fixture
{
    private static T Quantile<T>(T o, int epochs) where T : BatchNormMlpOptionsBase
    {
        o.HiddenLayerSizes = [8];
        o.NumberOfEpochs = epochs;
        o.Seed = 1;
        o.NumberOfThreads = 1;
        o.EnsembleSize = 1;
        o.NumericScaling = NumericScaling.Quantile;
        return o;
    }

    /// <summary>The pipeline of one fixture: <see cref="SyntheticData"/>'s featurization and a BN-MLP with quantile scaling.</summary>
    public static IEstimator<ITransformer> Pipeline(MLContext ml, SyntheticData.Task task, int epochs = 6) => task switch
    {
        SyntheticData.Task.Binary => ml.Transforms.CopyColumns("Label", nameof(RawRow.IsPositive)).Append(SyntheticData.Featurize(ml))
            .Append(ml.BinaryClassification.Trainers.BatchNormMlp(Quantile(new BatchNormMlpBinaryTrainer.Options(), epochs))),
        SyntheticData.Task.Multiclass => ml.Transforms.Conversion.MapValueToKey("Label", nameof(RawRow.Class)).Append(SyntheticData.Featurize(ml))
            .Append(ml.MulticlassClassification.Trainers.BatchNormMlp(Quantile(new BatchNormMlpMulticlassTrainer.Options(), epochs)))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel")),
        _ => ml.Transforms.CopyColumns("Label", nameof(RawRow.Target)).Append(SyntheticData.Featurize(ml))
            .Append(ml.Regression.Trainers.BatchNormMlp(Quantile(new BatchNormMlpRegressionTrainer.Options(), epochs))),
    };

    /// <summary>Writes v7-quantile-{task}.zip and .predictions.json into <paramref name="target"/>; never overwrites.</summary>
    public static IEnumerable<string> WriteFixtures(string target) =>
        CompatibilityV2Fixture.WriteOnRowsWithHoles(target, "v7-quantile", 7,
            "Written by Recipe/CompatibilityV7Fixture.WriteFixtures (tools/CompatFixtures quantile-v7): NumericScaling.Quantile, one network, otherwise the recipe's defaults. Floats are round-trip strings.",
            (ml, task) => Pipeline(ml, task));
}
