using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Onnx;
using BnMlNet.Tests.Persistence;
using BnMlNet.Tests.Reliability;
using static BnMlNet.Tests.Scoring.VectorScoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Scoring;

/// <summary>
/// Issue 12: non-finite features at scoring. Models without preprocessing impute NaN with the input batch norm's
/// running mean and clip ±∞ to ±4 running standard deviations, or throw naming the column and slot when they have
/// no input batch norm; no finite input, ±float.MaxValue included, gives a non-finite output; Transform and
/// PredictionEngine agree bit for bit; a Poisson model's rate e^output is capped at e^80, so it stays finite too.
/// </summary>
[TestClass]
public sealed class NonFiniteScoringTests
{
    private static ITransformer Train(MLContext ml, VectorTask kind, bool preprocessing, bool inputBatchNorm, string column = "Features")
    {
        var rows = ReliabilityData.Rows(240, 1, scale: 5f);
        if (kind == VectorTask.Poisson) foreach (var r in rows) r.Target = MathF.Round(MathF.Abs(r.Target));   // counts
        return VectorScoring.Train(ml, kind, rows, column, preprocessing, hidden: [8, 6], epochs: 3, o => o.InputBatchNorm = inputBatchNorm);
    }

    [TestMethod]
    [DataRow(VectorTask.Binary)]
    [DataRow(VectorTask.Multiclass)]
    [DataRow(VectorTask.Regression)]
    public void WithoutPreprocessingNaNTakesTheRunningMeanAndInfinityFourRunningDeviations(VectorTask kind)
    {
        var ml = new MLContext(1);
        var model = Train(ml, kind, preprocessing: false, inputBatchNorm: true);
        var p = ModelOf(model);
        Assert.IsNull(p.Preprocessing, "a model trained with the recipe off carries no preprocessing");
        var bn = p.InputBatchNorm!;
        float Mean(int j) => bn.RunningMean[j];
        float Deviation(int j, int sign) => (float)(bn.RunningMean[j] + sign * 4 * Math.Sqrt(bn.RunningVariance[j]));
        var nonFinite = new List<VectorRow>
        {
            Row(float.NaN, 0.5f, -1f), Row(1f, float.PositiveInfinity, float.NaN), Row(float.NegativeInfinity, float.NaN, float.PositiveInfinity),
        };
        var reference = new List<VectorRow>   // the same rows with the documented values written in by hand
        {
            Row(Mean(0), 0.5f, -1f), Row(1f, Deviation(1, +1), Mean(2)), Row(Deviation(0, -1), Mean(1), Deviation(2, +1)),
        };
        var expected = ByTransform(ml, model, kind, reference);
        var transform = ByTransform(ml, model, kind, nonFinite);
        var engine = ByEngine(ml, model, kind, nonFinite);
        for (int r = 0; r < nonFinite.Count; r++)
        {
            CollectionAssert.AreEqual(expected[r], transform[r], $"{kind} row {r}: Transform");
            CollectionAssert.AreEqual(expected[r], engine[r], $"{kind} row {r}: PredictionEngine");
            CollectionAssert.AreEqual(p.Predict(reference[r].Features), p.Predict(nonFinite[r].Features), $"{kind} row {r}: Predict");
            Assert.IsTrue(transform[r].All(float.IsFinite));
        }
    }

    [TestMethod]
    [DataRow(VectorTask.Binary)]
    [DataRow(VectorTask.Multiclass)]
    [DataRow(VectorTask.Regression)]
    public void WithoutPreprocessingAndInputBatchNormANonFiniteFeatureThrowsNamingColumnAndSlot(VectorTask kind)
    {
        var ml = new MLContext(1);
        var model = Train(ml, kind, preprocessing: false, inputBatchNorm: false, column: "Inputs");
        var p = ModelOf(model);
        Assert.IsNull(p.InputBatchNorm);
        var finite = new List<VectorRow> { Row(0.5f, -1f, 2f) };
        Assert.IsTrue(ByTransform(ml, model, kind, finite)[0].All(float.IsFinite), "finite rows score as before");
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var rows = new List<VectorRow> { Row(0.5f, -1f, 2f), Row(0.5f, -1f, bad) };
            var viaTransform = Assert.Throws<Exception>(() => ByTransform(ml, model, kind, rows));
            var viaEngine = Assert.Throws<Exception>(() => ByEngine(ml, model, kind, rows));
            foreach (var e in new[] { viaTransform, viaEngine })
            {
                string m = MessageChain(e);
                StringAssert.Contains(m, "Feature column 'Inputs' slot 2 is");
                StringAssert.Contains(m, "no training statistics");
            }
            var direct = Assert.ThrowsExactly<InvalidOperationException>(() => p.Predict(rows[1].Features));
            StringAssert.Contains(direct.Message, "slot 2");
        }
    }

    private static readonly float[] Specials =
        [float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.MaxValue, float.Epsilon, -float.Epsilon, 1e-40f, -1e-39f, 3.4e38f, -3.4e38f, 0f, -0f];

    [TestMethod]
    [DataRow(VectorTask.Binary, true)]
    [DataRow(VectorTask.Multiclass, true)]
    [DataRow(VectorTask.Regression, true)]
    [DataRow(VectorTask.Binary, false)]
    [DataRow(VectorTask.Multiclass, false)]
    [DataRow(VectorTask.Regression, false)]
    [DataRow(VectorTask.Poisson, true)]
    [DataRow(VectorTask.Poisson, false)]
    public void FuzzedRowsScoreFinitelyAndIdenticallyThroughTransformAndPredictionEngine(VectorTask kind, bool preprocessing)
    {
        var ml = new MLContext(1);
        var model = Train(ml, kind, preprocessing, inputBatchNorm: true);
        Assert.AreEqual(preprocessing, ModelOf(model).Preprocessing is not null);
        var rng = new Random(1200 + (int)kind);
        var rows = new List<VectorRow>();
        for (int i = 0; i < 400; i++)
        {
            var x = new float[3];
            for (int j = 0; j < 3; j++)
                x[j] = rng.Next(3) switch
                {
                    0 => Specials[rng.Next(Specials.Length)],
                    1 => (float)(rng.NextDouble() * 20 - 10),
                    _ => (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.Next(-30, 39))),
                };
            if (i < 4) x = i switch   // the extremes of a finite row, in every feature at once
            {
                0 => [float.MaxValue, float.MaxValue, float.MaxValue],
                1 => [-float.MaxValue, -float.MaxValue, -float.MaxValue],
                2 => [float.MaxValue, -float.MaxValue, float.MaxValue],
                _ => [-float.MaxValue, float.MaxValue, -float.MaxValue],
            };
            rows.Add(Row(x));
        }
        var transform = ByTransform(ml, model, kind, rows);
        var engine = ByEngine(ml, model, kind, rows);
        for (int r = 0; r < rows.Count; r++)
        {
            string what = $"{kind}, preprocessing {preprocessing}, row {r} [{string.Join(", ", rows[r].Features)}]";
            Assert.IsTrue(transform[r].All(float.IsFinite), $"{what} → [{string.Join(", ", transform[r])}]");
            CollectionAssert.AreEqual(transform[r].Select(BitConverter.SingleToInt32Bits).ToArray(),
                engine[r].Select(BitConverter.SingleToInt32Bits).ToArray(), $"{what}: Transform and PredictionEngine differ");
        }
        if (kind == VectorTask.Poisson && !preprocessing)   // the rows at ±float.MaxValue reach the log-rate cap (e^output was +∞ before it)
            Assert.IsTrue(transform.Any(s => s[0] == MathF.Exp(80f)), "no fuzzed row reached the Poisson log-rate cap e^80");
    }

    [TestMethod]
    [DataRow(OnnxTask.Binary)]
    [DataRow(OnnxTask.Multiclass)]
    [DataRow(OnnxTask.Regression)]
    public void OnnxRuntimeAppliesTheRunningStatisticsRuleOfAModelWithoutPreprocessing(OnnxTask task)
    {
        var ml = new MLContext(seed: 1);
        var trainRows = OnnxTestData.Rows(192, 7);
        var testRows = OnnxTestData.Rows(64, 11);
        for (int i = 0; i < testRows.Count; i++)
        {
            if (i % 5 == 1) testRows[i].X1 = float.NaN;
            if (i % 9 == 4) testRows[i].X3 = float.NaN;
            if (i % 7 == 6) testRows[i].X2 = i % 2 == 0 ? float.PositiveInfinity : float.NegativeInfinity;
        }
        var train = ml.Data.LoadFromEnumerable(trainRows);
        var test = ml.Data.LoadFromEnumerable(testRows);
        var model = OnnxTestData.Pipeline(ml, task, new OnnxTestData.Net(WithoutRecipe: true)).Fit(train);
        Assert.IsNull(OnnxTestData.ModelOf(model).Preprocessing);
        Assert.IsNotNull(OnnxTestData.ModelOf(model).InputBatchNorm);
        byte[] onnx = OnnxRunner.Export(ml, model, train);
        OnnxParity.AssertOutputsMatch(ml, task, model, test, OnnxRunner.Run(onnx, testRows), $"{task} without preprocessing, NaN/±∞");
    }

    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Multiclass)]
    [DataRow(SyntheticData.Task.Regression)]
    public void FormatOneFixturesScoreNonFiniteRowsByTheirRunningStatistics(SyntheticData.Task task)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "compat");
        var ml = new MLContext();
        var model = ml.Model.Load(Path.Combine(dir, $"v1-{task.ToString().ToLowerInvariant()}.zip"), out _);
        var p = ModelOf(model);
        Assert.IsNull(p.Preprocessing, "format 1 carries no preprocessing");
        var bn = p.InputBatchNorm!;
        int x1 = p.FeatureCount - 2, x2 = p.FeatureCount - 1;   // Features = [one-hot colour, X1, X2]
        float Deviation(int j, int sign) => (float)(bn.RunningMean[j] + sign * 4 * Math.Sqrt(bn.RunningVariance[j]));
        var probe = SyntheticData.Rows(6, seed: 99);
        var holes = probe.Select((r, i) => new RawRow { Color = r.Color, Class = r.Class, IsPositive = r.IsPositive, Target = r.Target,
            X1 = i % 2 == 0 ? float.NaN : r.X1, X2 = i % 3 == 0 ? r.X2 : (i % 3 == 1 ? float.PositiveInfinity : float.NegativeInfinity) }).ToList();
        var reference = probe.Select((r, i) => new RawRow { Color = r.Color, Class = r.Class, IsPositive = r.IsPositive, Target = r.Target,
            X1 = i % 2 == 0 ? bn.RunningMean[x1] : r.X1, X2 = i % 3 == 0 ? r.X2 : Deviation(x2, i % 3 == 1 ? +1 : -1) }).ToList();
        var actual = CompatibilityFixture.Predictions(ml, model, ml.Data.LoadFromEnumerable(holes), task);
        var expected = CompatibilityFixture.Predictions(ml, model, ml.Data.LoadFromEnumerable(reference), task);
        Assert.AreEqual(expected.ToJsonString(), actual.ToJsonString(), $"{task}");
        StringAssert.DoesNotMatch(actual.ToJsonString(), new System.Text.RegularExpressions.Regex("NaN|Infinity"));
    }
}
