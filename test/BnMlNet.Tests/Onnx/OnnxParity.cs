using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Onnx;

/// <summary>Compares what ONNX Runtime computes from an exported model with what the ML.NET model computes.</summary>
internal static class OnnxParity
{
    public const double Tolerance = 1e-5;

    /// <summary>Max |Δ| ≤ 1e-5 for Score and Probability, identical PredictedLabel (and PredictedClass for multiclass).</summary>
    public static void AssertOutputsMatch(MLContext ml, OnnxTask task, ITransformer model, IDataView test, Dictionary<string, Array> onnx, string what)
    {
        var scored = model.Transform(test);
        switch (task)
        {
            case OnnxTask.Binary:
                AssertClose(scored.GetColumn<float>("Score").ToArray(), OnnxRunner.Output<float>(onnx, "Score"), $"{what}: Score");
                AssertClose(scored.GetColumn<float>("Probability").ToArray(), OnnxRunner.Output<float>(onnx, "Probability"), $"{what}: Probability");
                CollectionAssert.AreEqual(scored.GetColumn<bool>("PredictedLabel").ToArray(), OnnxRunner.Output<bool>(onnx, "PredictedLabel"), $"{what}: PredictedLabel");
                break;
            case OnnxTask.Multiclass:
                AssertClose(scored.GetColumn<float[]>("Score").SelectMany(s => s).ToArray(), OnnxRunner.Output<float>(onnx, "Score"), $"{what}: Score");
                CollectionAssert.AreEqual(scored.GetColumn<uint>("PredictedLabel").ToArray(), OnnxRunner.Output<uint>(onnx, "PredictedLabel"), $"{what}: PredictedLabel (key)");
                CollectionAssert.AreEqual(scored.GetColumn<string>("PredictedClass").ToArray(), OnnxRunner.Output<string>(onnx, "PredictedClass"), $"{what}: PredictedClass (value)");
                break;
            default:
                AssertClose(scored.GetColumn<float>("Score").ToArray(), OnnxRunner.Output<float>(onnx, "Score"), $"{what}: Score");
                break;
        }
    }

    public static void AssertClose(float[] expected, float[] actual, string what, double tolerance = Tolerance)
    {
        Assert.HasCount(expected.Length, actual, $"{what}: length");
        double max = 0;
        int worst = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs((double)expected[i] - actual[i]);
            if (double.IsNaN(d) || d > max) { max = double.IsNaN(d) ? double.PositiveInfinity : d; worst = i; }
        }
        Assert.IsLessThanOrEqualTo(tolerance, max, $"{what}: max |Δ| = {max:G3} at {worst} (expected {(worst >= 0 ? expected[worst] : 0)}, got {(worst >= 0 ? actual[worst] : 0)})");
    }

    /// <summary>
    /// Re-imports the ONNX file with ML.NET's ApplyOnnxModel, evaluates its outputs with ML.NET's evaluator and
    /// compares the metrics with those of the original model on the same rows.
    /// </summary>
    public static void AssertReimportedMetricsMatch(MLContext ml, OnnxTask task, ITransformer model, IDataView test, byte[] onnxModel)
    {
        string path = Path.Combine(Path.GetTempPath(), $"bnmlnet-onnx-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, onnxModel);
        try
        {
            using var onnxTransformer = ml.Transforms.ApplyOnnxModel(path).Fit(test);
            var reimported = onnxTransformer.Transform(test);
            var original = model.Transform(test);
            switch (task)
            {
                case OnnxTask.Binary:
                {
                    var rows = new List<BinaryEvalRow>();
                    var label = Flat<bool>(reimported, "Label");
                    var score = Flat<float>(reimported, "Score");
                    var probability = Flat<float>(reimported, "Probability");
                    var predicted = Flat<bool>(reimported, "PredictedLabel");
                    for (int i = 0; i < label.Length; i++)
                        rows.Add(new BinaryEvalRow { Label = label[i], Score = score[i], Probability = probability[i], PredictedLabel = predicted[i] });
                    var expected = ml.BinaryClassification.Evaluate(original);
                    var actual = ml.BinaryClassification.Evaluate(ml.Data.LoadFromEnumerable(rows));
                    AssertMetric(expected.Accuracy, actual.Accuracy, "Accuracy", exact: true);
                    AssertMetric(expected.F1Score, actual.F1Score, "F1", exact: true);
                    AssertMetric(expected.AreaUnderRocCurve, actual.AreaUnderRocCurve, "AUC");
                    AssertMetric(expected.AreaUnderPrecisionRecallCurve, actual.AreaUnderPrecisionRecallCurve, "AUPRC");
                    AssertMetric(expected.LogLoss, actual.LogLoss, "LogLoss");
                    AssertMetric(expected.LogLossReduction, actual.LogLossReduction, "LogLossReduction");
                    break;
                }
                case OnnxTask.Multiclass:
                {
                    int k = OnnxTestData.ClassCount;
                    var label = Flat<uint>(reimported, "Label");
                    var score = Flat<float>(reimported, "Score");
                    var predicted = Flat<uint>(reimported, "PredictedLabel");
                    var rows = new List<MulticlassEvalRow>();
                    // LoadFromEnumerable reads a key property as the 0-based index (it shows value v as key v + 1).
                    for (int i = 0; i < label.Length; i++)
                        rows.Add(new MulticlassEvalRow { Label = label[i] - 1, Score = score[(i * k)..((i + 1) * k)], PredictedLabel = predicted[i] - 1 });
                    var schema = SchemaDefinition.Create(typeof(MulticlassEvalRow));
                    schema[nameof(MulticlassEvalRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), k);
                    schema[nameof(MulticlassEvalRow.PredictedLabel)].ColumnType = new KeyDataViewType(typeof(uint), k);
                    schema[nameof(MulticlassEvalRow.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, k);
                    var view = ml.Data.LoadFromEnumerable(rows, schema);
                    CollectionAssert.AreEqual(label, view.GetColumn<uint>(nameof(MulticlassEvalRow.Label)).ToArray(), "label keys in the evaluation view");
                    var expected = ml.MulticlassClassification.Evaluate(original);
                    var actual = ml.MulticlassClassification.Evaluate(view);
                    AssertMetric(expected.MicroAccuracy, actual.MicroAccuracy, "MicroAccuracy", exact: true);
                    AssertMetric(expected.MacroAccuracy, actual.MacroAccuracy, "MacroAccuracy", exact: true);
                    AssertMetric(expected.LogLoss, actual.LogLoss, "LogLoss");
                    AssertMetric(expected.LogLossReduction, actual.LogLossReduction, "LogLossReduction");
                    break;
                }
                default:
                {
                    var label = Flat<float>(reimported, "Label");
                    var score = Flat<float>(reimported, "Score");
                    var rows = label.Select((l, i) => new RegressionEvalRow { Label = l, Score = score[i] }).ToList();
                    var expected = ml.Regression.Evaluate(original);
                    var actual = ml.Regression.Evaluate(ml.Data.LoadFromEnumerable(rows));
                    AssertMetric(expected.MeanAbsoluteError, actual.MeanAbsoluteError, "MAE");
                    AssertMetric(expected.MeanSquaredError, actual.MeanSquaredError, "MSE");
                    AssertMetric(expected.RootMeanSquaredError, actual.RootMeanSquaredError, "RMSE");
                    AssertMetric(expected.RSquared, actual.RSquared, "R²");
                    break;
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Equal metrics: exactly for counts-based ones, to 1e-5 (relative to max(1, |value|)) for score-based ones.</summary>
    private static void AssertMetric(double expected, double actual, string name, bool exact = false)
    {
        if (exact) Assert.AreEqual(expected, actual, $"{name} of the re-imported ONNX model");
        else Assert.AreEqual(expected, actual, Tolerance * Math.Max(1, Math.Abs(expected)), $"{name} of the re-imported ONNX model");
    }

    /// <summary>
    /// A column read row by row and flattened. ApplyOnnxModel names each column after the graph output without the
    /// converter's ".output" suffix (so it hides the input column of the same name) and gives it as a vector: the tensor's row.
    /// </summary>
    private static T[] Flat<T>(IDataView data, string column)
    {
        var col = data.Schema.GetColumnOrNull(column)
            ?? throw new KeyNotFoundException($"No column '{column}'; columns: {string.Join(", ", data.Schema.Select(c => $"{c.Name}:{c.Type}"))}.");
        var type = col.Type;
        return type is VectorDataViewType
            ? data.GetColumn<VBuffer<T>>(column).SelectMany(v => v.DenseValues()).ToArray()
            : data.GetColumn<T>(column).ToArray();
    }

    private sealed class BinaryEvalRow
    {
        public bool Label { get; set; }
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    private sealed class MulticlassEvalRow
    {
        public uint Label { get; set; }
        public float[] Score { get; set; } = [];
        public uint PredictedLabel { get; set; }
    }

    private sealed class RegressionEvalRow
    {
        public float Label { get; set; }
        public float Score { get; set; }
    }
}
