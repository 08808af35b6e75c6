using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.MlNet;

/// <summary>Output columns as the built-in trainers give them; PredictionEngine equals bulk scoring.</summary>
[TestClass]
public sealed class ScoringTests
{
    public sealed class Prediction
    {
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    public sealed class MulticlassPrediction
    {
        public float[] Score { get; set; } = [];
        public string PredictedClass { get; set; } = "";
    }

    [TestMethod]
    public void BinaryColumnsAndSingleRowEqualsBulk()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(SyntheticData.Rows(500, 1));
        var rows = SyntheticData.Rows(50, 2);
        var model = SyntheticData.Pipeline(ml, SyntheticData.Task.Binary).Fit(train);
        var scored = model.Transform(ml.Data.LoadFromEnumerable(rows));

        Assert.AreEqual(NumberDataViewType.Single, scored.Schema["Score"].Type);
        Assert.AreEqual(NumberDataViewType.Single, scored.Schema["Probability"].Type);
        Assert.AreEqual(BooleanDataViewType.Instance, scored.Schema["PredictedLabel"].Type);

        var scores = scored.GetColumn<float>("Score").ToArray();
        var probabilities = scored.GetColumn<float>("Probability").ToArray();
        var labels = scored.GetColumn<bool>("PredictedLabel").ToArray();
        var engine = ml.Model.CreatePredictionEngine<RawRow, Prediction>(model);
        for (int i = 0; i < rows.Count; i++)
        {
            var p = engine.Predict(rows[i]);
            Assert.AreEqual(scores[i], p.Score, $"row {i} Score");
            Assert.AreEqual(probabilities[i], p.Probability, $"row {i} Probability");
            Assert.AreEqual(labels[i], p.PredictedLabel, $"row {i} PredictedLabel");
            Assert.AreEqual(1 / (1 + Math.Exp(-scores[i])), probabilities[i], 1e-6, "Probability is the sigmoid of the logit");
            Assert.AreEqual(scores[i] > 0, labels[i], "PredictedLabel thresholds the logit at 0");
        }
    }

    [TestMethod]
    public void MulticlassScoreIsAProbabilityVectorWithSlotNamesAndKeyPredictedLabel()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(SyntheticData.Rows(500, 1));
        var rows = SyntheticData.Rows(40, 2);
        var model = SyntheticData.Pipeline(ml, SyntheticData.Task.Multiclass, epochs: 30).Fit(train);
        var scored = model.Transform(ml.Data.LoadFromEnumerable(rows));

        var scoreType = (VectorDataViewType)scored.Schema["Score"].Type;
        Assert.AreEqual(3, scoreType.Size);
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        scored.Schema["Score"].GetSlotNames(ref slotNames);
        var labelKeys = default(VBuffer<ReadOnlyMemory<char>>);
        scored.Schema["Label"].GetKeyValues(ref labelKeys);
        CollectionAssert.AreEqual(labelKeys.DenseValues().Select(m => m.ToString()).ToArray(), slotNames.DenseValues().Select(m => m.ToString()).ToArray());
        Assert.IsInstanceOfType<KeyDataViewType>(scored.Schema["PredictedLabel"].Type);

        var scores = scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
        var predicted = scored.GetColumn<ReadOnlyMemory<char>>("PredictedClass").Select(m => m.ToString()).ToArray();
        var engine = ml.Model.CreatePredictionEngine<RawRow, MulticlassPrediction>(model);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.AreEqual(1.0, scores[i].Sum(), 1e-5, "probabilities sum to 1");
            int best = Array.IndexOf(scores[i], scores[i].Max());
            Assert.AreEqual(slotNames.GetItemOrDefault(best).ToString(), predicted[i], "PredictedLabel is the arg-max class");
            var p = engine.Predict(rows[i]);
            CollectionAssert.AreEqual(scores[i], p.Score, $"row {i}");
            Assert.AreEqual(predicted[i], p.PredictedClass);
        }
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.IsGreaterThan(0.75, metrics.MicroAccuracy, "the classes follow a linear score: a working model separates them");
    }

    [TestMethod]
    public void RegressionEvaluatesWithDefaultColumns()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(SyntheticData.Rows(800, 1));
        var test = ml.Data.LoadFromEnumerable(SyntheticData.Rows(200, 2));
        var model = SyntheticData.Pipeline(ml, SyntheticData.Task.Regression, epochs: 30).Fit(train);
        var metrics = ml.Regression.Evaluate(model.Transform(test));
        Assert.IsGreaterThan(0.8, metrics.RSquared);
    }
}
