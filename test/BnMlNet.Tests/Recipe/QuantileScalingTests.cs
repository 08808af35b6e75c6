using BnMlNet.Engine;
using BnMlNet.Engine.Preprocessing;
using BnMlNet.Tests.Onnx;
using BnMlNet.Tests.Reliability;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// NumericScaling.Quantile: Φ⁻¹ against published values, the knots and the map against hand-computed values (ties,
/// constants, two-valued columns, values outside the range, NaN), the bounded sample, option validation, Transform =
/// PredictionEngine = ONNX Runtime (the model zip: CompatibilityV7Tests).
/// </summary>
[TestClass]
public sealed class QuantileScalingTests
{
    private static DenseDataset Columns(params float[][] columns)
    {
        int n = columns[0].Length, f = columns.Length;
        var x = new float[n * f];
        for (int r = 0; r < n; r++) for (int j = 0; j < f; j++) x[r * f + j] = columns[j][r];
        return new DenseDataset(x, new float[n], null, f);
    }

    private static FeaturePreprocessor Fit(params float[][] columns) =>
        PreprocessorFitter.Fit(Columns(columns), new PreprocessingSettings(NumericScaling.Quantile), seed: 1);

    private const float Bound = (float)QuantileMap.OutputBound;
    private const float Q75 = 0.6744897501960817f;   // Φ⁻¹(0.75)

    [TestMethod]
    [DataRow(0.5, 0.0)]
    [DataRow(0.75, 0.6744897501960817)]
    [DataRow(0.975, 1.959963984540054)]
    [DataRow(0.001, -3.090232306167813)]
    [DataRow(1e-7, -5.199337582192817)]
    [DataRow(0.9999999, 5.199337582192817)]
    public void NormalQuantileMatchesPublishedValues(double p, double expected) =>
        Assert.AreEqual(expected, NormalQuantile.Inverse(p), 2e-9 * Math.Max(1, Math.Abs(expected)));

    [TestMethod]
    public void FiveDistinctValuesGiveFiveKnotsAtTheQuartilesNormalScores()
    {
        // 5 values: n_quantiles = min(clamp(5/30, 10, 1000), 5) = 5, p = 0, ¼, ½, ¾, 1.
        var p = Fit([4f, 1f, 16f, 9f, 25f]);
        var knots = p.Quantile!.Knots(0);
        CollectionAssert.AreEqual(new[] { 1f, 4f, 9f, 16f, 25f }, knots.Select(k => k.X).ToArray());
        float[] y = [-Bound, -Q75, 0f, Q75, Bound];
        for (int i = 0; i < 5; i++) Assert.AreEqual(y[i], knots[i].Y, 1e-6f, $"knot {i}");
        var m = p.Quantile;
        Assert.AreEqual(-Q75 / 2, m.Map(0, 6.5f), 1e-6f, "halfway from 4 to 9: halfway from −0.674 to 0 (linear in the normal space)");
        Assert.AreEqual(-Bound, m.Map(0, -1000f), "constant below the range");
        Assert.AreEqual(Bound, m.Map(0, 1e30f), "constant above the range");
        var o = new float[1];
        p.Apply([float.PositiveInfinity], o);
        Assert.AreEqual(Bound, o[0], "+∞ becomes the sample maximum, then the map");
        p.Apply([float.NaN], o);
        Assert.AreEqual(0f, o[0], 1e-6f, "NaN becomes the median (9), which maps to Φ⁻¹(½) = 0");
    }

    [TestMethod]
    public void TiedKnotsBecomeOneKnotAtTheMiddleOfTheRun()
    {
        // Interior tie: x = −1, 0, 0, 0, 1 (p = 0, ¼, ½, ¾, 1): the run at 0 maps to Φ⁻¹((¼ + ¾)/2) = 0, as sklearn.
        var interior = Fit([-1f, 0f, 0f, 0f, 1f]).Quantile!.Knots(0);
        CollectionAssert.AreEqual(new[] { -1f, 0f, 1f }, interior.Select(k => k.X).ToArray());
        Assert.AreEqual(0f, interior[1].Y, 1e-7f);
        // Zero-inflated, 300 rows: 270 zeros then 1..30. n_quantiles = 300/30 = 10 at p = i/9; positions 299·i/9 < 270
        // for i ≤ 8, so knots 0..8 are all 0: one knot at Φ⁻¹((0 + 8/9)/2) = Φ⁻¹(4/9), then (30, +5.2).
        float[] capitalGain = Enumerable.Range(0, 300).Select(i => i < 270 ? 0f : i - 269f).ToArray();
        var p = Fit(capitalGain);
        var knots = p.Quantile!.Knots(0);
        Assert.AreEqual(2, knots.Count);
        Assert.AreEqual((0f, (float)NormalQuantile.Inverse(4.0 / 9)), knots[0]);
        Assert.AreEqual((30f, Bound), knots[1]);
        Assert.IsTrue(knots[0].Y is > -0.15f and < -0.13f, $"Φ⁻¹(4/9) ≈ −0.1397, got {knots[0].Y}");
        Assert.AreEqual((knots[0].Y + Bound) / 2, p.Quantile.Map(0, 15f), 1e-6f);
    }

    [TestMethod]
    public void ConstantAndTwoValuedColumnsAndTheKnotCount()
    {
        var rng = new Random(3);
        int n = 3100;
        float[] distinct = Enumerable.Range(0, n).Select(i => (float)rng.NextDouble() * 100 + i * 1e-3f).ToArray();
        float[] constant = Enumerable.Repeat(2.5f, n).ToArray();
        float[] oneHot = Enumerable.Range(0, n).Select(i => i % 9 == 0 ? 1f : 0f).ToArray();
        float[] flag = Enumerable.Range(0, n).Select(i => i % 4 == 0 ? 7f : 3f).ToArray();
        var p = Fit(distinct, constant, oneHot, flag);
        Assert.AreEqual(103, p.Quantile!.Knots(0).Count, "clamp(3100/30, 10, 1000) = 103 knots (distinct values)");
        var o = new float[4];
        foreach (var (x, expected) in new[] { ((float[])[50f, 2.5f, 1f, 7f], (float[])[float.NaN, 0f, 1f, 1f]), ([50f, -9f, 0f, 3f], [float.NaN, 0f, 0f, 0f]) })
        {
            p.Apply(x, o);
            for (int j = 1; j < 4; j++) Assert.AreEqual(expected[j], o[j], $"slot {j} of [{string.Join(", ", x)}]");
        }
        Assert.AreEqual(1000, Fit(Enumerable.Range(0, 31_000).Select(i => (float)i).ToArray()).Quantile!.Knots(0).Count, "at most 1,000 knots");
    }

    [TestMethod]
    public void MissingIndicatorsStayZeroOneAndRowPathsAgreeAndAllocateNothing()
    {
        var rng = new Random(5);
        var cols = Enumerable.Range(0, 10).Select(c => Enumerable.Range(0, 400).Select(i => c == 2 && i % 7 == 0 ? float.NaN : (float)Math.Exp(rng.NextDouble() * 4)).ToArray()).ToArray();
        var p = Fit(cols);
        CollectionAssert.AreEqual(new[] { 2 }, p.IndicatorInputs.ToArray());
        int rows = 50;
        var x = Enumerable.Range(0, rows * 10).Select(i => i % 13 == 0 ? float.NaN : (float)(rng.NextDouble() * 80 - 10)).ToArray();
        var batch = new float[rows * p.OutputSize];
        p.ApplyRows(x, batch, rows);
        var one = new float[p.OutputSize];
        for (int r = 0; r < rows; r++)
        {
            p.Apply(x.AsSpan(r * 10, 10), one);
            CollectionAssert.AreEqual(one, batch.AsSpan(r * p.OutputSize, p.OutputSize).ToArray(), $"row {r}");
            Assert.AreEqual(float.IsNaN(x[r * 10 + 2]) ? 1f : 0f, one[10], "the indicator is 0/1, not mapped");
            Assert.IsTrue(one.Take(10).All(v => Math.Abs(v) <= Bound), "outputs within ±5.2");
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int r = 0; r < rows; r++) p.Apply(x.AsSpan(r * 10, 10), one);
        Assert.AreEqual(0, GC.GetAllocatedBytesForCurrentThread() - before, "Apply allocates nothing per row");
    }

    [TestMethod]
    public void KnotsComeFromTheBoundedSeededSampleIdenticalForStreamedData()
    {
        var rng = new Random(2);
        var data = Columns(Enumerable.Range(0, 1000).Select(_ => (float)rng.NextDouble()).ToArray());
        var settings = new PreprocessingSettings(NumericScaling.Quantile, MaximumSampleRows: 60);
        var cached = PreprocessorFitter.Fit(data, settings, 7).Quantile!.Knots(0);
        var streamed = PreprocessorFitter.Fit(new Streamed(data), settings, 7).Quantile!.Knots(0);
        CollectionAssert.AreEqual(cached.ToArray(), streamed.ToArray());
        Assert.AreEqual(10, cached.Count, "60 sample rows: clamp(2, 10, 1000) = 10 knots, not the 33 of 1,000 rows");
        Assert.AreEqual(33, PreprocessorFitter.Fit(data, new PreprocessingSettings(NumericScaling.Quantile), 7).Quantile!.Knots(0).Count);
    }

    private sealed class Streamed(IMiniBatchSource inner) : IMiniBatchSource
    {
        public int FeatureCount => inner.FeatureCount;
        public long RowCount => inner.RowCount;
        public IEnumerable<MiniBatch> GetBatches(int batchSize, Random? shuffle) => inner.GetBatches(Math.Min(batchSize, 13), shuffle);
    }

    [TestMethod]
    public void BadKnotsAndUnknownScalingsAreRefusedByName()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new QuantileMap([[(0f, 0f), (1f, 1f)], [(2f, 0f), (2f, 1f)]]));
        StringAssert.Contains(e.Message, "Feature 1 knot 1 has x = 2 after 2");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new PreprocessingSettings((NumericScaling)3).Validate());
        Assert.ThrowsExactly<ArgumentException>(() => new FeaturePreprocessor([0f], [0f], [0f], [0f], [1f], [], smoothClip: true, new QuantileMap([[(0f, 0f)]])));
    }

    [TestMethod]
    public void TransformAndPredictionEngineAgree()
    {
        var ml = new MLContext(1);
        var rows = ReliabilityData.Rows(300, 1, scale: 40f);
        for (int i = 0; i < rows.Count; i++) if (i % 7 == 2) rows[i].Features[0] = float.NaN;
        var train = ml.Data.LoadFromEnumerable(rows);
        var model = ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options
        { HiddenLayerSizes = [8], NumberOfEpochs = 3, Seed = 1, NumberOfThreads = 1, NumericScaling = NumericScaling.Quantile }).Fit(train);
        Assert.IsNotNull(model.Model.Preprocessing?.Quantile, "the quantile map is fitted");
        var probeRows = ReliabilityData.Rows(40, 2, scale: 40f);
        probeRows[0].Features = [float.PositiveInfinity, float.NaN, -1e30f];
        var scores = model.Transform(ml.Data.LoadFromEnumerable(probeRows)).GetColumn<float>("Score").ToArray();
        Assert.IsTrue(scores.All(float.IsFinite));
        using var engine = ml.Model.CreatePredictionEngine<VectorRow, PreprocessingTests.ScoreRow>(model);
        CollectionAssert.AreEqual(scores, probeRows.Select(r => engine.Predict(r).Score).ToArray(), "PredictionEngine = Transform");
    }

    [TestMethod]
    [DataRow(OnnxTask.Binary)]
    [DataRow(OnnxTask.Multiclass)]
    [DataRow(OnnxTask.Regression)]
    public void OnnxRuntimeAgreesWithQuantileScalingOnRowsWithMissingAndInfiniteValues(OnnxTask task)
    {
        var ml = new MLContext(seed: 1);
        List<OnnxRow> Holes(List<OnnxRow> rows)
        {
            for (int i = 0; i < rows.Count; i++)
            {
                if (i % 5 == 1) rows[i].X1 = float.NaN;
                if (i % 13 == 6) rows[i].X2 = i % 2 == 0 ? float.PositiveInfinity : float.NegativeInfinity;
                if (i % 17 == 8) rows[i].X3 = i % 2 == 0 ? float.MaxValue : -1e30f;
            }
            return rows;
        }
        var trainRows = Holes(OnnxTestData.Rows(400, 7));
        var testRows = Holes(OnnxTestData.Rows(64, 11));
        var train = ml.Data.LoadFromEnumerable(trainRows);
        var test = ml.Data.LoadFromEnumerable(testRows);
        var model = OnnxTestData.Pipeline(ml, task, new OnnxTestData.Net(Scaling: NumericScaling.Quantile)).Fit(train);
        var pre = OnnxTestData.ModelOf(model).Preprocessing!;
        Assert.IsNotNull(pre.Quantile, "the quantile map is fitted");
        Assert.IsTrue(Enumerable.Range(0, pre.InputSize).Any(j => pre.Quantile.Knots(j).Count > 5), "some feature has a real quantile map");
        byte[] onnx = OnnxRunner.Export(ml, model, train);
        OnnxParity.AssertOutputsMatch(ml, task, model, test, OnnxRunner.Run(onnx, testRows), $"{task} with quantile scaling");
        Assert.IsTrue(OnnxProtoReader.Read(onnx).Nodes.Any(n => n.OpType == "MatMul" && n.Inputs.Any(i => i.Contains("Pre.Quantile.Slope"))),
            "the map is in the graph as its piecewise-linear MatMul");
    }
}
