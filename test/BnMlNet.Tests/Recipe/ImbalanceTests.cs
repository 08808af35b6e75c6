using BnMlNet.Tests.Reliability;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// UnbalancedSets, WeightOfPositiveExamples (binary) and ClassWeights (multiclass): each must equal training with the
/// corresponding example weights multiplied in, bit for bit, and combine with the user's example weights.
/// </summary>
[TestClass]
public sealed class ImbalanceTests
{
    /// <summary>About one positive in eight; Weight is a per-row example weight.</summary>
    private static List<VectorRow> Imbalanced(int count, int seed)
    {
        var rows = ReliabilityData.Rows(count, seed);
        var rng = new Random(seed);
        foreach (var r in rows)
        {
            r.Label = r.Features[0] + 0.3f * r.Features[1] > 0.75f;
            r.Weight = 0.5f + (float)rng.NextDouble();
        }
        return rows;
    }

    private static T Common<T>(T o, string? weight) where T : BatchNormMlpOptionsBase
    {
        o.HiddenLayerSizes = [8];
        o.NumberOfEpochs = 5;
        o.EarlyStoppingPatience = 0;
        o.BatchSize = 32;
        o.Seed = 2;
        o.NumberOfThreads = 1;
        o.ValidationFraction = 0;
        o.ExampleWeightColumnName = weight;
        return o;
    }

    private static int[] Binary(MLContext ml, List<VectorRow> rows, string? weight, Action<BatchNormMlpBinaryTrainer.Options> set)
    {
        var o = Common(new BatchNormMlpBinaryTrainer.Options(), weight);
        set(o);
        return ReliabilityData.AllBits(ml.BinaryClassification.Trainers.BatchNormMlp(o).Fit(ml.Data.LoadFromEnumerable(rows)).Model);
    }

    private static List<VectorRow> Reweighted(List<VectorRow> rows, Func<VectorRow, float> factor, bool keepWeights) =>
        rows.Select(r => new VectorRow { Features = r.Features, Label = r.Label, Target = r.Target, Class = r.Class, Weight = (keepWeights ? r.Weight : 1f) * factor(r) }).ToList();

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void WeightOfPositiveExamplesEqualsThoseExampleWeights(bool withExampleWeights)
    {
        var ml = new MLContext(1);
        var rows = Imbalanced(400, 3);
        string? w = withExampleWeights ? "Weight" : null;
        var option = Binary(ml, rows, w, o => o.WeightOfPositiveExamples = 4.5f);
        var explicitWeights = Binary(ml, Reweighted(rows, r => r.Label ? 4.5f : 1f, withExampleWeights), "Weight", _ => { });
        CollectionAssert.AreEqual(explicitWeights, option);
        CollectionAssert.AreNotEqual(Binary(ml, rows, w, _ => { }), option, "and the option does change the model");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void UnbalancedSetsWeighsPositivesByTheNegativeToPositiveRatio(bool withExampleWeights)
    {
        var ml = new MLContext(1);
        var rows = Imbalanced(400, 3);
        double pos = rows.Where(r => r.Label).Sum(r => withExampleWeights ? (double)r.Weight : 1);
        double neg = rows.Where(r => !r.Label).Sum(r => withExampleWeights ? (double)r.Weight : 1);
        Assert.IsTrue(neg > 3 * pos, "the set is imbalanced");
        string? w = withExampleWeights ? "Weight" : null;
        var balanced = Binary(ml, rows, w, o => o.UnbalancedSets = true);
        float ratio = (float)(neg / pos);
        CollectionAssert.AreEqual(Binary(ml, Reweighted(rows, r => r.Label ? ratio : 1f, withExampleWeights), "Weight", _ => { }), balanced);
    }

    [TestMethod]
    public void BalancingRaisesThePositiveRateOfPredictions()
    {
        var ml = new MLContext(1);
        var rows = Imbalanced(600, 5);
        var data = ml.Data.LoadFromEnumerable(rows);
        int Positives(bool unbalanced)
        {
            var o = Common(new BatchNormMlpBinaryTrainer.Options { UnbalancedSets = unbalanced }, null);
            o.NumberOfEpochs = 10;
            return ml.BinaryClassification.Trainers.BatchNormMlp(o).Fit(data).Transform(data).GetColumn<bool>("PredictedLabel").Count(b => b);
        }
        Assert.IsGreaterThan(Positives(false), Positives(true));
    }

    [TestMethod]
    public void MulticlassClassWeightsEqualThoseExampleWeights()
    {
        var ml = new MLContext(1);
        var rows = Imbalanced(300, 4);
        var data = ml.Data.LoadFromEnumerable(rows);
        var map = ml.Transforms.Conversion.MapValueToKey("Key", nameof(VectorRow.Class)).Fit(data);
        var keys = map.Transform(data).GetColumn<uint>("Key").ToArray();
        float[] classWeights = [0.5f, 2f, 3f];
        int[] Train(IDataView view, float[]? cw, string? weight)
        {
            var o = Common(new BatchNormMlpMulticlassTrainer.Options { LabelColumnName = "Key", ClassWeights = cw }, weight);
            return ReliabilityData.AllBits(ml.MulticlassClassification.Trainers.BatchNormMlp(o).Fit(map.Transform(view)).Model);
        }
        var option = Train(data, classWeights, "Weight");
        var explicitRows = rows.Select((r, i) => new VectorRow { Features = r.Features, Class = r.Class, Weight = r.Weight * classWeights[keys[i] - 1] }).ToList();
        CollectionAssert.AreEqual(Train(ml.Data.LoadFromEnumerable(explicitRows), null, "Weight"), option);
    }

    [TestMethod]
    public void ClassWeightsThatDoNotMatchTheClassesAreAClearError()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Imbalanced(60, 4));
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", nameof(VectorRow.Class)).Fit(data).Transform(data);
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.BatchNormMlp(
            Common(new BatchNormMlpMulticlassTrainer.Options { ClassWeights = [1, 2] }, null)).Fit(keyed));
        StringAssert.Contains(e.Message, "ClassWeights has 2 entries, but the label column 'Label' has 3 classes");
        var negative = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.BatchNormMlp(
            new BatchNormMlpMulticlassTrainer.Options { ClassWeights = [1, -2, 1] }));
        Assert.AreEqual("ClassWeights", negative.ParamName);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.BatchNormMlp(
            new BatchNormMlpMulticlassTrainer.Options { ClassWeights = [0, 0, 0] }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.BatchNormMlp(
            new BatchNormMlpBinaryTrainer.Options { WeightOfPositiveExamples = 0 }));
        var both = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.BatchNormMlp(
            new BatchNormMlpBinaryTrainer.Options { UnbalancedSets = true, WeightOfPositiveExamples = 2 }));
        Assert.AreEqual("UnbalancedSets", both.ParamName);
    }

    [TestMethod]
    public void UnbalancedSetsWithOneClassIsAClearError()
    {
        var ml = new MLContext(1);
        var rows = Imbalanced(40, 4);
        rows.ForEach(r => r.Label = false);
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.BinaryClassification.Trainers.BatchNormMlp(
            Common(new BatchNormMlpBinaryTrainer.Options { UnbalancedSets = true }, null)).Fit(ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(e.Message, "no positive example");
    }
}
