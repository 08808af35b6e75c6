using System.Text.Json.Nodes;
using BnMlNet.Engine;
using BnMlNet.Engine.Losses;
using BnMlNet.Tests.Persistence;
using BnMlNet.Tests.Reliability;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// LabelSmoothing (binary and multiclass, training only): the loss pairs against PyTorch's
/// CrossEntropyLoss(label_smoothing=ε) (Fixtures/torch/label_smoothing.json, written by
/// test/fixtures/generate_torch_fixtures.py) and against finite differences; ε = 0 is the plain loss bit for bit;
/// the trainers use it, and the saved model's format does not change.
/// </summary>
[TestClass]
public sealed class LabelSmoothingTests
{
    private static float[] Floats(JsonNode? node) => node is null ? [] : node.AsArray().Select(v => (float)(double)v!).ToArray();

    private static LossKind Head(int classes, bool binary) => binary ? LossKind.BinaryLogLoss : LossKind.SoftmaxCrossEntropy;

    [TestMethod]
    public void LossAndGradientMatchPyTorch()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "torch", "label_smoothing.json");
        Assert.IsTrue(File.Exists(path), $"missing fixture {path}");
        var cases = JsonNode.Parse(File.ReadAllText(path))!["cases"]!.AsArray();
        Assert.HasCount(5, cases);
        foreach (var c in cases)
        {
            string name = (string)c!["name"]!;
            int rows = (int)c["rows"]!, classes = (int)c["classes"]!;
            bool binary = (string)c["task"]! == "binary";
            int width = binary ? 1 : classes;
            float eps = (float)(double)c["label_smoothing"]!;
            float[] outputs = Floats(c["outputs"]), labels = Floats(c["labels"]), weights = Floats(c["weights"]);
            var kind = Head(classes, binary);
            double loss = LossFunction.Forward(kind, outputs, labels, weights, rows, width, out _, eps);
            // ε is stored as the float32 the C# option holds; the fixture's ε is the decimal, so allow its rounding (≈ 1e-8 relative)
            Assert.AreEqual((double)c["expected_loss"]!, loss, 1e-7 * Math.Max(1, Math.Abs(loss)), $"{name}: loss");
            var grad = new float[rows * width];
            LossFunction.Backward(kind, grad, outputs, labels, weights, rows, width, eps);
            float[] expected = Floats(c["expected_grad"]);
            for (int i = 0; i < grad.Length; i++)
                Assert.AreEqual(expected[i], grad[i], 1e-6 * Math.Max(1e-2, Math.Abs(expected[i])), $"{name}: gradient {i}");
        }
    }

    [TestMethod]
    [DataRow(true, 2, 0.1f)]
    [DataRow(true, 2, 0.6f)]
    [DataRow(false, 3, 0.1f)]
    [DataRow(false, 6, 0.4f)]
    public void GradientMatchesFiniteDifferences(bool binary, int classes, float eps)
    {
        var rng = new Random(7 + classes);
        int rows = 12, width = binary ? 1 : classes;
        float[] z = Enumerable.Range(0, rows * width).Select(_ => (float)(rng.NextDouble() * 6 - 3)).ToArray();
        float[] y = Enumerable.Range(0, rows).Select(_ => (float)rng.Next(classes)).ToArray();
        float[] w = Enumerable.Range(0, rows).Select(_ => (float)(0.2 + rng.NextDouble())).ToArray();
        var kind = Head(classes, binary);
        var grad = new float[z.Length];
        LossFunction.Backward(kind, grad, z, y, w, rows, width, eps);
        var plain = new float[z.Length];
        LossFunction.Backward(kind, plain, z, y, w, rows, width);
        Assert.IsTrue(grad.Zip(plain).Any(p => Math.Abs(p.First - p.Second) > 1e-4), "smoothing changes the gradient");
        for (int i = 0; i < z.Length; i++)
        {
            float h = 1e-3f;
            var plus = (float[])z.Clone(); plus[i] += h;
            var minus = (float[])z.Clone(); minus[i] -= h;
            double numeric = (LossFunction.Forward(kind, plus, y, w, rows, width, out _, eps) - LossFunction.Forward(kind, minus, y, w, rows, width, out _, eps))
                / ((double)plus[i] - minus[i]);
            Assert.AreEqual(numeric, grad[i], 1e-5 + 1e-3 * Math.Abs(numeric), $"{kind} ε {eps} element {i}");
        }
    }

    [TestMethod]
    public void ZeroIsThePlainLossBitForBit()
    {
        var rng = new Random(11);
        float[] z = Enumerable.Range(0, 40).Select(_ => (float)(rng.NextDouble() * 8 - 4)).ToArray();
        float[] y = Enumerable.Range(0, 10).Select(_ => (float)rng.Next(4)).ToArray();
        var a = new float[40];
        var b = new float[40];
        LossFunction.Backward(LossKind.SoftmaxCrossEntropy, a, z, y, [], 10, 4);
        LossFunction.Backward(LossKind.SoftmaxCrossEntropy, b, z, y, [], 10, 4, 0f);
        CollectionAssert.AreEqual(a, b);
        Assert.AreEqual(LossFunction.Forward(LossKind.SoftmaxCrossEntropy, z, y, [], 10, 4, out _),
            LossFunction.Forward(LossKind.SoftmaxCrossEntropy, z, y, [], 10, 4, out _, 0f));
    }

    private static ITransformer TrainBinary(MLContext ml, IDataView data, float eps) =>
        ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options
        { EnsembleSize = 1, RefitOnAllRows = false, HiddenLayerSizes = [8], NumberOfEpochs = 40, BatchSize = 32, LearningRate = 0.02f, Seed = 1, NumberOfThreads = 1, LabelSmoothing = eps }).Fit(data);

    [TestMethod]
    public void SmoothingKeepsTheProbabilitiesAwayFromZeroAndOneAndKeepsTheFormat()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(ReliabilityData.Rows(400, 3));   // separable: Label = x0 + x1 − x2 > 0
        var plain = TrainBinary(ml, data, 0f);
        var smoothed = TrainBinary(ml, data, 0.3f);
        float[] Probabilities(ITransformer m) => m.Transform(data).GetColumn<float>("Probability").ToArray();
        var p0 = Probabilities(plain);
        var p1 = Probabilities(smoothed);
        // the smoothed target of the positive class is 0.85, of the negative 0.15: the fitted probabilities stay near them
        double Extreme(float[] p) => p.Average(v => Math.Abs(v - 0.5));
        Assert.IsLessThan(Extreme(p0), Extreme(p1), $"mean |p − ½|: plain {Extreme(p0):F3}, smoothed {Extreme(p1):F3}");
        Assert.IsLessThan(0.37, Extreme(p1), "the smoothed model's probabilities stay well inside (0.15, 0.85) on average");
        double plainAccuracy = ml.BinaryClassification.Evaluate(plain.Transform(data)).Accuracy;
        double accuracy = ml.BinaryClassification.Evaluate(smoothed.Transform(data)).Accuracy;
        Assert.IsGreaterThan(plainAccuracy - 0.05, accuracy, $"still as good a classifier: plain {plainAccuracy:F3}, smoothed {accuracy:F3}");
        Assert.IsGreaterThan(0.9, accuracy, $"well above chance: {accuracy:F3}");
        // training only: the model is saved in the same payload version as without it
        byte[] zip = ModelZip.Save(ml, smoothed, data.Schema);
        var (_, entry) = ModelZip.FindOurEntry(zip);
        Assert.AreEqual(2, BitConverter.ToInt32(entry, ModelZip.PayloadStart(entry) + 8));
    }

    [TestMethod]
    public void MulticlassTrainerUsesIt()
    {
        var ml = new MLContext(1);
        var data = ml.Transforms.Conversion.MapValueToKey("Key", nameof(VectorRow.Class)).Fit(ml.Data.LoadFromEnumerable(ReliabilityData.Rows(300, 4)))
            .Transform(ml.Data.LoadFromEnumerable(ReliabilityData.Rows(300, 4)));
        float Max(float eps)
        {
            var model = ml.MulticlassClassification.Trainers.BatchNormMlp(new BatchNormMlpMulticlassTrainer.Options
            { LabelColumnName = "Key", EnsembleSize = 1, RefitOnAllRows = false, HiddenLayerSizes = [8], NumberOfEpochs = 40, BatchSize = 32, LearningRate = 0.02f, Seed = 1, NumberOfThreads = 1, LabelSmoothing = eps }).Fit(data);
            return model.Transform(data).GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().Max()).Average();
        }
        float plain = Max(0f), smoothed = Max(0.4f);
        Assert.IsLessThan(plain, smoothed, $"mean top probability: plain {plain:F3}, smoothed {smoothed:F3}");
    }

    [TestMethod]
    public void TheEngineRefusesItOnARegressionHead()
    {
        var settings = new TrainingSettings { LabelSmoothing = 0.1f, Epochs = 1, BatchSize = 4, Threads = 1 };
        var spec = new NetworkSpec(2, [3], 1, Activation.Relu, BatchNormPlacement.BeforeActivation, true, 0.01f, 0f);
        var data = new DenseDataset(Enumerable.Range(0, 16).Select(i => (float)i).ToArray(), new float[8], null, 2);
        var error = Assert.Throws<ArgumentException>(() => new NetworkTrainer(spec, LossKind.SquaredError, settings).Train(data, null));
        StringAssert.Contains(error.Message, "LabelSmoothing applies to the classification heads only");
    }
}
