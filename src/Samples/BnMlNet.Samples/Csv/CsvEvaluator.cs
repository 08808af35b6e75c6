using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace BnMlNet.Samples.Csv;

/// <summary>One named metric value.</summary>
/// <param name="Name">E.g. "AUC".</param>
/// <param name="Value">The value.</param>
public sealed record Metric(string Name, double Value);

/// <summary>Evaluates a model from <c>train</c> on a labelled CSV with ML.NET's evaluators.</summary>
public static class CsvEvaluator
{
    /// <summary>The task's metrics on <paramref name="input"/> (loaded with its label).</summary>
    public static IReadOnlyList<Metric> Evaluate(MLContext ml, CsvModelInput input)
    {
        var scored = input.Model.Transform(input.Data);
        string label = input.Sidecar.Label;
        switch (input.Sidecar.Task)
        {
            case MlTask.Binary:
            {
                var m = ml.BinaryClassification.Evaluate(scored, labelColumnName: label);
                return [new("AUC", m.AreaUnderRocCurve), new("Accuracy", m.Accuracy), new("F1", m.F1Score), new("LogLoss", m.LogLoss)];
            }
            case MlTask.Multiclass:
            {
                // PredictedLabel is the class name (MapKeyToValue in the model); map it and the label back to keys in
                // the training order (the sidecar's classes, by value as in training).
                var keys = ml.Data.LoadFromEnumerable(input.Sidecar.Classes.Select(c => new ClassRow { Value = c }));
                var asKeys = ml.Transforms.Conversion.MapValueToKey(CsvModelTrainer.LabelKeyColumn, label,
                        keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue, keyData: keys)
                    .Append(ml.Transforms.Conversion.MapValueToKey("__PredictedKey", "PredictedLabel",
                        keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue, keyData: keys))
                    .Fit(scored).Transform(scored);
                var m = ml.MulticlassClassification.Evaluate(asKeys, labelColumnName: CsvModelTrainer.LabelKeyColumn,
                    predictedLabelColumnName: "__PredictedKey");
                return [new("MicroAccuracy", m.MicroAccuracy), new("MacroAccuracy", m.MacroAccuracy), new("LogLoss", m.LogLoss)];
            }
            default:
            {
                var m = ml.Regression.Evaluate(scored, labelColumnName: label);
                return [new("R2", m.RSquared), new("RMSE", m.RootMeanSquaredError), new("MAE", m.MeanAbsoluteError)];
            }
        }
    }

    /// <summary>One class value, the row type of the key data.</summary>
    public sealed class ClassRow
    {
        /// <summary>The class value.</summary>
        public string Value { get; set; } = "";
    }
}
