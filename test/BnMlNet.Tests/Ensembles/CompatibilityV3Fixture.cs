using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Recipe;
using Microsoft.ML;

namespace BnMlNet.Tests.Ensembles;

/// <summary>
/// Writes and describes the payload-version-3 fixtures: ensembles of 3 members (binary, multiclass, regression) on the
/// recipe's defaults, trained on rows with NaN and ±∞. Written by <c>dotnet run --project tools/CompatFixtures -- ensemble-v3</c>.
/// </summary>
public static class CompatibilityV3Fixture
{
    /// <summary>Members in every v3 fixture.</summary>
    public const int Members = 3;

    /// <summary>The pipeline of one fixture: <see cref="SyntheticData"/>'s featurization and a 3-member BN-MLP.</summary>
    public static IEstimator<ITransformer> Pipeline(MLContext ml, SyntheticData.Task task) => task switch
    {
        SyntheticData.Task.Binary => ml.Transforms.CopyColumns("Label", nameof(RawRow.IsPositive)).Append(SyntheticData.Featurize(ml))
            .Append(ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options
            { HiddenLayerSizes = [12, 6], NumberOfEpochs = 6, BatchSize = 32, Seed = 3, NumberOfThreads = 1, EnsembleSize = Members })),
        SyntheticData.Task.Multiclass => ml.Transforms.Conversion.MapValueToKey("Label", nameof(RawRow.Class)).Append(SyntheticData.Featurize(ml))
            .Append(ml.MulticlassClassification.Trainers.BatchNormMlp(new BatchNormMlpMulticlassTrainer.Options
            { HiddenLayerSizes = [12, 6], NumberOfEpochs = 6, BatchSize = 32, Seed = 3, NumberOfThreads = 1, EnsembleSize = Members }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel")),
        _ => ml.Transforms.CopyColumns("Label", nameof(RawRow.Target)).Append(SyntheticData.Featurize(ml))
            .Append(ml.Regression.Trainers.BatchNormMlp(new BatchNormMlpRegressionTrainer.Options
            { HiddenLayerSizes = [12, 6], NumberOfEpochs = 6, BatchSize = 32, Seed = 3, NumberOfThreads = 1, EnsembleSize = Members })),
    };

    /// <summary>Writes v3-ensemble-{task}.zip and .predictions.json into <paramref name="target"/>; never overwrites.</summary>
    public static IEnumerable<string> WriteFixtures(string target) =>
        CompatibilityV2Fixture.WriteOnRowsWithHoles(target, "v3-ensemble", 3,
            "Written by Ensembles/CompatibilityV3Fixture.WriteFixtures (tools/CompatFixtures ensemble-v3): 3 members on the recipe's defaults. Floats are round-trip strings.",
            Pipeline, ("ensembleSize", Members));
}
