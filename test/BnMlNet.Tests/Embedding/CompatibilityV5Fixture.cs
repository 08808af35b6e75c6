using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Recipe;
using Microsoft.ML;

namespace BnMlNet.Tests.Embedding;

/// <summary>
/// Writes and describes the payload-version-5 fixtures: models with the periodic numerical embedding (binary,
/// multiclass, regression) on the recipe's defaults, trained on rows with NaN and ±∞. Written by
/// <c>dotnet run --project tools/CompatFixtures -- embedding-v5</c>.
/// </summary>
public static class CompatibilityV5Fixture
{
    private static T Embedded<T>(T o, int epochs, int ensembleSize) where T : BatchNormMlpOptionsBase
    {
        o.HiddenLayerSizes = [12, 6];
        o.NumberOfEpochs = epochs;
        o.BatchSize = 32;
        o.Seed = 3;
        o.NumberOfThreads = 1;
        o.EnsembleSize = ensembleSize;   // 1: what the automatic size gave with the embedding when these were written (version 6 holds k > 1)
        o.NumericEmbedding = NumericEmbedding.Periodic;
        o.EmbeddingFrequencies = 4;
        o.EmbeddingDimension = 3;
        return o;
    }

    /// <summary>The pipeline of one fixture: <see cref="SyntheticData"/>'s featurization and a BN-MLP with the embedding.</summary>
    public static IEstimator<ITransformer> Pipeline(MLContext ml, SyntheticData.Task task, int epochs = 6, int ensembleSize = 1) => task switch
    {
        SyntheticData.Task.Binary => ml.Transforms.CopyColumns("Label", nameof(RawRow.IsPositive)).Append(SyntheticData.Featurize(ml))
            .Append(ml.BinaryClassification.Trainers.BatchNormMlp(Embedded(new BatchNormMlpBinaryTrainer.Options(), epochs, ensembleSize))),
        SyntheticData.Task.Multiclass => ml.Transforms.Conversion.MapValueToKey("Label", nameof(RawRow.Class)).Append(SyntheticData.Featurize(ml))
            .Append(ml.MulticlassClassification.Trainers.BatchNormMlp(Embedded(new BatchNormMlpMulticlassTrainer.Options(), epochs, ensembleSize)))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel")),
        _ => ml.Transforms.CopyColumns("Label", nameof(RawRow.Target)).Append(SyntheticData.Featurize(ml))
            .Append(ml.Regression.Trainers.BatchNormMlp(Embedded(new BatchNormMlpRegressionTrainer.Options(), epochs, ensembleSize))),
    };

    /// <summary>Writes v5-embedding-{task}.zip and .predictions.json into <paramref name="target"/>; never overwrites.</summary>
    public static IEnumerable<string> WriteFixtures(string target) =>
        CompatibilityV2Fixture.WriteOnRowsWithHoles(target, "v5-embedding", 5,
            "Written by Embedding/CompatibilityV5Fixture.WriteFixtures (tools/CompatFixtures embedding-v5): the periodic embedding (k 4, d 3) on the recipe's defaults. Floats are round-trip strings.",
            (ml, task) => Pipeline(ml, task));
}
