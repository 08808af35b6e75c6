using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Recipe;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Tests.Embedding;

/// <summary>The periodic embedding under ML.NET's CrossValidate and permutation feature importance, on rows with NaN and ±∞.</summary>
[TestClass]
public sealed class EmbeddingIntegrationTests
{
    [TestMethod]
    public void CrossValidateAndPermutationFeatureImportanceWithTheEmbedding()
    {
        var ml = new MLContext(seed: 1);
        var rows = CompatibilityV2Fixture.WithHoles(SyntheticData.Rows(600, 1));
        var data = ml.Data.LoadFromEnumerable(rows);
        var binary = CompatibilityV5Fixture.Pipeline(ml, SyntheticData.Task.Binary, epochs: 30);
        var folds = ml.BinaryClassification.CrossValidate(data, binary, numberOfFolds: 3);
        Assert.IsTrue(folds.All(f => f.Metrics.AreaUnderRocCurve > 0.8), string.Join(", ", folds.Select(f => f.Metrics.AreaUnderRocCurve)));
        Assert.IsTrue(folds.All(f => ModelOf(f.Model).Embedding is not null), "every fold's model has the embedding");
        var r = ml.Regression.CrossValidate(data, CompatibilityV5Fixture.Pipeline(ml, SyntheticData.Task.Regression, epochs: 30), numberOfFolds: 3);
        Assert.IsTrue(r.All(f => f.Metrics.RSquared > 0.3), string.Join(", ", r.Select(f => f.Metrics.RSquared)));

        // Features = [red, green, blue, X1, X2]; the label depends on X1 most.
        var chain = binary.Fit(data);
        var parts = ((IEnumerable<ITransformer>)chain).ToList();
        IDataView featurized = data;
        foreach (var t in parts.Take(parts.Count - 1)) featurized = t.Transform(featurized);
        var pfi = ml.BinaryClassification.PermutationFeatureImportance((BinaryPredictionTransformer<BatchNormMlpModelParameters>)parts[^1], featurized, permutationCount: 1);
        Assert.IsLessThan(-0.05, pfi[3].AreaUnderRocCurve.Mean, "permuting X1 hurts AUC");
    }

    private static BatchNormMlpModelParameters ModelOf(ITransformer model) =>
        ((IEnumerable<ITransformer>)model).OfType<ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters>>().Single().Model;
}
