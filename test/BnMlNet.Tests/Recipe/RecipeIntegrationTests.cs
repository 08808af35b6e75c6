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
        IntegrationData.AssertClassifiersCrossValidate(ml, IntegrationData.Rows(600, 1), Pipeline(ml, "binary-unbalanced"), Pipeline(ml, "multiclass-weighted"));
        var data = ml.Data.LoadFromEnumerable(IntegrationData.Rows(600, 1));
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
        var data = ml.Data.LoadFromEnumerable(IntegrationData.Rows(800, 1));
        IntegrationData.AssertPermutingX1HurtsAuc(ml, Pipeline(ml, "binary-unbalanced"), data);
        IntegrationData.AssertPermutingX1HurtsRSquared(ml, Pipeline(ml, "regression-poisson"), data);
        var (multi, multiData) = IntegrationData.Split(Pipeline(ml, "multiclass-weighted").Fit(data), data);
        var multiPfi = ml.MulticlassClassification.PermutationFeatureImportance((MulticlassPredictionTransformer<BatchNormMlpModelParameters>)multi, multiData, permutationCount: 1);
        Assert.IsLessThan(-0.05, multiPfi[3].MicroAccuracy.Mean, "permuting X1 hurts accuracy");
    }

    [TestMethod]
    [DataRow("binary-unbalanced")]
    [DataRow("multiclass-weighted")]
    [DataRow("regression-poisson")]
    [DataRow("regression-huber")]
    public void RoundTripsInAFreshProcessBitForBit(string kind)
    {
        var ml = new MLContext(seed: 1);
        IntegrationData.AssertRoundTripsInAFreshProcessBitForBit(ml, Pipeline(ml, kind), trainRows: 400, probeRows: 80);
    }
}
