using BnMlNet.Engine;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Reliability;

/// <summary>
/// Bad training and scoring data: what is skipped and counted, what is an error and what the message says. Every row
/// of docs/errors.md names its test; the schema cases that were already covered live in MlNet/SchemaErrorTests and
/// MlNet/OptionsValidationTests.
/// </summary>
[TestClass]
public sealed class BadTrainingDataTests
{
    private sealed class VariableRow { [VectorType] public float[] Features { get; set; } = [1, 2]; public bool Label { get; set; } }

    private static BatchNormMlpBinaryTrainer.Options Small(Action<BatchNormMlpBinaryTrainer.Options>? change = null)
    {
        // The data path without the model's preprocessing (MissingValues Skip, no scaling): the recipe's path is
        // covered by Recipe/PreprocessingTests.
        var o = new BatchNormMlpBinaryTrainer.Options
        {
            HiddenLayerSizes = [8], NumberOfEpochs = 3, BatchSize = 16, Seed = 1, NumberOfThreads = 1,
            MissingValues = MissingValueHandling.Skip, NumericScaling = NumericScaling.None,
        };
        change?.Invoke(o);
        return o;
    }

    private static List<VectorRow> WithBadFeatures(out int bad)
    {
        var rows = ReliabilityData.Rows(200, seed: 1);
        float[] poison = [float.NaN, float.NaN, float.NaN, float.PositiveInfinity, float.PositiveInfinity, float.NegativeInfinity];
        for (int i = 0; i < poison.Length; i++) rows[10 + 30 * i].Features[i % 3] = poison[i];
        bad = poison.Length;
        return rows;
    }

    [TestMethod]
    public void NonFiniteFeaturesAreSkippedAndCountedInTheLog()
    {
        var ml = new MLContext(1);
        var log = ReliabilityData.CaptureLog(ml);
        var rows = WithBadFeatures(out int bad);
        var model = ml.BinaryClassification.Trainers.BatchNormMlp(Small()).Fit(ml.Data.LoadFromEnumerable(rows));

        Assert.IsTrue(ReliabilityData.AllFinite(model.Model));
        string expected = $"BatchNormMlp skipped {bad} of {rows.Count} training rows: {bad} with NaN or infinite features, 0 with a missing label, 0 with a negative or non-finite weight.";
        Assert.IsTrue(log.Any(m => m.Contains(expected)), "the log lacks: " + expected);
        // and the model is the one trained on the good rows alone
        var clean = rows.Where(r => r.Features.All(float.IsFinite)).ToList();
        var reference = ml.BinaryClassification.Trainers.BatchNormMlp(Small()).Fit(ml.Data.LoadFromEnumerable(clean));
        CollectionAssert.AreEqual(ReliabilityData.AllBits(reference.Model), ReliabilityData.AllBits(model.Model));
    }

    [TestMethod]
    public void NonFiniteFeaturesThrowWhenAsked()
    {
        var ml = new MLContext(1);
        var trainer = ml.BinaryClassification.Trainers.BatchNormMlp(Small(o => o.ThrowOnNonFiniteFeatures = true));
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => trainer.Fit(ml.Data.LoadFromEnumerable(WithBadFeatures(out _))));
        StringAssert.Contains(error.Message, "Row 11 of feature column 'Features' holds NaN at slot 0.");
        StringAssert.Contains(error.Message, "ThrowOnNonFiniteFeatures = false");
    }

    [TestMethod]
    public void RegressionNaNLabelsAreSkippedAndCounted()
    {
        var ml = new MLContext(1);
        var log = ReliabilityData.CaptureLog(ml);
        var rows = ReliabilityData.Rows(120, seed: 2);
        rows[3].Target = float.NaN;
        rows[50].Target = float.NaN;
        rows[51].Target = float.PositiveInfinity;
        var data = ml.Transforms.CopyColumns("Label", nameof(VectorRow.Target)).Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
        var model = ml.Regression.Trainers.BatchNormMlp(new BatchNormMlpRegressionTrainer.Options { HiddenLayerSizes = [4], NumberOfEpochs = 2, Seed = 1 }).Fit(data);
        Assert.IsTrue(ReliabilityData.AllFinite(model.Model));
        StringAssert.Contains(string.Join("\n", log), "BatchNormMlp skipped 3 of 120 training rows: 0 with NaN or infinite features, 3 with a missing label");
    }

    [TestMethod]
    public void MulticlassMissingKeyIsSkippedAndCounted()
    {
        var ml = new MLContext(1);
        var log = ReliabilityData.CaptureLog(ml);
        var rows = ReliabilityData.Rows(120, seed: 3);
        var keys = ml.Transforms.Conversion.MapValueToKey("Label", nameof(VectorRow.Class)).Fit(ml.Data.LoadFromEnumerable(rows));
        rows[7].Class = "unseen";   // maps to key 0, ML.NET's missing value
        var data = keys.Transform(ml.Data.LoadFromEnumerable(rows));
        var model = ml.MulticlassClassification.Trainers.BatchNormMlp(new BatchNormMlpMulticlassTrainer.Options { HiddenLayerSizes = [4], NumberOfEpochs = 2, Seed = 1 }).Fit(data);
        Assert.IsTrue(ReliabilityData.AllFinite(model.Model));
        StringAssert.Contains(string.Join("\n", log), "BatchNormMlp skipped 1 of 120 training rows: 0 with NaN or infinite features, 1 with a missing label");
    }

    [TestMethod]
    public void NegativeWeightsAreSkippedAndCounted()
    {
        var ml = new MLContext(1);
        var log = ReliabilityData.CaptureLog(ml);
        var rows = ReliabilityData.Rows(100, seed: 4);
        rows[0].Weight = -1;
        rows[1].Weight = float.NaN;
        ml.BinaryClassification.Trainers.BatchNormMlp(Small(o => o.ExampleWeightColumnName = "Weight")).Fit(ml.Data.LoadFromEnumerable(rows));
        StringAssert.Contains(string.Join("\n", log), "2 with a negative or non-finite weight");
    }

    [TestMethod]
    public void EmptyTrainingSetIsRejected()
    {
        var ml = new MLContext(1);
        var error = Assert.ThrowsExactly<InvalidOperationException>(
            () => ml.BinaryClassification.Trainers.BatchNormMlp(Small()).Fit(ml.Data.LoadFromEnumerable(new List<VectorRow>())));
        StringAssert.Contains(error.Message, "BatchNormMlp needs at least 2 usable training rows, found 0 of 0");
    }

    [TestMethod]
    public void OneUsableRowIsRejectedWithTheReason()
    {
        var ml = new MLContext(1);
        var rows = ReliabilityData.Rows(3, seed: 5);
        rows[0].Features[1] = float.NaN;
        rows[2].Features[2] = float.NegativeInfinity;
        var error = Assert.ThrowsExactly<InvalidOperationException>(
            () => ml.BinaryClassification.Trainers.BatchNormMlp(Small()).Fit(ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(error.Message, "found 1 of 3 (2 skipped for NaN/infinite features, 0 for a missing label");
    }

    [TestMethod]
    public void VariableLengthFeatureVectorIsRejected()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new VariableRow(), new VariableRow { Features = [3, 4, 5] }, new VariableRow() });
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.BatchNormMlp(Small()).Fit(data));
        StringAssert.Contains(error.Message, "'Features'");
        StringAssert.Contains(error.Message, "expected Vector<Single>, got VarVector<Single>");
    }

    [TestMethod]
    [DataRow(true, BatchNormPlacement.BeforeActivation)]
    [DataRow(false, BatchNormPlacement.BeforeActivation)]
    [DataRow(true, BatchNormPlacement.AfterActivation)]
    public void ConstantFeaturesStayFinite(bool inputBatchNorm, BatchNormPlacement placement)
    {
        var ml = new MLContext(1);
        // slot 1 is constant everywhere; in the second set every slot is: the input BN and, through it, every hidden BN
        // see zero variance and must fall back on ε.
        var someConstant = ReliabilityData.Rows(200, seed: 6);
        foreach (var r in someConstant) r.Features[1] = 7.5f;
        var allConstant = ReliabilityData.Rows(200, seed: 6);
        foreach (var r in allConstant) r.Features = [1, -2, 1e6f];
        foreach (var rows in new[] { someConstant, allConstant })
        {
            var data = ml.Data.LoadFromEnumerable(rows);
            var model = ml.BinaryClassification.Trainers.BatchNormMlp(Small(o => { o.InputBatchNorm = inputBatchNorm; o.BatchNormPlacement = placement; o.NumberOfEpochs = 5; })).Fit(data);
            Assert.IsTrue(ReliabilityData.AllFinite(model.Model));
            var variances = model.Model.Layers.Where(l => l.BatchNorm is not null).SelectMany(l => l.BatchNorm!.RunningVariance)
                .Concat(model.Model.InputBatchNorm?.RunningVariance ?? []);
            Assert.IsTrue(variances.All(v => v >= 0 && float.IsFinite(v)));
            var scores = model.Transform(data).GetColumn<float>("Score").ToArray();
            Assert.IsTrue(scores.All(float.IsFinite), "a score is not finite");
        }
        // with input BN the useful slots still carry the signal around the constant one
        var check = ml.BinaryClassification.Trainers.BatchNormMlp(Small(o => { o.InputBatchNorm = inputBatchNorm; o.BatchNormPlacement = placement; o.NumberOfEpochs = 20; }))
            .Fit(ml.Data.LoadFromEnumerable(someConstant));
        var metrics = ml.BinaryClassification.Evaluate(check.Transform(ml.Data.LoadFromEnumerable(someConstant)));
        Assert.IsGreaterThan(0.65, metrics.Accuracy);
    }

    [TestMethod]
    [DataRow(1e-30f)]
    [DataRow(1e-10f)]
    [DataRow(1e-3f)]
    [DataRow(1f)]
    [DataRow(1e10f)]
    [DataRow(1e17f)]
    [DataRow(9.9e17f)]
    public void ExtremeFeatureScalesTrainWithoutNaN(float scale)
    {
        var ml = new MLContext(1);
        var rows = ReliabilityData.Rows(400, seed: 7, scale: scale);
        var data = ml.Data.LoadFromEnumerable(rows);
        // a large batch makes the sum of squares in the batch statistics as large as it gets
        var model = ml.BinaryClassification.Trainers.BatchNormMlp(Small(o => { o.NumberOfEpochs = 20; o.BatchSize = 400; o.LearningRate = 0.05f; })).Fit(data);
        Assert.IsTrue(ReliabilityData.AllFinite(model.Model), $"scale {scale}: a parameter is not finite");
        var scored = model.Transform(data);
        Assert.IsTrue(scored.GetColumn<float>("Score").All(float.IsFinite), $"scale {scale}: a score is not finite");
        Assert.IsTrue(scored.GetColumn<float>("Probability").All(float.IsFinite));
        double accuracy = ml.BinaryClassification.Evaluate(scored).Accuracy;
        if (scale >= 1f)   // input BN makes a large scale irrelevant
            Assert.IsGreaterThan(0.85, accuracy, $"scale {scale}");
    }

    [TestMethod]
    public void TinyFeatureScalesLearnOnceEpsilonIsBelowTheirVariance()
    {
        // With the default ε = 1e-5, features whose variance is far below ε are normalized by √ε and their signal is
        // lost (finite, but near chance). Lowering BatchNormEpsilon under their variance brings it back. (Population
        // statistics: 20 steps of moving averages would still remember the initial variance of 1.)
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(ReliabilityData.Rows(400, seed: 7, scale: 1e-10f));
        double Accuracy(float epsilon)
        {
            var model = ml.BinaryClassification.Trainers.BatchNormMlp(Small(o => { o.NumberOfEpochs = 20; o.BatchSize = 400; o.LearningRate = 0.05f; o.BatchNormEpsilon = epsilon; o.RunningStatistics = RunningStatisticsMode.Population; o.ValidationFraction = 0; })).Fit(data);
            Assert.IsTrue(ReliabilityData.AllFinite(model.Model));
            return ml.BinaryClassification.Evaluate(model.Transform(data)).Accuracy;
        }
        Assert.IsLessThan(0.7, Accuracy(1e-5f));
        Assert.IsGreaterThan(0.85, Accuracy(1e-30f));
    }

    [TestMethod]
    public void LargestSupportedMagnitudeInALargeBatchStaysFinite()
    {
        // ±9.9e17 in every slot of 2,000 rows: Σ(x − μ)² over the batch is ~2e39, past Single's range.
        var ml = new MLContext(1);
        var rows = ReliabilityData.Rows(2000, seed: 11);
        foreach (var r in rows) r.Features = r.Features.Select(v => v >= 0 ? 9.9e17f : -9.9e17f).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.BinaryClassification.Trainers.BatchNormMlp(Small(o => { o.NumberOfEpochs = 3; o.BatchSize = 2000; })).Fit(data);
        Assert.IsTrue(ReliabilityData.AllFinite(model.Model));
        Assert.IsTrue(model.Transform(data).GetColumn<float>("Score").All(float.IsFinite));
    }

    [TestMethod]
    [DataRow(1e30f)]
    [DataRow(-1e19f)]
    public void FeaturesBeyondTheSupportedMagnitudeAreAClearError(float value)
    {
        var ml = new MLContext(1);
        var rows = ReliabilityData.Rows(100, seed: 8);
        rows[42].Features[2] = value;
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => ml.BinaryClassification.Trainers.BatchNormMlp(Small()).Fit(ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(error.Message, $"Row 43 of feature column 'Features' holds {value} at slot 2");
        StringAssert.Contains(error.Message, "up to 1E+18");
        StringAssert.Contains(error.Message, "NormalizeMinMax");
    }

    [TestMethod]
    public void ScoringRowWhoseVectorLengthDiffersFromTrainingIsRejected()
    {
        var ml = new MLContext(1);
        var model = ml.BinaryClassification.Trainers.BatchNormMlp(Small()).Fit(ml.Data.LoadFromEnumerable(ReliabilityData.Rows(64, seed: 9)));
        // The schema says 3 slots but this row carries 5: ML.NET passes it through, our scorer refuses it.
        var engine = ml.Model.CreatePredictionEngine<VectorRow, BinaryScore>(model);
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => engine.Predict(new VectorRow { Features = [1, 2, 3, 4, 5] }));
        StringAssert.Contains(error.Message, "The feature vector has 5 values, but the model was trained on 3");
        // and the direct API says the same in its own words
        var direct = Assert.ThrowsExactly<ArgumentException>(() => model.Model.Predict([1f, 2f]));
        StringAssert.Contains(direct.Message, "The model expects 3 features, got 2.");
    }

    [TestMethod]
    public void DivergingTrainingNamesTheEpochAndReturnsNoModel()
    {
        var ml = new MLContext(1);
        var options = Small(o =>
        {
            o.InputBatchNorm = false;
            o.BatchNormPlacement = BatchNormPlacement.None;
            o.Optimizer = OptimizerKind.Sgd;
            o.LearningRate = 1e6f;
            o.NumberOfEpochs = 5;
        });
        var rows = ReliabilityData.Rows(200, seed: 10, scale: 100);
        BinaryPredictionTransformer<BatchNormMlpModelParameters>? model = null;
        var error = Assert.ThrowsExactly<TrainingDivergedException>(
            () => model = ml.BinaryClassification.Trainers.BatchNormMlp(options).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.IsNull(model);
        Assert.IsGreaterThanOrEqualTo(1, error.Epoch);
        StringAssert.Contains(error.Message, $"Training diverged at epoch {error.Epoch}, batch {error.Batch}");
        StringAssert.Contains(error.Message, "Try a lower learning rate (it was 1000000)");
    }

    [TestMethod]
    public void NegativeCacheBudgetIsRejectedNamingTheOption()
    {
        var ml = new MLContext(1);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => ml.BinaryClassification.Trainers.BatchNormMlp(Small(o => o.MaximumCacheMegabytes = -1)));
        Assert.AreEqual(nameof(BatchNormMlpOptionsBase.MaximumCacheMegabytes), error.ParamName);
        StringAssert.Contains(error.Message, "must be at least 0 (0 always streams)");
    }

    private sealed class BinaryScore
    {
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }
}
