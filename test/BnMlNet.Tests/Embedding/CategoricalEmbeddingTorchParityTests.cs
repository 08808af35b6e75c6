using System.Text.Json;
using BnMlNet.Engine;
using BnMlNet.Engine.Losses;
using BnMlNet.Engine.Network;

namespace BnMlNet.Tests.Embedding;

/// <summary>
/// The categorical embedding inside a network (blocks → nn.Linear(levels, d, bias=False), pass-through after → Linear →
/// BN → ReLU → Linear, optional input BN in front) against PyTorch autograd: Fixtures/torch/categorical_embedding.json,
/// written by test/fixtures/generate_torch_fixtures.py (`categorical_embedding`). Tolerance as in the other torch parity
/// tests: max|a − r| / max(1, max|r|) ≤ 1e−5.
/// </summary>
[TestClass]
public sealed class CategoricalEmbeddingTorchParityTests
{
    private const double Tolerance = 1e-5;

    private static float[] F(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
    private static double[] D(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static void Near(string what, double[] reference, ReadOnlySpan<float> actual)
    {
        Assert.AreEqual(reference.Length, actual.Length, $"{what}: length");
        double scale = Math.Max(1, reference.Max(Math.Abs)), worst = 0;
        for (int i = 0; i < reference.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - reference[i]));
        Assert.IsLessThanOrEqualTo(Tolerance, worst / scale, $"{what}: max error {worst:G3} (scale {scale:G3})");
    }

    [TestMethod]
    [DataRow("plain")]
    [DataRow("input_bn")]
    public void ForwardAndBackwardMatchPyTorch(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "torch", "categorical_embedding.json");
        Assert.IsTrue(File.Exists(path), $"missing fixture {path}");
        var c = JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("cases").EnumerateArray()
            .Single(e => e.GetProperty("name").GetString() == name);
        int rows = c.GetProperty("rows").GetInt32(), inputs = c.GetProperty("inputs").GetInt32();
        int d = c.GetProperty("dimension").GetInt32(), hidden = c.GetProperty("hidden").GetInt32();
        var blocks = c.GetProperty("blocks").EnumerateArray().Select(b => new CategoricalBlock(b[0].GetInt32(), b[1].GetInt32())).ToArray();
        bool inputBn = c.GetProperty("input_bn").GetBoolean();
        var spec = new NetworkSpec(inputs, [hidden], 1, Activation.Relu, BatchNormPlacement.BeforeActivation, inputBn)
        {
            CategoricalEmbedding = new CategoricalEmbeddingSettings(CategoricalEmbedding.Learned, d, MinimumLevels: 2),
            CategoricalBlocks = blocks,
        };
        var net = new TrainableNetwork(spec, seed: 1);
        int width = blocks.Length * d + inputs - blocks.Sum(b => b.Levels);
        Assert.AreEqual(width, net.Layers[0].InputSize);
        float[] Ones(int n) => Enumerable.Repeat(1f, n).ToArray();
        var layers = new[]
        {
            new DenseLayerParameters(width, hidden, F(c.GetProperty("layer0_weight")), null,
                new BatchNormParameters(F(c.GetProperty("bn_gamma")), F(c.GetProperty("bn_beta")), new float[hidden], Ones(hidden), 1e-5f),
                BatchNormPlacement.BeforeActivation, Activation.Relu),
            new DenseLayerParameters(hidden, 1, F(c.GetProperty("output_weight")), F(c.GetProperty("output_bias")), null,
                BatchNormPlacement.None, Activation.Identity),
        };
        var inputBatchNorm = inputBn
            ? new BatchNormParameters(F(c.GetProperty("input_bn_gamma")), F(c.GetProperty("input_bn_beta")), new float[inputs], Ones(inputs), 1e-5f)
            : null;
        net.Load(layers, inputBatchNorm);
        net.LoadCategoricalEmbedding(F(c.GetProperty("table")));

        float[] x = F(c.GetProperty("x")), y = F(c.GetProperty("y"));
        var output = net.Forward(x, rows, ForwardMode.BatchStatistics).ToArray();
        Near("embedding", D(c.GetProperty("expected_embedding")), net.LastWorkspace!.Categorical!.Output.AsSpan(0, rows * width));
        Near("output", D(c.GetProperty("expected_output")), output);
        double loss = LossFunction.Forward(LossKind.SquaredError, output, y, default, rows, 1, out _);
        var dOut = new float[rows];
        LossFunction.Backward(LossKind.SquaredError, dOut, output, y, default, rows, 1);
        Assert.AreEqual(c.GetProperty("expected_loss").GetDouble(), loss, 1e-5, "loss");
        net.Backward(x, dOut);
        var p = net.Parameters;
        Near("∂E", D(c.GetProperty("grad_table")), p.Gradient(net.CategoricalEmbedding!.Table));
        Near("∂W0", D(c.GetProperty("grad_layer0_weight")), p.Gradient(net.Layers[0].Weights));
        Near("∂γ", D(c.GetProperty("grad_bn_gamma")), p.Gradient(net.Layers[0].BatchNorm!.Gamma));
        Near("∂β", D(c.GetProperty("grad_bn_beta")), p.Gradient(net.Layers[0].BatchNorm!.Beta));
        Near("∂W1", D(c.GetProperty("grad_output_weight")), p.Gradient(net.Layers[1].Weights));
        Near("∂b1", D(c.GetProperty("grad_output_bias")), p.Gradient(net.Layers[1].Bias!.Value));
        if (inputBn)
        {
            Near("∂γ_in", D(c.GetProperty("grad_input_bn_gamma")), p.Gradient(net.InputBatchNorm!.Gamma));
            Near("∂β_in", D(c.GetProperty("grad_input_bn_beta")), p.Gradient(net.InputBatchNorm!.Beta));
        }
    }
}
