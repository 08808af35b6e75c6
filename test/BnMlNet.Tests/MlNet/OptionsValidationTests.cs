using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.MlNet;

/// <summary>Invalid option values are rejected when the trainer is created, with the option's name.</summary>
[TestClass]
public sealed class OptionsValidationTests
{
    public static IEnumerable<object[]> InvalidOptions()
    {
        yield return [nameof(BatchNormMlpOptionsBase.BatchSize), (Action<BatchNormMlpOptionsBase>)(o => o.BatchSize = 0)];
        yield return [nameof(BatchNormMlpOptionsBase.BatchSize), (Action<BatchNormMlpOptionsBase>)(o => o.BatchSize = -5)];
        yield return [nameof(BatchNormMlpOptionsBase.BatchSize), (Action<BatchNormMlpOptionsBase>)(o => o.BatchSize = 1)];
        yield return [nameof(BatchNormMlpOptionsBase.NumberOfEpochs), (Action<BatchNormMlpOptionsBase>)(o => o.NumberOfEpochs = 0)];
        yield return [nameof(BatchNormMlpOptionsBase.HiddenLayerSizes), (Action<BatchNormMlpOptionsBase>)(o => o.HiddenLayerSizes = [16, 0])];
        yield return [nameof(BatchNormMlpOptionsBase.HiddenLayerSizes), (Action<BatchNormMlpOptionsBase>)(o => o.HiddenLayerSizes = [-3])];
        yield return [nameof(BatchNormMlpOptionsBase.LearningRate), (Action<BatchNormMlpOptionsBase>)(o => o.LearningRate = -1e-3f)];
        yield return [nameof(BatchNormMlpOptionsBase.LearningRate), (Action<BatchNormMlpOptionsBase>)(o => o.LearningRate = float.NaN)];
        yield return [nameof(BatchNormMlpOptionsBase.LearningRate), (Action<BatchNormMlpOptionsBase>)(o => o.LearningRate = float.PositiveInfinity)];
        yield return [nameof(BatchNormMlpOptionsBase.WeightDecay), (Action<BatchNormMlpOptionsBase>)(o => o.WeightDecay = -0.1f)];
        yield return [nameof(BatchNormMlpOptionsBase.Momentum), (Action<BatchNormMlpOptionsBase>)(o => o.Momentum = 1.5f)];
        yield return [nameof(BatchNormMlpOptionsBase.Momentum), (Action<BatchNormMlpOptionsBase>)(o => o.Momentum = -0.1f)];
        yield return [nameof(BatchNormMlpOptionsBase.BatchNormMomentum), (Action<BatchNormMlpOptionsBase>)(o => o.BatchNormMomentum = 2f)];
        yield return [nameof(BatchNormMlpOptionsBase.BatchNormEpsilon), (Action<BatchNormMlpOptionsBase>)(o => o.BatchNormEpsilon = 0f)];
        yield return [nameof(BatchNormMlpOptionsBase.DropoutRate), (Action<BatchNormMlpOptionsBase>)(o => o.DropoutRate = 1f)];
        yield return [nameof(BatchNormMlpOptionsBase.NumberOfThreads), (Action<BatchNormMlpOptionsBase>)(o => o.NumberOfThreads = 0)];
        yield return [nameof(BatchNormMlpOptionsBase.GradientClipNorm), (Action<BatchNormMlpOptionsBase>)(o => o.GradientClipNorm = float.NaN)];
        yield return [nameof(BatchNormMlpOptionsBase.EarlyStoppingPatience), (Action<BatchNormMlpOptionsBase>)(o => o.EarlyStoppingPatience = -1)];
        yield return [nameof(BatchNormMlpOptionsBase.PlateauPatience), (Action<BatchNormMlpOptionsBase>)(o => o.PlateauPatience = -1)];
        yield return [nameof(BatchNormMlpOptionsBase.PlateauPatience), (Action<BatchNormMlpOptionsBase>)(o => { o.PlateauPatience = 3; o.EarlyStoppingPatience = 0; })];
        yield return [nameof(BatchNormMlpOptionsBase.PlateauFactor), (Action<BatchNormMlpOptionsBase>)(o => o.PlateauFactor = 1f)];
        yield return [nameof(BatchNormMlpOptionsBase.PlateauFactor), (Action<BatchNormMlpOptionsBase>)(o => o.PlateauFactor = 0f)];
        yield return [nameof(BatchNormMlpOptionsBase.PlateauMaxReductions), (Action<BatchNormMlpOptionsBase>)(o => o.PlateauMaxReductions = -1)];
        yield return [nameof(BatchNormMlpOptionsBase.EarlyStoppingRelativeMinDelta), (Action<BatchNormMlpOptionsBase>)(o => o.EarlyStoppingRelativeMinDelta = 1f)];
        yield return [nameof(BatchNormMlpOptionsBase.EarlyStoppingRelativeMinDelta), (Action<BatchNormMlpOptionsBase>)(o => o.EarlyStoppingRelativeMinDelta = float.NaN)];
        yield return [nameof(BatchNormMlpOptionsBase.EarlyStoppingPatienceFraction), (Action<BatchNormMlpOptionsBase>)(o => o.EarlyStoppingPatienceFraction = -0.5f)];
    }

    [TestMethod]
    [DynamicData(nameof(InvalidOptions))]
    public void InvalidValueIsRejectedAtConstructionNamingTheOption(string option, Action<BatchNormMlpOptionsBase> spoil)
    {
        var ml = new MLContext(1);
        var binary = new BatchNormMlpBinaryTrainer.Options();
        spoil(binary);
        var e1 = Assert.Throws<ArgumentException>(() => ml.BinaryClassification.Trainers.BatchNormMlp(binary));
        Assert.AreEqual(option, e1.ParamName);
        StringAssert.Contains(e1.Message, option);

        var regression = new BatchNormMlpRegressionTrainer.Options();
        spoil(regression);
        var e2 = Assert.Throws<ArgumentException>(() => ml.Regression.Trainers.BatchNormMlp(regression));
        Assert.AreEqual(option, e2.ParamName);
    }

    [TestMethod]
    public void ZeroLearningRateIsValidAndStillCollectsBatchNormStatistics()
    {
        var ml = new MLContext(1);
        var rows = Enumerable.Range(0, 64).Select(i => new Row { Features = [i, 100 + 2 * i], Label = i }).ToArray();
        var model = ml.Regression.Trainers.BatchNormMlp(new BatchNormMlpRegressionTrainer.Options
        {
            LearningRate = 0, NumberOfEpochs = 60, HiddenLayerSizes = [4], BatchSize = 64, Seed = 1, ValidationFraction = 0, NumericScaling = NumericScaling.None,
        }).Fit(ml.Data.LoadFromEnumerable(rows));
        var inputBn = model.Model.InputBatchNorm!;
        // One batch of all 64 rows per epoch: feature 0 is 0..63 (mean 31.5), feature 1 is 100..226 (mean 163).
        // From 0, the moving average reaches (1 − 0.9^60) ≈ 99.8% of the batch mean after 60 steps at m = 0.1.
        Assert.AreEqual(31.5 * (1 - Math.Pow(0.9, 60)), inputBn.RunningMean[0], 0.01);
        Assert.AreEqual(163.0 * (1 - Math.Pow(0.9, 60)), inputBn.RunningMean[1], 0.05);
        Assert.IsTrue(inputBn.Gamma.All(g => g == 1f), "γ untouched at learning rate 0");
    }

    private sealed class Row
    {
        [Microsoft.ML.Data.VectorType(2)] public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }
}
