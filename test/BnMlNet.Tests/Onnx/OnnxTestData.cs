using Microsoft.ML;

namespace BnMlNet.Tests.Onnx;

/// <summary>A raw row: one text column, three numeric ones and a label for each task.</summary>
public sealed class OnnxRow
{
    public string Color { get; set; } = "";
    public float X1 { get; set; }
    public float X2 { get; set; }
    public float X3 { get; set; }
    public bool IsPositive { get; set; }
    public string Class { get; set; } = "";
    public float Target { get; set; }
}

public enum OnnxTask { Binary, Multiclass, Regression }

/// <summary>Small deterministic data and the pipelines the ONNX tests export.</summary>
internal static class OnnxTestData
{
    private static readonly string[] Colors = ["red", "green", "blue", "amber"];

    public const int ClassCount = 3;

    /// <summary>Rows with learnable structure; the regression target stays within a few units so absolute tolerances are meaningful.</summary>
    public static List<OnnxRow> Rows(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new List<OnnxRow>(count);
        for (int i = 0; i < count; i++)
        {
            int c = random.Next(Colors.Length);
            float x1 = (float)(random.NextDouble() * 4 - 2), x2 = (float)(random.NextDouble() * 4 - 2), x3 = (float)(random.NextDouble() * 10);
            double signal = x1 - 0.5 * x2 + 0.1 * x3 + (c - 1.5) * 0.6 + 0.4 * (random.NextDouble() - 0.5);
            rows.Add(new OnnxRow
            {
                Color = Colors[c], X1 = x1, X2 = x2, X3 = x3,
                IsPositive = signal > 0.5,
                Class = signal < 0 ? "low" : signal < 1.2 ? "mid" : "high",
                Target = (float)(0.5 * signal + 0.2 * x2 * x2 - 0.5),
            });
        }
        return rows;
    }

    public static (IDataView Train, IDataView Test, List<OnnxRow> TestRows) Split(MLContext ml, int trainRows = 192, int testRows = 64)
    {
        var test = Rows(testRows, seed: 11);
        return (ml.Data.LoadFromEnumerable(Rows(trainRows, seed: 7)), ml.Data.LoadFromEnumerable(test), test);
    }

    /// <summary>The network settings a test varies; the rest is fixed and tiny.</summary>
    public sealed record Net(Activation Activation = Activation.Relu, bool InputBatchNorm = true,
        BatchNormPlacement Placement = BatchNormPlacement.BeforeActivation, int Epochs = 2, float LeakyReluSlope = 0.05f,
        int EnsembleSize = 1, bool WithoutRecipe = false, NonFiniteScoring Policy = NonFiniteScoring.Impute, bool Poisson = false,
        NumericEmbedding Embedding = NumericEmbedding.None, CategoricalEmbedding Categorical = CategoricalEmbedding.None, int[]? BatchNormLayers = null,
        BatchNormHiddenLayers? HiddenBatchNorm = null, NumericScaling Scaling = NumericScaling.Robust, bool EmbeddingBatchNorm = false)
    {
        public override string ToString() => $"{Activation}, input BN {InputBatchNorm}, {Placement}";
    }

    private static T Configure<T>(T o, Net net) where T : BatchNormMlpOptionsBase
    {
        if (net.WithoutRecipe) BnMlNet.Tests.Recipe.RecipeOff.Apply(o);   // no preprocessing: the running-statistics rule
        if (!net.WithoutRecipe) o.NumericScaling = net.Scaling;
        o.HiddenLayerSizes = [6, 5];
        o.NumberOfEpochs = net.Epochs;
        o.BatchSize = 32;
        o.LearningRate = 0.01f;
        o.Seed = 5;
        o.NumberOfThreads = 1;
        o.Activation = net.Activation;
        o.InputBatchNorm = net.InputBatchNorm;
        o.BatchNormPlacement = net.Placement;
        o.LeakyReluSlope = net.LeakyReluSlope;
        o.EnsembleSize = net.EnsembleSize;
        o.NumericEmbedding = net.Embedding;
        o.EmbeddingFrequencies = 5;
        o.EmbeddingDimension = 3;
        o.CategoricalEmbedding = net.Categorical;   // the 4-level colour block is embedded into 2 values
        o.CategoricalEmbeddingMinimumLevels = 3;
        o.CategoricalEmbeddingDimension = 2;
        o.EmbeddingBatchNorm = net.EmbeddingBatchNorm;
        o.NonFiniteScoring = net.Policy;
        o.BatchNormLayers = net.BatchNormLayers;
        if (net.HiddenBatchNorm is { } hiddenBn) o.BatchNormHiddenLayers = hiddenBn;
        else if (net.BatchNormLayers is not null) o.BatchNormHiddenLayers = BatchNormHiddenLayers.Last;   // the list decides (after RecipeOff's Every)
        if (net.Poisson && o is BatchNormMlpRegressionTrainer.Options r) r.Loss = RegressionLoss.Poisson;
        return o;
    }

    /// <summary>
    /// Label preparation, OneHotEncoding of the text column, Concatenate, then the BN-MLP
    /// (and for multiclass MapKeyToValue of the predicted key, as a user would write it).
    /// </summary>
    public static IEstimator<ITransformer> Pipeline(MLContext ml, OnnxTask task, Net net)
    {
        var features = ml.Transforms.Categorical.OneHotEncoding("ColorEncoded", nameof(OnnxRow.Color))
            .Append(ml.Transforms.Concatenate("Features", "ColorEncoded", nameof(OnnxRow.X1), nameof(OnnxRow.X2), nameof(OnnxRow.X3)));
        return task switch
        {
            OnnxTask.Binary => ml.Transforms.CopyColumns("Label", nameof(OnnxRow.IsPositive)).Append(features)
                .Append(ml.BinaryClassification.Trainers.BatchNormMlp(Configure(new BatchNormMlpBinaryTrainer.Options(), net))),
            OnnxTask.Multiclass => ml.Transforms.Conversion.MapValueToKey("Label", nameof(OnnxRow.Class)).Append(features)
                .Append(ml.MulticlassClassification.Trainers.BatchNormMlp(Configure(new BatchNormMlpMulticlassTrainer.Options(), net)))
                .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel")),
            _ => ml.Transforms.CopyColumns("Label", nameof(OnnxRow.Target)).Append(features)
                .Append(ml.Regression.Trainers.BatchNormMlp(Configure(new BatchNormMlpRegressionTrainer.Options(), net))),
        };
    }

    /// <summary>The BN-MLP model parameters inside a fitted <see cref="Pipeline"/>.</summary>
    public static BatchNormMlpModelParameters ModelOf(ITransformer model)
    {
        foreach (var t in (IEnumerable<ITransformer>)model)
            if (t is ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters> p)
                return p.Model;
        throw new InvalidOperationException("No BatchNormMlp in the pipeline.");
    }
}
