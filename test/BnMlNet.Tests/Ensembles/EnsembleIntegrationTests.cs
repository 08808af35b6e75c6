using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Onnx;
using BnMlNet.Tests.Recipe;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Tests.Ensembles;

/// <summary>
/// <see cref="BatchNormMlpOptionsBase.EnsembleSize"/> &gt; 1 through ML.NET: Transform equals PredictionEngine,
/// CrossValidate, permutation feature importance, a fresh-process round trip bit for bit, ONNX parity through ONNX
/// Runtime on all three tasks, and the validation figures computed on the ensemble's mean prediction (checked against
/// ML.NET's own evaluator).
/// </summary>
[TestClass]
public sealed class EnsembleIntegrationTests
{
    private const int K = 4;

    private static IEstimator<ITransformer> Pipeline(MLContext ml, string kind, int k = K) => kind switch
    {
        "binary" => ml.Transforms.CopyColumns("Label", nameof(RawRow.IsPositive)).Append(SyntheticData.Featurize(ml))
            .Append(ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options { HiddenLayerSizes = [16, 8], NumberOfEpochs = 20, BatchSize = 32, EnsembleSize = k, Seed = 1 })),
        "multiclass" => ml.Transforms.Conversion.MapValueToKey("Label", nameof(RawRow.Class)).Append(SyntheticData.Featurize(ml))
            .Append(ml.MulticlassClassification.Trainers.BatchNormMlp(new BatchNormMlpMulticlassTrainer.Options { HiddenLayerSizes = [16, 8], NumberOfEpochs = 20, BatchSize = 32, EnsembleSize = k, Seed = 1 })),
        "regression-poisson" => ml.Transforms.CopyColumns("Label", nameof(RawRow.Target)).Append(SyntheticData.Featurize(ml))
            .Append(ml.Regression.Trainers.BatchNormMlp(new BatchNormMlpRegressionTrainer.Options { HiddenLayerSizes = [16, 8], NumberOfEpochs = 20, BatchSize = 32, Loss = RegressionLoss.Poisson, EnsembleSize = k, Seed = 1 })),
        _ => ml.Transforms.CopyColumns("Label", nameof(RawRow.Target)).Append(SyntheticData.Featurize(ml))
            .Append(ml.Regression.Trainers.BatchNormMlp(new BatchNormMlpRegressionTrainer.Options { HiddenLayerSizes = [16, 8], NumberOfEpochs = 20, BatchSize = 32, EnsembleSize = k, Seed = 1 })),
    };

    private sealed class Scored
    {
        public float Score { get; set; }
    }

    private sealed class ScoredBinary
    {
        public float Score { get; set; }
        public float Probability { get; set; }
    }

    private sealed class ScoredVector
    {
        public float[] Score { get; set; } = [];
    }

    [TestMethod]
    [DataRow("binary")]
    [DataRow("multiclass")]
    [DataRow("regression")]
    [DataRow("regression-poisson")]
    public void TransformAndPredictionEngineAgreeAndTheModelIsAnEnsemble(string kind)
    {
        var ml = new MLContext(seed: 1);
        var rows = IntegrationData.Rows(300, 1);
        var model = Pipeline(ml, kind).Fit(ml.Data.LoadFromEnumerable(rows));
        var parameters = ((IEnumerable<ITransformer>)model).OfType<ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters>>().Single().Model;
        Assert.AreEqual(K, parameters.EnsembleSize);
        Assert.AreEqual(K * parameters.OutputCount, parameters.Layers[^1].OutputSize, "the last layer holds the members side by side");
        var probe = IntegrationData.Rows(50, 2);
        var bulk = IntegrationData.Flat(model.Transform(ml.Data.LoadFromEnumerable(probe)));
        Assert.IsTrue(bulk.All(float.IsFinite));
        float[] single = kind switch
        {
            "multiclass" => probe.SelectMany(r => ml.Model.CreatePredictionEngine<RawRow, ScoredVector>(model).Predict(r).Score).ToArray(),
            "binary" => probe.Select(r => ml.Model.CreatePredictionEngine<RawRow, ScoredBinary>(model).Predict(r).Score).ToArray(),
            _ => probe.Select(r => ml.Model.CreatePredictionEngine<RawRow, Scored>(model).Predict(r).Score).ToArray(),
        };
        CollectionAssert.AreEqual(bulk, single);
        if (kind == "multiclass")
            for (int r = 0; r < probe.Count; r++)
                Assert.AreEqual(1.0, bulk.Skip(3 * r).Take(3).Sum(), 1e-5, "the mean of the members' probabilities sums to 1");
    }

    [TestMethod]
    public void CrossValidateAndPermutationFeatureImportanceWithAnEnsemble()
    {
        var ml = new MLContext(seed: 1);
        IntegrationData.AssertClassifiersCrossValidate(ml, IntegrationData.Rows(600, 1), Pipeline(ml, "binary"), Pipeline(ml, "multiclass"));
        var data = ml.Data.LoadFromEnumerable(IntegrationData.Rows(600, 1));
        var r = ml.Regression.CrossValidate(data, Pipeline(ml, "regression-poisson"), numberOfFolds: 3);
        Assert.IsTrue(r.All(f => f.Metrics.RSquared > 0.3), string.Join(", ", r.Select(f => f.Metrics.RSquared)));

        // Features = [red, green, blue, X1, X2]; every label depends on X1 most.
        IntegrationData.AssertPermutingX1HurtsAuc(ml, Pipeline(ml, "binary"), data);
        IntegrationData.AssertPermutingX1HurtsRSquared(ml, Pipeline(ml, "regression"), data);
    }

    [TestMethod]
    [DataRow("binary")]
    [DataRow("multiclass")]
    [DataRow("regression-poisson")]
    public void RoundTripsInAFreshProcessBitForBit(string kind)
    {
        var ml = new MLContext(seed: 1);
        IntegrationData.AssertRoundTripsInAFreshProcessBitForBit(ml, Pipeline(ml, kind), trainRows: 300, probeRows: 60);
    }

    [TestMethod]
    [DataRow(OnnxTask.Binary)]
    [DataRow(OnnxTask.Multiclass)]
    [DataRow(OnnxTask.Regression)]
    public void OnnxExportOfAnEnsembleMatchesThroughOnnxRuntime(OnnxTask task)
    {
        var ml = new MLContext(seed: 1);
        var (train, test, testRows) = OnnxTestData.Split(ml);
        var model = OnnxTestData.Pipeline(ml, task, new OnnxTestData.Net(Activation.Gelu, InputBatchNorm: false, EnsembleSize: 3)).Fit(train);
        Assert.AreEqual(3, OnnxTestData.ModelOf(model).Layers[^1].OutputSize / OnnxTestData.ModelOf(model).OutputCount);
        byte[] onnx = OnnxRunner.Export(ml, model, train);
        OnnxParity.AssertOutputsMatch(ml, task, model, test, OnnxRunner.Run(onnx, testRows), $"{task} k=3");
        OnnxParity.AssertReimportedMetricsMatch(ml, task, model, test, onnx);
        using (BatchNormMlpOnnxExport.FoldBatchNormalization())
            OnnxParity.AssertOutputsMatch(ml, task, model, test, OnnxRunner.Run(OnnxRunner.Export(ml, model, train), testRows), $"folded {task} k=3");
        Assert.IsTrue(OnnxProtoReader.Read(onnx).Nodes.Any(n => n.OpType == "Reshape"), "the member axis is made explicit");
    }

    [TestMethod]
    public void TheValidationFiguresAreThoseOfTheEnsemblesMeanPrediction()
    {
        // RMSE of the kept model on the explicit validation set, by ML.NET's evaluator, equals the last epoch's
        // validation metric: the engine scored validation with the members' mean, not with one member.
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(SyntheticData.Rows(300, 1));
        var valid = ml.Data.LoadFromEnumerable(SyntheticData.Rows(100, 5));
        var features = ml.Transforms.CopyColumns("Label", nameof(RawRow.Target)).Append(SyntheticData.Featurize(ml)).Fit(train);
        var trainer = ml.Regression.Trainers.BatchNormMlp(new BatchNormMlpRegressionTrainer.Options
        { HiddenLayerSizes = [16, 8], NumberOfEpochs = 6, BatchSize = 32, EnsembleSize = K, EarlyStoppingPatience = 0, Seed = 2 });
        var v = features.Transform(valid);
        var model = trainer.Fit(features.Transform(train), v);
        double rmse = ml.Regression.Evaluate(model.Transform(v)).RootMeanSquaredError;
        double reported = model.Model.TrainingHistory[^1].ValidationMetric!.Value;
        Assert.AreEqual(rmse, reported, 1e-4 * rmse, "validation RMSE of the ensemble");
    }

    [TestMethod]
    public void AnEnsembleSizeOutOfRangeIsRefusedAtCreation()
    {
        var ml = new MLContext(1);
        var e = Assert.Throws<ArgumentException>(() => ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options { EnsembleSize = 0 }));
        Assert.AreEqual(nameof(BatchNormMlpOptionsBase.EnsembleSize), e.ParamName);
        StringAssert.Contains(e.Message, "in [1, 32]");
    }
}
