using Microsoft.ML;

namespace BnMlNet.Tests.MlNet;

/// <summary>A raw row with a categorical column, two numeric ones and three kinds of label.</summary>
public sealed class RawRow
{
    public string Color { get; set; } = "";
    public float X1 { get; set; }
    public float X2 { get; set; }
    public string Class { get; set; } = "";
    public bool IsPositive { get; set; }
    public float Target { get; set; }
}

/// <summary>Deterministic synthetic data with learnable structure, for pipeline-shape tests (not accuracy claims).</summary>
public static class SyntheticData
{
    private static readonly string[] Colors = ["red", "green", "blue"];

    public static List<RawRow> Rows(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new List<RawRow>(count);
        for (int i = 0; i < count; i++)
        {
            int c = random.Next(3);
            float x1 = (float)(random.NextDouble() * 4 - 2), x2 = (float)(random.NextDouble() * 4 - 2);
            double score = x1 + 0.5 * x2 + (c - 1);
            rows.Add(new RawRow
            {
                Color = Colors[c], X1 = x1, X2 = x2,
                Class = score < -0.7 ? "low" : score < 0.7 ? "mid" : "high",
                IsPositive = score + 0.3 * (random.NextDouble() - 0.5) > 0,
                Target = (float)(2 * x1 - x2 * x2 + c + 0.1 * random.NextDouble()),
            });
        }
        return rows;
    }

    /// <summary>Categorical one-hot → concatenate into Features.</summary>
    public static IEstimator<ITransformer> Featurize(MLContext ml) =>
        ml.Transforms.Categorical.OneHotEncoding("ColorEncoded", "Color")
            .Append(ml.Transforms.Concatenate("Features", "ColorEncoded", "X1", "X2"));

    public enum Task { Binary, Multiclass, Regression }

    /// <summary>The whole pipeline a user would build for <paramref name="task"/>, ending in the BN-MLP.</summary>
    public static IEstimator<ITransformer> Pipeline(MLContext ml, Task task, int epochs = 8, bool inputBatchNorm = true)
    {
        var features = Featurize(ml);
        switch (task)
        {
            case Task.Binary:
                return ml.Transforms.CopyColumns("Label", nameof(RawRow.IsPositive)).Append(features)
                    .Append(ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options
                    { EnsembleSize = 1, RefitOnAllRows = false, HiddenLayerSizes = [16, 8], NumberOfEpochs = epochs, BatchSize = 32, Seed = 3, NumberOfThreads = 1, InputBatchNorm = inputBatchNorm }));
            case Task.Multiclass:
                return ml.Transforms.Conversion.MapValueToKey("Label", nameof(RawRow.Class)).Append(features)
                    .Append(ml.MulticlassClassification.Trainers.BatchNormMlp(new BatchNormMlpMulticlassTrainer.Options
                    { EnsembleSize = 1, RefitOnAllRows = false, HiddenLayerSizes = [16, 8], NumberOfEpochs = epochs, BatchSize = 32, Seed = 3, NumberOfThreads = 1, InputBatchNorm = inputBatchNorm }))
                    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));
            default:
                return ml.Transforms.CopyColumns("Label", nameof(RawRow.Target)).Append(features)
                    .Append(ml.Regression.Trainers.BatchNormMlp(new BatchNormMlpRegressionTrainer.Options
                    { EnsembleSize = 1, RefitOnAllRows = false, HiddenLayerSizes = [16, 8], NumberOfEpochs = epochs, BatchSize = 32, Seed = 3, NumberOfThreads = 1, InputBatchNorm = inputBatchNorm }));
        }
    }
}
