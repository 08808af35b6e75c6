using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// What the ML.NET integration tests of the recipe's optional pieces (Recipe/RecipeIntegrationTests) and of ensembles
/// (Ensembles/EnsembleIntegrationTests) share: their rows, the CrossValidate bars they hold the classifiers to, the
/// fresh-process round trip, and the small views of a fitted chain they score.
/// </summary>
internal static class IntegrationData
{
    /// <summary><see cref="SyntheticData"/>'s rows with NaN and +∞ holes (<see cref="CompatibilityV2Fixture.WithHoles"/>), the target a count (for the Poisson loss).</summary>
    public static List<RawRow> Rows(int count, int seed) =>
        CompatibilityV2Fixture.WithHoles(SyntheticData.Rows(count, seed)).Select(r =>
        {
            r.Target = MathF.Round(MathF.Exp(r.Target / 3f));   // a count, for the Poisson loss
            return r;
        }).ToList();

    /// <summary>
    /// 3-fold CrossValidate of a binary and a multiclass pipeline on <paramref name="rows"/>: every fold's AUC above
    /// 0.85, every fold's micro accuracy more than 0.1 above the majority class's share.
    /// </summary>
    public static void AssertClassifiersCrossValidate(MLContext ml, List<RawRow> rows, IEstimator<ITransformer> binary, IEstimator<ITransformer> multiclass)
    {
        var data = ml.Data.LoadFromEnumerable(rows);
        var b = ml.BinaryClassification.CrossValidate(data, binary, numberOfFolds: 3);
        Assert.IsTrue(b.All(f => f.Metrics.AreaUnderRocCurve > 0.85), string.Join(", ", b.Select(f => f.Metrics.AreaUnderRocCurve)));
        var m = ml.MulticlassClassification.CrossValidate(data, multiclass, numberOfFolds: 3);
        double majority = rows.GroupBy(r => r.Class).Max(g => g.Count()) / (double)rows.Count;
        Assert.IsTrue(m.All(f => f.Metrics.MicroAccuracy > majority + 0.1), $"majority class {majority:F3}: " + string.Join(", ", m.Select(f => f.Metrics.MicroAccuracy)));
    }

    /// <summary>
    /// Fits <paramref name="pipeline"/> on <paramref name="trainRows"/> of <see cref="Rows"/> (seed 1), scores
    /// <paramref name="probeRows"/> of them (seed 2) here and in a fresh process: finite scores, the same bit for bit.
    /// </summary>
    public static void AssertRoundTripsInAFreshProcessBitForBit(MLContext ml, IEstimator<ITransformer> pipeline, int trainRows, int probeRows)
    {
        var train = ml.Data.LoadFromEnumerable(Rows(trainRows, 1));
        var probe = ml.Data.LoadFromEnumerable(Rows(probeRows, 2));
        var model = pipeline.Fit(train);
        FreshProcess.RoundTrip(ml, model, train.Schema, probe, reloaded =>
        {
            var scores = Flat(model.Transform(probe));
            Assert.IsTrue(scores.All(float.IsFinite), "rows with NaN score finitely");
            CollectionAssert.AreEqual(scores, Flat(reloaded));
        });
    }

    /// <summary>Permutation feature importance of X1 (Features = [red, green, blue, X1, X2]) in the binary chain fitted on <paramref name="data"/>: permuting it costs more than 0.05 AUC.</summary>
    public static void AssertPermutingX1HurtsAuc(MLContext ml, IEstimator<ITransformer> pipeline, IDataView data)
    {
        var (model, scored) = Split(pipeline.Fit(data), data);
        var pfi = ml.BinaryClassification.PermutationFeatureImportance((BinaryPredictionTransformer<BatchNormMlpModelParameters>)model, scored, permutationCount: 1);
        Assert.IsLessThan(-0.05, pfi[3].AreaUnderRocCurve.Mean, "permuting X1 hurts AUC");
    }

    /// <summary>As <see cref="AssertPermutingX1HurtsAuc"/> for a regression chain: permuting X1 costs more than 0.1 R².</summary>
    public static void AssertPermutingX1HurtsRSquared(MLContext ml, IEstimator<ITransformer> pipeline, IDataView data)
    {
        var (model, scored) = Split(pipeline.Fit(data), data);
        var pfi = ml.Regression.PermutationFeatureImportance((RegressionPredictionTransformer<BatchNormMlpModelParameters>)model, scored, permutationCount: 1);
        Assert.IsLessThan(-0.1, pfi[3].RSquared.Mean, "permuting X1 hurts R²");
    }

    /// <summary>The chain's prediction transformer and the data as it enters it.</summary>
    public static (ITransformer Predictor, IDataView Data) Split(ITransformer chain, IDataView data)
    {
        var parts = ((IEnumerable<ITransformer>)chain).ToList();
        foreach (var t in parts.Take(parts.Count - 1)) data = t.Transform(data);
        return (parts[^1], data);
    }

    /// <summary>The Score column, a vector score's values row after row.</summary>
    public static float[] Flat(IDataView v) => v.Schema["Score"].Type is VectorDataViewType
        ? v.GetColumn<VBuffer<float>>("Score").SelectMany(b => b.DenseValues()).ToArray()
        : v.GetColumn<float>("Score").ToArray();
}
