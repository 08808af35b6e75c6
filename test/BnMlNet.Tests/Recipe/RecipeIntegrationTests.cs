using System.Diagnostics;
using BnMlNet.Tests.MlNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// The recipe's pieces that are off by default (UnbalancedSets, ClassWeights, the Poisson and Huber losses), switched
/// on together with the default ones (imputation on rows with NaN, robust scaling, hold-out, standardized label), through
/// CrossValidate, permutation feature importance and a round trip into a fresh process. (The default pieces alone are
/// covered by MlNet/EvaluationIntegrationTests and Persistence/PersistenceTests, which run on the defaults.)
/// </summary>
[TestClass]
public sealed class RecipeIntegrationTests
{
    private static List<RawRow> Rows(int count, int seed) =>
        CompatibilityV2Fixture.WithHoles(SyntheticData.Rows(count, seed)).Select(r =>
        {
            r.Target = MathF.Round(MathF.Exp(r.Target / 3f));   // a count, for the Poisson loss
            return r;
        }).ToList();

    private static IEstimator<ITransformer> Pipeline(MLContext ml, string kind) => kind switch
    {
        "binary-unbalanced" => ml.Transforms.CopyColumns("Label", nameof(RawRow.IsPositive)).Append(SyntheticData.Featurize(ml))
            .Append(ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options { HiddenLayerSizes = [16], NumberOfEpochs = 30, BatchSize = 32, UnbalancedSets = true, Seed = 1 })),
        "multiclass-weighted" => ml.Transforms.Conversion.MapValueToKey("Label", nameof(RawRow.Class)).Append(SyntheticData.Featurize(ml))
            .Append(ml.MulticlassClassification.Trainers.BatchNormMlp(new BatchNormMlpMulticlassTrainer.Options { HiddenLayerSizes = [16], NumberOfEpochs = 30, BatchSize = 32, ClassWeights = [1f, 2f, 0.5f], Seed = 1 })),
        "regression-poisson" => ml.Transforms.CopyColumns("Label", nameof(RawRow.Target)).Append(SyntheticData.Featurize(ml))
            .Append(ml.Regression.Trainers.BatchNormMlp(new BatchNormMlpRegressionTrainer.Options { HiddenLayerSizes = [16], NumberOfEpochs = 30, BatchSize = 32, Loss = RegressionLoss.Poisson, Seed = 1 })),
        _ => ml.Transforms.CopyColumns("Label", nameof(RawRow.Target)).Append(SyntheticData.Featurize(ml))
            .Append(ml.Regression.Trainers.BatchNormMlp(new BatchNormMlpRegressionTrainer.Options { HiddenLayerSizes = [16], NumberOfEpochs = 30, BatchSize = 32, Loss = RegressionLoss.Huber, Seed = 1 })),
    };

    [TestMethod]
    public void CrossValidateWithTheOptionalPiecesOn()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows(600, 1));
        var b = ml.BinaryClassification.CrossValidate(data, Pipeline(ml, "binary-unbalanced"), numberOfFolds: 3);
        Assert.IsTrue(b.All(f => f.Metrics.AreaUnderRocCurve > 0.85), string.Join(", ", b.Select(f => f.Metrics.AreaUnderRocCurve)));
        var m = ml.MulticlassClassification.CrossValidate(data, Pipeline(ml, "multiclass-weighted"), numberOfFolds: 3);
        double majority = Rows(600, 1).GroupBy(r => r.Class).Max(g => g.Count()) / 600.0;
        Assert.IsTrue(m.All(f => f.Metrics.MicroAccuracy > majority + 0.1), $"majority class {majority:F3}: " + string.Join(", ", m.Select(f => f.Metrics.MicroAccuracy)));
        foreach (var kind in new[] { "regression-poisson", "regression-huber" })
        {
            var r = ml.Regression.CrossValidate(data, Pipeline(ml, kind), numberOfFolds: 3);
            Assert.IsTrue(r.All(f => f.Metrics.RSquared > 0.3 && double.IsFinite(f.Metrics.RootMeanSquaredError)), $"{kind}: " + string.Join(", ", r.Select(f => f.Metrics.RSquared)));
        }
    }

    [TestMethod]
    public void PermutationFeatureImportanceWithTheOptionalPiecesOn()
    {
        // Features = [red, green, blue, X1, X2]; every label depends on X1 most.
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows(800, 1));
        var (binModel, binData) = Split(Pipeline(ml, "binary-unbalanced").Fit(data), data);
        var binaryPfi = ml.BinaryClassification.PermutationFeatureImportance(
            (BinaryPredictionTransformer<BatchNormMlpModelParameters>)binModel, binData, permutationCount: 1);
        Assert.IsLessThan(-0.05, binaryPfi[3].AreaUnderRocCurve.Mean, "permuting X1 hurts AUC");
        var (poisson, regData) = Split(Pipeline(ml, "regression-poisson").Fit(data), data);
        var regressionPfi = ml.Regression.PermutationFeatureImportance((RegressionPredictionTransformer<BatchNormMlpModelParameters>)poisson, regData, permutationCount: 1);
        Assert.IsLessThan(-0.1, regressionPfi[3].RSquared.Mean, "permuting X1 hurts R²");
        var (multi, multiData) = Split(Pipeline(ml, "multiclass-weighted").Fit(data), data);
        var multiPfi = ml.MulticlassClassification.PermutationFeatureImportance((MulticlassPredictionTransformer<BatchNormMlpModelParameters>)multi, multiData, permutationCount: 1);
        Assert.IsLessThan(-0.05, multiPfi[3].MicroAccuracy.Mean, "permuting X1 hurts accuracy");
    }

    /// <summary>The chain's prediction transformer and the data as it enters it.</summary>
    private static (ITransformer Predictor, IDataView Data) Split(ITransformer chain, IDataView data)
    {
        var parts = ((IEnumerable<ITransformer>)chain).ToList();
        foreach (var t in parts.Take(parts.Count - 1)) data = t.Transform(data);
        return (parts[^1], data);
    }

    [TestMethod]
    [DataRow("binary-unbalanced")]
    [DataRow("multiclass-weighted")]
    [DataRow("regression-poisson")]
    [DataRow("regression-huber")]
    public void RoundTripsInAFreshProcessBitForBit(string kind)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Rows(400, 1));
        var probe = ml.Data.LoadFromEnumerable(Rows(80, 2));
        var model = Pipeline(ml, kind).Fit(train);
        string dir = Directory.CreateTempSubdirectory("bnmlnet-recipe-").FullName;
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
            var expected = model.Transform(probe);
            var actual = new MLContext().Data.LoadFromBinary(outputPath);
            float[] Flat(IDataView v) => v.Schema["Score"].Type is VectorDataViewType
                ? v.GetColumn<VBuffer<float>>("Score").SelectMany(b => b.DenseValues()).ToArray()
                : v.GetColumn<float>("Score").ToArray();
            var scores = Flat(expected);
            Assert.IsTrue(scores.All(float.IsFinite), "rows with NaN score finitely");
            CollectionAssert.AreEqual(scores, Flat(actual));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
