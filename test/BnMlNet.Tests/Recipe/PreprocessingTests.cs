using BnMlNet.Engine.Preprocessing;
using BnMlNet.Engine;
using BnMlNet.Tests.Onnx;
using BnMlNet.Tests.Reliability;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// The model's own preprocessing (NumericScaling, MissingValues): statistics against an independent reference, the
/// transform's formula, finiteness on any input, and the same numbers through Transform, PredictionEngine, a reload and
/// ONNX Runtime.
/// </summary>
[TestClass]
public sealed class PreprocessingTests
{
    /// <summary>NumPy's default (type 7) quantile in double, written independently of the engine.</summary>
    private static double Quantile(IEnumerable<float> values, double q)
    {
        var s = values.Select(v => (double)v).Order().ToArray();
        double h = (s.Length - 1) * q;
        int lo = (int)h;
        return s[lo] + (h - lo) * (s[Math.Min(lo + 1, s.Length - 1)] - s[lo]);
    }

    private static DenseDataset Columns(params float[][] columns)
    {
        int n = columns[0].Length, f = columns.Length;
        var x = new float[n * f];
        for (int r = 0; r < n; r++) for (int j = 0; j < f; j++) x[r * f + j] = columns[j][r];
        return new DenseDataset(x, new float[n], null, f);
    }

    [TestMethod]
    public void RobustStatisticsMatchAReferenceWithTheirFallbacks()
    {
        var rng = new Random(4);
        float[] skewed = Enumerable.Range(0, 101).Select(_ => (float)Math.Exp(rng.NextDouble() * 5)).ToArray();
        float[] withNaN = skewed.Select((v, i) => i % 10 == 3 ? float.NaN : v - 7).ToArray();
        float[] mostlyOne = Enumerable.Range(0, 101).Select(i => i < 90 ? 1f : i).ToArray();   // IQR 0
        float[] constant = Enumerable.Repeat(2.5f, 101).ToArray();
        float[] infinite = skewed.Select((v, i) => i == 5 ? float.PositiveInfinity : v).ToArray();
        var p = PreprocessorFitter.Fit(Columns(skewed, withNaN, mostlyOne, constant, infinite), new PreprocessingSettings(NumericScaling.Robust), seed: 1);

        var finite = withNaN.Where(float.IsFinite).ToArray();
        Assert.AreEqual(Quantile(skewed, 0.5), p.Center[0], 1e-4 * Quantile(skewed, 0.5));
        Assert.AreEqual(1 / (Quantile(skewed, 0.75) - Quantile(skewed, 0.25)), p.InverseScale[0], 1e-5);
        Assert.AreEqual(Quantile(finite, 0.5), p.Fill[1], 1e-4, "the NaN never enter the median");
        Assert.AreEqual(1 / (Quantile(finite, 0.75) - Quantile(finite, 0.25)), p.InverseScale[1], 1e-5);
        Assert.AreEqual(1 / ((100.0 - 1) / 2), p.InverseScale[2], 1e-7, "zero IQR: half the range");
        Assert.AreEqual(1f, p.InverseScale[3], "constant: scale 1");
        Assert.AreEqual(2.5f, p.Center[3]);
        Assert.AreEqual(skewed.Where((_, i) => i != 5).Max(), p.Maximum[4], "+∞ is not part of the range");
        CollectionAssert.AreEqual(new[] { 1 }, p.IndicatorInputs.ToArray(), "only the column with NaN gets an indicator");
        Assert.IsTrue(p.SmoothClip);
    }

    [TestMethod]
    public void ApplyImputesClipsAndScalesByTheFormula()
    {
        var p = new FeaturePreprocessor(fill: [5, 0], minimum: [-1, -2], maximum: [9, 2], center: [4, 0], inverseScale: [0.5f, 1], indicatorInputs: [0], smoothClip: true);
        double Clip(double z) => z / Math.Sqrt(1 + (z / 3) * (z / 3));
        var y = new float[3];
        p.Apply([float.NaN, 1.5f], y);
        Assert.AreEqual(Clip((5 - 4) * 0.5), y[0], 1e-6);
        Assert.AreEqual(Clip(1.5), y[1], 1e-6);
        Assert.AreEqual(1f, y[2], "missing indicator");
        p.Apply([float.PositiveInfinity, float.NegativeInfinity], y);
        Assert.AreEqual(Clip((9 - 4) * 0.5), y[0], 1e-6, "+∞ → training maximum");
        Assert.AreEqual(Clip(-2), y[1], 1e-6, "−∞ → training minimum");
        Assert.AreEqual(0f, y[2]);
        p.Apply([float.MaxValue, -float.MaxValue], y);
        Assert.AreEqual(3.0, y[0], 1e-6, "far out, smooth clipping tends to 3");
        Assert.AreEqual(-3.0, y[1], 1e-6);
    }

    [TestMethod]
    public void EveryOutputIsFiniteForAnyInput()
    {
        var rng = new Random(8);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.MaxValue, float.Epsilon, -float.Epsilon, 0f, 1e-38f];
        var data = Columns(Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 200).Select(i => i % 17 == 0 ? float.NaN : (float)rng.NextDouble() * 100).ToArray()).ToArray());
        foreach (var scaling in new[] { NumericScaling.Robust, NumericScaling.None })
        {
            var p = PreprocessorFitter.Fit(data, new PreprocessingSettings(scaling), 3);
            var y = new float[p.OutputSize];
            for (int t = 0; t < 2000; t++)
            {
                float[] x = Enumerable.Range(0, 3).Select(_ => rng.Next(3) == 0 ? specials[rng.Next(specials.Length)] : (float)(rng.NextDouble() * 1e6 - 5e5)).ToArray();
                p.Apply(x, y);
                Assert.IsTrue(y.All(float.IsFinite), $"{scaling}: [{string.Join(", ", x)}] → [{string.Join(", ", y)}]");
            }
        }
    }

    [TestMethod]
    public void StatisticsComeFromABoundedSeededSampleIdenticalForStreamedData()
    {
        var rng = new Random(2);
        var data = Columns(Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, 1000).Select(_ => (float)rng.NextDouble()).ToArray()).ToArray());
        var settings = new PreprocessingSettings(NumericScaling.Robust, MaximumSampleRows: 50);
        var cached = PreprocessorFitter.Fit(data, settings, 7);
        var streamed = PreprocessorFitter.Fit(new StreamedView(data), settings, 7);
        CollectionAssert.AreEqual(cached.Center.ToArray(), streamed.Center.ToArray());
        CollectionAssert.AreEqual(cached.InverseScale.ToArray(), streamed.InverseScale.ToArray());
        var full = PreprocessorFitter.Fit(data, new PreprocessingSettings(NumericScaling.Robust), 7);
        Assert.AreNotEqual(full.Center[0], cached.Center[0], "a 50-row sample gives another median than all 1,000 rows");
        Assert.AreEqual(full.Center[0], cached.Center[0], 0.15, "but close to it");
    }

    private sealed class StreamedView(IMiniBatchSource inner) : IMiniBatchSource
    {
        public int FeatureCount => inner.FeatureCount;
        public long RowCount => inner.RowCount;
        public IEnumerable<MiniBatch> GetBatches(int batchSize, Random? shuffle) => inner.GetBatches(Math.Min(batchSize, 13), shuffle);
    }

    private static List<VectorRow> RowsWithHoles(int count, int seed)
    {
        var rows = ReliabilityData.Rows(count, seed, scale: 40f);
        for (int i = 0; i < rows.Count; i++)
        {
            if (i % 7 == 2) rows[i].Features[0] = float.NaN;
            if (i % 11 == 5) rows[i].Features[2] = float.NaN;
        }
        return rows;
    }

    [TestMethod]
    public void NaNRowsAreImputedNotSkippedAndScoreFinitelyEverywhere()
    {
        var ml = new MLContext(1);
        var log = ReliabilityData.CaptureLog(ml);
        var train = ml.Data.LoadFromEnumerable(RowsWithHoles(300, 1));
        var probeRows = RowsWithHoles(60, 2);
        probeRows[0].Features = [float.PositiveInfinity, float.NaN, float.NegativeInfinity];
        probeRows[1].Features = [float.MaxValue, -float.MaxValue, float.Epsilon];
        var probe = ml.Data.LoadFromEnumerable(probeRows);
        var model = ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options
        { HiddenLayerSizes = [8], NumberOfEpochs = 4, Seed = 1, NumberOfThreads = 1 }).Fit(train);
        Assert.IsFalse(log.Any(m => m.Contains("skipped")), string.Join("\n", log.Where(m => m.Contains("skipped"))));
        var pre = model.Model.Preprocessing!;
        CollectionAssert.AreEqual(new[] { 0, 2 }, pre.IndicatorInputs.ToArray());
        Assert.AreEqual(5, model.Model.Layers[0].InputSize, "3 features + 2 missing indicators");

        var scores = model.Transform(probe).GetColumn<float>("Score").ToArray();
        Assert.IsTrue(scores.All(float.IsFinite));
        using var engine = ml.Model.CreatePredictionEngine<VectorRow, ScoreRow>(model);
        CollectionAssert.AreEqual(scores, probeRows.Select(r => engine.Predict(r).Score).ToArray(), "PredictionEngine");
        Assert.AreEqual(scores[0], model.Model.Predict(probeRows[0].Features)[0], "the public Predict applies the same preprocessing");
    }

    public sealed class ScoreRow
    {
        public float Score { get; set; }
    }

    [TestMethod]
    public void SkipAndThrowKeepTheEarlierBehaviour()
    {
        var ml = new MLContext(1);
        var log = ReliabilityData.CaptureLog(ml);
        var rows = RowsWithHoles(140, 1);
        int holes = rows.Count(r => r.Features.Any(float.IsNaN));
        var train = ml.Data.LoadFromEnumerable(rows);
        var skip = ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options
        { HiddenLayerSizes = [4], NumberOfEpochs = 1, MissingValues = MissingValueHandling.Skip, NumericScaling = NumericScaling.None }).Fit(train);
        Assert.IsNull(skip.Model.Preprocessing, "Skip with no scaling: no preprocessing stage, a version-1 model");
        Assert.IsTrue(log.Any(m => m.Contains($"BatchNormMlp skipped {holes} of 140 training rows: {holes} with NaN")), string.Join("\n", log.Where(m => m.Contains("skipped"))));
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options
        { HiddenLayerSizes = [4], NumberOfEpochs = 1, MissingValues = MissingValueHandling.Throw }).Fit(train));
        StringAssert.Contains(e.Message, "Row 3 of feature column 'Features' holds NaN at slot 0");
    }

    [TestMethod]
    public void UnshuffledStreamingGivesTheCachedModelWithPreprocessing()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(RowsWithHoles(300, 1));
        int[] Bits(int budget) => ReliabilityData.AllBits(ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options
        { HiddenLayerSizes = [8], NumberOfEpochs = 3, Seed = 1, NumberOfThreads = 1, Shuffle = false, ValidationFraction = 0, MaximumCacheMegabytes = budget }).Fit(train).Model);
        CollectionAssert.AreEqual(Bits(2048), Bits(0));
    }

    [TestMethod]
    [DataRow(OnnxTask.Binary)]
    [DataRow(OnnxTask.Multiclass)]
    [DataRow(OnnxTask.Regression)]
    public void OnnxRuntimeAgreesOnRowsWithMissingAndInfiniteValues(OnnxTask task)
    {
        var ml = new MLContext(seed: 1);
        List<OnnxRow> Holes(List<OnnxRow> rows)
        {
            for (int i = 0; i < rows.Count; i++)
            {
                if (i % 5 == 1) rows[i].X1 = float.NaN;
                if (i % 9 == 4) rows[i].X3 = float.NaN;
                if (i % 13 == 6) rows[i].X2 = i % 2 == 0 ? float.PositiveInfinity : float.NegativeInfinity;
                if (i % 17 == 8) rows[i].X3 = float.MaxValue;
            }
            return rows;
        }
        var trainRows = Holes(OnnxTestData.Rows(192, 7));
        var testRows = Holes(OnnxTestData.Rows(64, 11));
        var train = ml.Data.LoadFromEnumerable(trainRows);
        var test = ml.Data.LoadFromEnumerable(testRows);
        var model = OnnxTestData.Pipeline(ml, task, new OnnxTestData.Net()).Fit(train);
        var pre = OnnxTestData.ModelOf(model).Preprocessing!;
        Assert.AreEqual(2, pre.IndicatorInputs.Count, "X1 and X3 had NaN in training");
        byte[] onnx = OnnxRunner.Export(ml, model, train);
        OnnxParity.AssertOutputsMatch(ml, task, model, test, OnnxRunner.Run(onnx, testRows), $"{task} with NaN/±∞");
        var graph = OnnxProtoReader.Read(onnx);
        Assert.IsTrue(graph.Nodes.Any(n => n.OpType == "IsNaN") && graph.Nodes.Any(n => n.OpType == "Gather"), "imputation and indicators are in the graph");
    }

    [TestMethod]
    public void RobustScalingAcceptsMagnitudesTheRawPathRefuses()
    {
        // Without scaling, |x| > 1e18 is refused (BN would square it); robust scaling clips it first, so it trains.
        var ml = new MLContext(1);
        var rows = ReliabilityData.Rows(200, 3);
        rows[7].Features[1] = 1e30f;
        rows[9].Features[2] = -3e38f;
        var model = ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options
        { HiddenLayerSizes = [8], NumberOfEpochs = 3, Seed = 1, NumberOfThreads = 1 }).Fit(ml.Data.LoadFromEnumerable(rows));
        Assert.IsTrue(ReliabilityData.AllFinite(model.Model));
        Assert.IsTrue(model.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float>("Score").All(float.IsFinite));
    }

    [TestMethod]
    public void AnUndefinedMissingValuesPolicyIsRejectedNamingTheOption()
    {
        // An adapter-only option (the engine never sees it), so OptionBoundaryTests' engine comparison does not apply.
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MLContext().BinaryClassification.Trainers.BatchNormMlp(
            new BatchNormMlpBinaryTrainer.Options { MissingValues = (MissingValueHandling)5 }));
        Assert.AreEqual(nameof(BatchNormMlpOptionsBase.MissingValues), e.ParamName);
        StringAssert.Contains(e.Message, "must be one of Impute, Skip, Throw");
    }
}
