using BnMlNet.Tests.Recipe;
using BnMlNet.Tests.Reliability;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Tests.Scoring;

/// <summary>The heads <see cref="VectorScoring.Train"/> fits.</summary>
public enum VectorTask { Binary, Multiclass, Regression, Poisson }

/// <summary>
/// The scaffolding of the non-finite scoring tests (Scoring/NonFiniteScoringTests, Scoring/NonFiniteScoringPolicyTests):
/// a BN-MLP trained on <see cref="ReliabilityData"/>'s 3-slot rows under a chosen feature column name, and its scores
/// row by row through Transform and through a PredictionEngine.
/// </summary>
internal static class VectorScoring
{
    private sealed class VectorOutput { public float[] Score { get; set; } = []; }

    private sealed class ScalarOutput { public float Score { get; set; } }

    /// <summary>
    /// Fits <paramref name="rows"/> (Features copied into <paramref name="column"/>) with the <paramref name="task"/> head:
    /// the tabular recipe off unless <paramref name="preprocessing"/>, <paramref name="hidden"/> layers,
    /// <paramref name="epochs"/> epochs, seed 1, one thread, then the options as <paramref name="configure"/> sets them.
    /// </summary>
    public static ITransformer Train(MLContext ml, VectorTask task, List<VectorRow> rows, string column, bool preprocessing,
        int[] hidden, int epochs, Action<BatchNormMlpOptionsBase> configure)
    {
        T Configure<T>(T o) where T : BatchNormMlpOptionsBase
        {
            if (!preprocessing) RecipeOff.Apply(o);
            o.HiddenLayerSizes = hidden;
            o.NumberOfEpochs = epochs;
            o.Seed = 1;
            o.NumberOfThreads = 1;
            configure(o);
            o.FeatureColumnName = column;
            return o;
        }
        var copy = ml.Transforms.CopyColumns(column, nameof(VectorRow.Features));
        IEstimator<ITransformer> pipeline = task switch
        {
            VectorTask.Binary => copy.Append(ml.BinaryClassification.Trainers.BatchNormMlp(Configure(new BatchNormMlpBinaryTrainer.Options { LabelColumnName = nameof(VectorRow.Label) }))),
            VectorTask.Multiclass => copy.Append(ml.Transforms.Conversion.MapValueToKey("Key", nameof(VectorRow.Class)))
                .Append(ml.MulticlassClassification.Trainers.BatchNormMlp(Configure(new BatchNormMlpMulticlassTrainer.Options { LabelColumnName = "Key" }))),
            VectorTask.Poisson => copy.Append(ml.Regression.Trainers.BatchNormMlp(Configure(new BatchNormMlpRegressionTrainer.Options
                { LabelColumnName = nameof(VectorRow.Target), Loss = RegressionLoss.Poisson }))),
            _ => copy.Append(ml.Regression.Trainers.BatchNormMlp(Configure(new BatchNormMlpRegressionTrainer.Options { LabelColumnName = nameof(VectorRow.Target) }))),
        };
        return pipeline.Fit(ml.Data.LoadFromEnumerable(rows));
    }

    /// <summary>The BN-MLP model parameters of a fitted (or loaded) chain.</summary>
    public static BatchNormMlpModelParameters ModelOf(ITransformer model) => model switch
    {
        IEnumerable<ITransformer> chain => ModelOf(chain.Last(t => t is ISingleFeaturePredictionTransformer<object> or IEnumerable<ITransformer>)),
        ISingleFeaturePredictionTransformer<object> p => (BatchNormMlpModelParameters)p.Model,
        _ => throw new InvalidOperationException(model.GetType().Name),
    };

    /// <summary>A row with the features <paramref name="x"/>.</summary>
    public static VectorRow Row(params float[] x) => new() { Features = x, Class = "a" };

    /// <summary>Score per row through Transform (the score column: one value, or the class probabilities).</summary>
    public static float[][] ByTransform(MLContext ml, ITransformer model, VectorTask task, List<VectorRow> rows)
    {
        var scored = model.Transform(ml.Data.LoadFromEnumerable(rows));
        return task == VectorTask.Multiclass
            ? scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray()
            : scored.GetColumn<float>("Score").Select(v => new[] { v }).ToArray();
    }

    /// <summary>Score per row through a PredictionEngine, in the same shape as <see cref="ByTransform"/>.</summary>
    public static float[][] ByEngine(MLContext ml, ITransformer model, VectorTask task, List<VectorRow> rows)
    {
        if (task == VectorTask.Multiclass)
        {
            using var engine = ml.Model.CreatePredictionEngine<VectorRow, VectorOutput>(model);
            return rows.Select(r => engine.Predict(r).Score.ToArray()).ToArray();
        }
        using var scalar = ml.Model.CreatePredictionEngine<VectorRow, ScalarOutput>(model);
        return rows.Select(r => new[] { scalar.Predict(r).Score }).ToArray();
    }

    /// <summary>The messages of <paramref name="e"/> and its inner exceptions, joined by " | ".</summary>
    public static string MessageChain(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + MessageChain(e.InnerException);
}
