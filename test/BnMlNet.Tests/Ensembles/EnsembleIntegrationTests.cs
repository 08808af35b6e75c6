using System.Diagnostics;
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

    private static List<RawRow> Rows(int count, int seed) =>
        CompatibilityV2Fixture.WithHoles(SyntheticData.Rows(count, seed)).Select(r =>
        {
            r.Target = MathF.Round(MathF.Exp(r.Target / 3f));   // a count, for the Poisson loss
            return r;
        }).ToList();

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

    private static float[] Flat(IDataView v) => v.Schema["Score"].Type is VectorDataViewType
        ? v.GetColumn<VBuffer<float>>("Score").SelectMany(b => b.DenseValues()).ToArray()
        : v.GetColumn<float>("Score").ToArray();

    [TestMethod]
    [DataRow("binary")]
    [DataRow("multiclass")]
    [DataRow("regression")]
    [DataRow("regression-poisson")]
    public void TransformAndPredictionEngineAgreeAndTheModelIsAnEnsemble(string kind)
    {
        var ml = new MLContext(seed: 1);
        var rows = Rows(300, 1);
        var model = Pipeline(ml, kind).Fit(ml.Data.LoadFromEnumerable(rows));
        var parameters = ((IEnumerable<ITransformer>)model).OfType<ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters>>().Single().Model;
        Assert.AreEqual(K, parameters.EnsembleSize);
        Assert.AreEqual(K * parameters.OutputCount, parameters.Layers[^1].OutputSize, "the last layer holds the members side by side");
        var probe = Rows(50, 2);
        var bulk = Flat(model.Transform(ml.Data.LoadFromEnumerable(probe)));
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
        var data = ml.Data.LoadFromEnumerable(Rows(600, 1));
        var b = ml.BinaryClassification.CrossValidate(data, Pipeline(ml, "binary"), numberOfFolds: 3);
        Assert.IsTrue(b.All(f => f.Metrics.AreaUnderRocCurve > 0.85), string.Join(", ", b.Select(f => f.Metrics.AreaUnderRocCurve)));
        var m = ml.MulticlassClassification.CrossValidate(data, Pipeline(ml, "multiclass"), numberOfFolds: 3);
        double majority = Rows(600, 1).GroupBy(r => r.Class).Max(g => g.Count()) / 600.0;
        Assert.IsTrue(m.All(f => f.Metrics.MicroAccuracy > majority + 0.1), $"majority {majority:F3}: " + string.Join(", ", m.Select(f => f.Metrics.MicroAccuracy)));
        var r = ml.Regression.CrossValidate(data, Pipeline(ml, "regression-poisson"), numberOfFolds: 3);
        Assert.IsTrue(r.All(f => f.Metrics.RSquared > 0.3), string.Join(", ", r.Select(f => f.Metrics.RSquared)));

        // Features = [red, green, blue, X1, X2]; every label depends on X1 most.
        var (binModel, binData) = Split(Pipeline(ml, "binary").Fit(data), data);
        var pfi = ml.BinaryClassification.PermutationFeatureImportance((BinaryPredictionTransformer<BatchNormMlpModelParameters>)binModel, binData, permutationCount: 1);
        Assert.IsLessThan(-0.05, pfi[3].AreaUnderRocCurve.Mean, "permuting X1 hurts AUC");
        var (regModel, regData) = Split(Pipeline(ml, "regression").Fit(data), data);
        var rpfi = ml.Regression.PermutationFeatureImportance((RegressionPredictionTransformer<BatchNormMlpModelParameters>)regModel, regData, permutationCount: 1);
        Assert.IsLessThan(-0.1, rpfi[3].RSquared.Mean, "permuting X1 hurts R²");
    }

    private static (ITransformer Predictor, IDataView Data) Split(ITransformer chain, IDataView data)
    {
        var parts = ((IEnumerable<ITransformer>)chain).ToList();
        foreach (var t in parts.Take(parts.Count - 1)) data = t.Transform(data);
        return (parts[^1], data);
    }

    [TestMethod]
    [DataRow("binary")]
    [DataRow("multiclass")]
    [DataRow("regression-poisson")]
    public void RoundTripsInAFreshProcessBitForBit(string kind)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Rows(300, 1));
        var probe = ml.Data.LoadFromEnumerable(Rows(60, 2));
        var model = Pipeline(ml, kind).Fit(train);
        string dir = Directory.CreateTempSubdirectory("bnmlnet-ensemble-").FullName;
        try
        {
            string modelPath = Path.Combine(dir, "model.zip"), inputPath = Path.Combine(dir, "input.idv"), outputPath = Path.Combine(dir, "output.idv");
            ml.Model.Save(model, train.Schema, modelPath);
            using (var input = File.Create(inputPath)) ml.Data.SaveAsBinary(probe, input);
            string exe = Path.Combine(AppContext.BaseDirectory, "BnMlNet.FreshProcess.dll");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "exec", exe, modelPath, inputPath, outputPath }) start.ArgumentList.Add(a);
            using (var process = Process.Start(start)!)
            {
                string stdout = process.StandardOutput.ReadToEnd(), stderr = process.StandardError.ReadToEnd();
                Assert.IsTrue(process.WaitForExit(120_000), "the fresh process did not finish");
                Assert.AreEqual(0, process.ExitCode, stdout + stderr);
            }
            var scores = Flat(model.Transform(probe));
            Assert.IsTrue(scores.All(float.IsFinite));
            CollectionAssert.AreEqual(scores, Flat(new MLContext().Data.LoadFromBinary(outputPath)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
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
