using System.Text.Json.Nodes;
using BnMlNet.Engine;
using BnMlNet.Engine.Losses;
using BnMlNet.Tests.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// The regression Loss option: Poisson (log link, Score = e^output) and Huber (δ = 1). The loss pairs against PyTorch
/// (Fixtures/torch/regression_losses.json, written by test/fixtures/generate_torch_fixtures.py) and finite differences;
/// the trainers end to end, through a reload, the PredictionEngine and ONNX Runtime.
/// </summary>
[TestClass]
public sealed class RegressionLossTests
{
    private static LossKind Kind(string name) => name == "poisson" ? LossKind.Poisson : LossKind.Huber;

    private static float[] Floats(JsonNode? node) => node is null ? [] : node.AsArray().Select(v => (float)(double)v!).ToArray();

    [TestMethod]
    public void LossAndGradientMatchPyTorch()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "torch", "regression_losses.json");
        Assert.IsTrue(File.Exists(path), $"missing fixture {path}");
        var cases = JsonNode.Parse(File.ReadAllText(path))!["cases"]!.AsArray();
        Assert.HasCount(4, cases);
        foreach (var c in cases)
        {
            string name = (string)c!["name"]!;
            int rows = (int)c["rows"]!;
            float[] outputs = Floats(c["outputs"]), labels = Floats(c["labels"]), weights = Floats(c["weights"]);
            var kind = Kind((string)c["loss"]!);
            double loss = LossFunction.Forward(kind, outputs, labels, weights, rows, 1, out _);
            Assert.AreEqual((double)c["expected_loss"]!, loss, 1e-9 * Math.Max(1, Math.Abs(loss)), $"{name}: loss");
            var grad = new float[rows];
            LossFunction.Backward(kind, grad, outputs, labels, weights, rows, 1);
            float[] expected = Floats(c["expected_grad"]);
            for (int i = 0; i < rows; i++)
                Assert.AreEqual(expected[i], grad[i], 1e-6 * Math.Max(1e-3, Math.Abs(expected[i])), $"{name}: gradient {i}");
        }
    }

    [TestMethod]
    [DataRow(LossKind.Poisson)]
    [DataRow(LossKind.Huber)]
    public void GradientMatchesFiniteDifferences(LossKind kind)
    {
        var rng = new Random(3);
        int rows = 20;
        float[] o = Enumerable.Range(0, rows).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        float[] y = Enumerable.Range(0, rows).Select(_ => kind == LossKind.Poisson ? rng.Next(6) : (float)(rng.NextDouble() * 6 - 3)).ToArray();
        float[] w = Enumerable.Range(0, rows).Select(_ => (float)(0.2 + rng.NextDouble())).ToArray();
        var grad = new float[rows];
        LossFunction.Backward(kind, grad, o, y, w, rows, 1);
        for (int i = 0; i < rows; i++)
        {
            if (kind == LossKind.Huber && Math.Abs(Math.Abs(o[i] - y[i]) - 1) < 1e-2) continue;   // the kink
            float h = 1e-3f;
            var plus = (float[])o.Clone(); plus[i] += h;
            var minus = (float[])o.Clone(); minus[i] -= h;
            double numeric = (LossFunction.Forward(kind, plus, y, w, rows, 1, out _) - LossFunction.Forward(kind, minus, y, w, rows, 1, out _)) / ((double)plus[i] - minus[i]);
            Assert.AreEqual(numeric, grad[i], 1e-4 + 1e-3 * Math.Abs(numeric), $"{kind} row {i}");
        }
    }

    /// <summary>OnnxTestData's rows with a count target drawn from Poisson(e^(0.4·signal + 1)).</summary>
    private static List<OnnxRow> Counts(int count, int seed)
    {
        var rng = new Random(seed + 100);
        return OnnxTestData.Rows(count, seed).Select(r =>
        {
            double rate = Math.Exp(0.4 * (r.X1 - 0.5 * r.X2 + 0.1 * r.X3) + 1);
            int k = 0;
            for (double p = Math.Exp(-rate), u = rng.NextDouble(), cdf = p; u > cdf; cdf += p) { k++; p *= rate / k; }
            r.Target = k;
            return r;
        }).ToList();
    }

    private static IEstimator<ITransformer> Pipeline(MLContext ml, RegressionLoss loss, int epochs = 30) =>
        ml.Transforms.CopyColumns("Label", nameof(OnnxRow.Target))
            .Append(ml.Transforms.Categorical.OneHotEncoding("ColorEncoded", nameof(OnnxRow.Color)))
            .Append(ml.Transforms.Concatenate("Features", "ColorEncoded", nameof(OnnxRow.X1), nameof(OnnxRow.X2), nameof(OnnxRow.X3)))
            .Append(ml.Regression.Trainers.BatchNormMlp(new BatchNormMlpRegressionTrainer.Options
            { HiddenLayerSizes = [16], NumberOfEpochs = epochs, BatchSize = 32, Seed = 5, NumberOfThreads = 1, Loss = loss }));

    public sealed class ScoreRow
    {
        public float Score { get; set; }
    }

    [TestMethod]
    public void PoissonScoresArePositiveRatesAgreeingEverywhere()
    {
        var ml = new MLContext(seed: 1);
        var trainRows = Counts(600, 7);
        var testRows = Counts(80, 11);
        var train = ml.Data.LoadFromEnumerable(trainRows);
        var test = ml.Data.LoadFromEnumerable(testRows);
        var model = Pipeline(ml, RegressionLoss.Poisson).Fit(train);
        var parameters = OnnxTestData.ModelOf(model);
        Assert.IsTrue(parameters.ExponentialScore);

        var scores = model.Transform(test).GetColumn<float>("Score").ToArray();
        Assert.IsTrue(scores.All(s => s > 0 && float.IsFinite(s)), "a rate is positive");
        double meanLabel = testRows.Average(r => r.Target), meanScore = scores.Average();
        Assert.AreEqual(meanLabel, meanScore, 0.15 * meanLabel, "the rates are on the counts' scale");
        // Better than the constant rate: Poisson deviance against the mean.
        double Deviance(IEnumerable<double> rates) => testRows.Zip(rates).Sum(p => p.Second - p.First.Target * Math.Log(p.Second));
        Assert.IsLessThan(Deviance(testRows.Select(_ => meanLabel)), Deviance(scores.Select(s => (double)s)));
        Assert.AreEqual(MathF.Exp(parameters.Predict(FeaturesOf(ml, model, test)[0])[0]), scores[0], 1e-6f * scores[0], "Score = e^output");

        using var engine = ml.Model.CreatePredictionEngine<OnnxRow, ScoreRow>(model);
        CollectionAssert.AreEqual(scores, testRows.Select(r => engine.Predict(r).Score).ToArray(), "PredictionEngine");
        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        stream.Position = 0;
        CollectionAssert.AreEqual(scores, new MLContext().Model.Load(stream, out _).Transform(test).GetColumn<float>("Score").ToArray(), "reloaded");

        byte[] onnx = OnnxRunner.Export(ml, model, train);
        Assert.IsTrue(OnnxProtoReader.Read(onnx).Nodes.Any(n => n.OpType == "Exp"), "the log link is exported");
        OnnxParity.AssertClose(scores, OnnxRunner.Output<float>(OnnxRunner.Run(onnx, testRows), "Score"), "ONNX Score", tolerance: 1e-5 * scores.Max());
    }

    private static float[][] FeaturesOf(MLContext ml, ITransformer model, IDataView data)
    {
        var parts = ((IEnumerable<ITransformer>)model).ToList();
        foreach (var t in parts.Take(parts.Count - 1)) data = t.Transform(data);
        return data.GetColumn<float[]>("Features").ToArray();
    }

    [TestMethod]
    public void ANegativePoissonLabelIsAClearErrorNamingTheColumn()
    {
        var ml = new MLContext(seed: 1);
        var rows = Counts(100, 7);
        rows[4].Target = -2;
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => Pipeline(ml, RegressionLoss.Poisson, epochs: 1).Fit(ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(e.Message, "Label column 'Label'");
        StringAssert.Contains(e.Message, "needs labels ≥ 0");
        StringAssert.Contains(e.Message, "-2");
    }

    [TestMethod]
    public void HuberResistsOutlyingLabelsBetterThanSquaredError()
    {
        var ml = new MLContext(seed: 1);
        var clean = OnnxTestData.Rows(600, 7);
        var rng = new Random(9);
        var dirty = clean.Select(r => new OnnxRow { Color = r.Color, X1 = r.X1, X2 = r.X2, X3 = r.X3, Target = r.Target + (rng.NextDouble() < 0.08 ? 60f : 0f) }).ToList();
        var testRows = OnnxTestData.Rows(200, 11);
        var test = ml.Data.LoadFromEnumerable(testRows);
        double Rmse(RegressionLoss loss) => ml.Regression.Evaluate(Pipeline(ml, loss).Fit(ml.Data.LoadFromEnumerable(dirty)).Transform(test)).RootMeanSquaredError;
        double huber = Rmse(RegressionLoss.Huber), squared = Rmse(RegressionLoss.SquaredError);
        Assert.IsLessThan(squared, huber, $"on clean test labels: Huber RMSE {huber:F3}, squared error {squared:F3}");
    }

    [TestMethod]
    public void AnUnknownLossIsRejectedNamingTheOption()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MLContext().Regression.Trainers.BatchNormMlp(
            new BatchNormMlpRegressionTrainer.Options { Loss = (RegressionLoss)7 }));
        Assert.AreEqual("Loss", e.ParamName);
    }
}
