using BnMlNet.Engine;
using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// StandardizeLabel: regression trains on (y − mean)/std of the weighted labels, the map is folded into the output
/// layer, and scores, metrics and the epoch log are in the label's own units.
/// </summary>
[TestClass]
public sealed class StandardizeLabelTests
{
    /// <summary>SyntheticData's rows with the target moved far from 0 (as a log price or a count in the hundreds is).</summary>
    private static List<RawRow> FarRows(int count, int seed) =>
        SyntheticData.Rows(count, seed).Select(r => { r.Target = 500f + 40f * r.Target; return r; }).ToList();

    private static BatchNormMlpRegressionTrainer.Options Options(bool standardize) => new()
    {
        EnsembleSize = 1, RefitOnAllRows = false, HiddenLayerSizes = [16, 8], BatchSize = 32, Seed = 3, NumberOfThreads = 1, ValidationFraction = 0, StandardizeLabel = standardize,
        NumberOfEpochs = 20, EarlyStoppingPatience = 0, DropoutRate = 0,
        // The network these checks were written for (BN on every hidden layer, the default before round 12): the label's
        // scale is the subject here, not where BN sits (on the last layer only, the far-target case reaches R² 0.89994).
        BatchNormHiddenLayers = BatchNormHiddenLayers.Every,
    };

    private static (ITransformer Prep, IDataView Train, IDataView Test) Data(MLContext ml, int trainRows = 400)
    {
        var train = ml.Data.LoadFromEnumerable(FarRows(trainRows, 1));
        var test = ml.Data.LoadFromEnumerable(FarRows(200, 2));
        var prep = ml.Transforms.CopyColumns("Label", nameof(RawRow.Target)).Append(SyntheticData.Featurize(ml)).Fit(train);
        return (prep, prep.Transform(train), prep.Transform(test));
    }

    [TestMethod]
    public void FitMatchesTheWeightedMeanAndPopulationStandardDeviation()
    {
        float[] y = [1, 2, 3, 10, -4], w = [1, 2, 0, 1, 0.5f];
        var data = new DenseDataset(y.Select(v => v * 0.1f).ToArray(), y, w, 1);
        var s = LabelScaling.Fit(data);
        double sw = w.Sum(), mean = y.Zip(w).Sum(p => (double)p.First * p.Second) / sw;
        double variance = y.Zip(w).Sum(p => p.Second * (p.First - mean) * (p.First - mean)) / sw;
        Assert.AreEqual(mean, s.Mean, 1e-12);
        Assert.AreEqual(Math.Sqrt(variance), s.Scale, 1e-12);
    }

    [TestMethod]
    public void FoldingGivesScaleTimesTheRawOutputPlusTheMean()
    {
        var rng = new Random(5);
        var trainer = new NetworkTrainer(new NetworkSpec(3, [6], 1), LossKind.SquaredError, new TrainingSettings { Epochs = 2, Seed = 1 });
        var raw = trainer.Train(BnMlNet.Tests.Engine.TestData.SumOfSines(64, 1)).Network;
        var scaling = new LabelScaling(123.25, 7.5);
        var folded = scaling.Fold(raw);
        var a = new float[1];
        var b = new float[1];
        for (int i = 0; i < 50; i++)
        {
            float[] x = [(float)rng.NextDouble() * 4 - 2, (float)rng.NextDouble() * 4 - 2, (float)rng.NextDouble() * 4 - 2];
            raw.Predict(x, a, raw.CreateScratch());
            folded.Predict(x, b, folded.CreateScratch());
            Assert.AreEqual(a[0] * 7.5 + 123.25, b[0], 1e-4, $"row {i}");
        }
    }

    [TestMethod]
    public void ATargetFarFromZeroIsLearnedOnlyWithStandardization()
    {
        var ml = new MLContext(seed: 1);
        var (_, train, test) = Data(ml);
        double Rsq(bool standardize) => ml.Regression.Evaluate(ml.Regression.Trainers.BatchNormMlp(Options(standardize)).Fit(train).Transform(test)).RSquared;
        double legacy = Rsq(false), standardized = Rsq(true);
        Assert.IsLessThan(0, legacy, $"without standardization 20 epochs at lr 1e-3 cannot reach a mean of 500 (R² {legacy})");
        Assert.IsGreaterThan(0.9, standardized, $"standardized R² {standardized}");
    }

    [TestMethod]
    public void EpochLogIsInTheLabelsUnits()
    {
        var ml = new MLContext(seed: 1);
        var (_, train, test) = Data(ml);
        var model = ml.Regression.Trainers.BatchNormMlp(Options(true)).Fit(train, test);
        var last = model.Model.TrainingHistory[^1];
        var metrics = ml.Regression.Evaluate(model.Transform(test));
        // The last epoch's model is the one returned (no early stopping): its logged validation RMSE is ML.NET's RMSE.
        Assert.AreEqual(metrics.RootMeanSquaredError, last.ValidationMetric!.Value, 1e-4 * metrics.RootMeanSquaredError);
        Assert.AreEqual(metrics.MeanSquaredError, last.ValidationLoss!.Value, 1e-4 * metrics.MeanSquaredError);
        Assert.IsGreaterThan(1.0, last.TrainLoss, "the training loss is a squared error in label units (std ≈ 60), not the standardized one");
    }

    [TestMethod]
    public void ScoresAgreeAcrossTransformPredictionEngineReloadAndOnnx()
    {
        var ml = new MLContext(seed: 1);
        var rows = OnnxTestData.Rows(192, seed: 7).Select(Far).ToList();
        var testRows = OnnxTestData.Rows(64, seed: 11).Select(Far).ToList();
        var train = ml.Data.LoadFromEnumerable(rows);
        var test = ml.Data.LoadFromEnumerable(testRows);
        var pipeline = ml.Transforms.CopyColumns("Label", nameof(OnnxRow.Target))
            .Append(ml.Transforms.Categorical.OneHotEncoding("ColorEncoded", nameof(OnnxRow.Color)))
            .Append(ml.Transforms.Concatenate("Features", "ColorEncoded", nameof(OnnxRow.X1), nameof(OnnxRow.X2), nameof(OnnxRow.X3)))
            .Append(ml.Regression.Trainers.BatchNormMlp(new BatchNormMlpRegressionTrainer.Options
            { EnsembleSize = 1, RefitOnAllRows = false, HiddenLayerSizes = [6, 5], NumberOfEpochs = 4, BatchSize = 32, Seed = 5, NumberOfThreads = 1, LearningRate = 0.01f }));
        var model = pipeline.Fit(train);
        var scores = model.Transform(test).GetColumn<float>("Score").ToArray();
        Assert.IsGreaterThan(200f, scores.Average(), "the scores are in the label's units (around 300)");

        using var engine = ml.Model.CreatePredictionEngine<OnnxRow, ScoreRow>(model);
        CollectionAssert.AreEqual(scores, testRows.Select(r => engine.Predict(r).Score).ToArray(), "PredictionEngine");

        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext().Model.Load(stream, out _);
        CollectionAssert.AreEqual(scores, loaded.Transform(test).GetColumn<float>("Score").ToArray(), "reloaded");

        byte[] onnx = OnnxRunner.Export(ml, model, train);
        // ONNX Runtime sums in another order; at a magnitude of ~300 one float ulp is 3e-5, so allow a few.
        OnnxParity.AssertClose(scores, OnnxRunner.Output<float>(OnnxRunner.Run(onnx, testRows), "Score"), "ONNX Score", tolerance: 3e-4);
    }

    private static OnnxRow Far(OnnxRow r)
    {
        r.Target = 300f + 25f * r.Target;
        return r;
    }

    public sealed class ScoreRow
    {
        public float Score { get; set; }
    }

    [TestMethod]
    public void StreamedAndCachedTrainingGiveTheSameStandardizedModel()
    {
        var ml = new MLContext(seed: 1);
        var (_, train, test) = Data(ml);
        float[] Scores(int cacheMegabytes)
        {
            var o = Options(true);
            o.Shuffle = false;   // unshuffled, a streamed pass yields the cached batches exactly
            o.MaximumCacheMegabytes = cacheMegabytes;
            return ml.Regression.Trainers.BatchNormMlp(o).Fit(train).Transform(test).GetColumn<float>("Score").ToArray();
        }
        CollectionAssert.AreEqual(Scores(2048), Scores(0));
    }

    [TestMethod]
    public void SameSeedGivesTheSameModelBitForBitAtAnyThreadCount()
    {
        var ml = new MLContext(seed: 1);
        var (_, train, test) = Data(ml);
        float[] Scores(int threads)
        {
            var o = Options(true);
            o.NumberOfThreads = threads;
            o.ValidationFraction = 0.2f;
            o.EarlyStoppingPatience = 3;
            return ml.Regression.Trainers.BatchNormMlp(o).Fit(train).Transform(test).GetColumn<float>("Score").ToArray();
        }
        var one = Scores(1);
        CollectionAssert.AreEqual(one, Scores(1));
        CollectionAssert.AreEqual(one, Scores(2));
    }

    [TestMethod]
    public void AConstantLabelIsAClearErrorNamingTheColumn()
    {
        var ml = new MLContext(seed: 1);
        var rows = SyntheticData.Rows(50, 1).Select(r => { r.Target = 7f; return r; }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var prep = ml.Transforms.CopyColumns("Label", nameof(RawRow.Target)).Append(SyntheticData.Featurize(ml)).Fit(data);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Regression.Trainers.BatchNormMlp(Options(true)).Fit(prep.Transform(data)));
        StringAssert.Contains(e.Message, "Label column 'Label'");
        StringAssert.Contains(e.Message, "constant");
        StringAssert.Contains(e.Message, "7");
        // Without standardization the constant is simply fitted, as before.
        var legacy = ml.Regression.Trainers.BatchNormMlp(Options(false)).Fit(prep.Transform(data));
        Assert.IsTrue(legacy.Transform(prep.Transform(data)).GetColumn<float>("Score").All(float.IsFinite));
    }

    [TestMethod]
    public void StandardizationIsRejectedForAnotherHead()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new NetworkTrainer(new NetworkSpec(2, [4], 1), LossKind.BinaryLogLoss,
            new TrainingSettings { StandardizeLabel = true }).Train(BnMlNet.Tests.Engine.TestData.TwoMoons(20, 1)));
        StringAssert.Contains(e.Message, "StandardizeLabel");
    }
}
