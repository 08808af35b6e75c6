using System.Text.Json;
using BnMlNet.Engine;
using BnMlNet.Engine.Losses;
using BnMlNet.Engine.Network;

namespace BnMlNet.Tests.Embedding;

/// <summary>
/// The scaffolding of the embedding torch parity tests (Embedding/CategoricalEmbeddingTorchParityTests,
/// Embedding/PeriodicEmbeddingTorchParityTests): one case of a Fixtures/torch file written by
/// test/fixtures/generate_torch_fixtures.py, its network (embedding → Linear → BN → ReLU → Linear, optional input BN in
/// front) loaded with the case's parameters, forward and backward under squared error on the case's rows, and the
/// comparison with PyTorch: max|a − r| / max(1, max|r|) ≤ 1e−5, the tolerance of the other torch parity tests.
/// </summary>
internal sealed class EmbeddingTorchCase
{
    private const double Tolerance = 1e-5;

    private EmbeddingTorchCase(JsonElement json) => Json = json;

    /// <summary>The case's JSON object.</summary>
    public JsonElement Json { get; }
    /// <summary>Rows in the case's batch.</summary>
    public int Rows => Json.GetProperty("rows").GetInt32();
    /// <summary>Raw input features.</summary>
    public int Inputs => Json.GetProperty("inputs").GetInt32();
    /// <summary>Width of the one hidden layer.</summary>
    public int Hidden => Json.GetProperty("hidden").GetInt32();
    /// <summary>Whether the network has an input batch norm.</summary>
    public bool InputBatchNorm => Json.GetProperty("input_bn").GetBoolean();

    /// <summary>The case <paramref name="name"/> of Fixtures/torch/<paramref name="file"/>.</summary>
    public static EmbeddingTorchCase Open(string file, string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "torch", file);
        Assert.IsTrue(File.Exists(path), $"missing fixture {path}");
        return new(JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("cases").EnumerateArray()
            .Single(e => e.GetProperty("name").GetString() == name));
    }

    /// <summary>The float array <paramref name="property"/>.</summary>
    public float[] F(string property) => Json.GetProperty(property).EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    private double[] D(string property) => Json.GetProperty(property).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    /// <summary>The case's network spec: one hidden ReLU layer with BN before the activation, one output.</summary>
    public NetworkSpec Spec() => new(Inputs, [Hidden], 1, Activation.Relu, BatchNormPlacement.BeforeActivation, InputBatchNorm);

    /// <summary>Asserts <paramref name="actual"/> matches the reference array <paramref name="property"/> within the tolerance.</summary>
    public void Near(string what, string property, ReadOnlySpan<float> actual)
    {
        double[] reference = D(property);
        Assert.AreEqual(reference.Length, actual.Length, $"{what}: length");
        double scale = Math.Max(1, reference.Max(Math.Abs)), worst = 0;
        for (int i = 0; i < reference.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - reference[i]));
        Assert.IsLessThanOrEqualTo(Tolerance, worst / scale, $"{what}: max error {worst:G3} (scale {scale:G3})");
    }

    /// <summary>Loads the case's dense layers and input batch norm into <paramref name="net"/>, whose first layer takes <paramref name="width"/> inputs.</summary>
    public void LoadLayers(TrainableNetwork net, int width)
    {
        Assert.AreEqual(width, net.Layers[0].InputSize);
        int hidden = Hidden, inputs = Inputs;
        float[] Ones(int n) => Enumerable.Repeat(1f, n).ToArray();
        var layers = new[]
        {
            new DenseLayerParameters(width, hidden, F("layer0_weight"), null,
                new BatchNormParameters(F("bn_gamma"), F("bn_beta"), new float[hidden], Ones(hidden), 1e-5f),
                BatchNormPlacement.BeforeActivation, Activation.Relu),
            new DenseLayerParameters(hidden, 1, F("output_weight"), F("output_bias"), null,
                BatchNormPlacement.None, Activation.Identity),
        };
        var inputBatchNorm = InputBatchNorm
            ? new BatchNormParameters(F("input_bn_gamma"), F("input_bn_beta"), new float[inputs], Ones(inputs), 1e-5f)
            : null;
        net.Load(layers, inputBatchNorm);
    }

    /// <summary>
    /// Forward (batch statistics) on the case's x, checking the embedding's output (<paramref name="embedding"/>: the
    /// workspace array its first rows × <paramref name="width"/> values are read from), the output and the loss; then
    /// backward, checking the dense layers' and the input batch norm's gradients. The caller checks its embedding's own
    /// gradients in the returned buffer.
    /// </summary>
    public ParameterBuffer ForwardAndBackward(TrainableNetwork net, int width, Func<TrainableNetwork, float[]> embedding)
    {
        int rows = Rows;
        float[] x = F("x"), y = F("y");
        var output = net.Forward(x, rows, ForwardMode.BatchStatistics).ToArray();
        Near("embedding", "expected_embedding", embedding(net).AsSpan(0, rows * width));
        Near("output", "expected_output", output);
        double loss = LossFunction.Forward(LossKind.SquaredError, output, y, default, rows, 1, out _);
        var dOut = new float[rows];
        LossFunction.Backward(LossKind.SquaredError, dOut, output, y, default, rows, 1);
        Assert.AreEqual(Json.GetProperty("expected_loss").GetDouble(), loss, 1e-5, "loss");
        net.Backward(x, dOut);
        var p = net.Parameters;
        Near("∂W0", "grad_layer0_weight", p.Gradient(net.Layers[0].Weights));
        Near("∂γ", "grad_bn_gamma", p.Gradient(net.Layers[0].BatchNorm!.Gamma));
        Near("∂β", "grad_bn_beta", p.Gradient(net.Layers[0].BatchNorm!.Beta));
        Near("∂W1", "grad_output_weight", p.Gradient(net.Layers[1].Weights));
        Near("∂b1", "grad_output_bias", p.Gradient(net.Layers[1].Bias!.Value));
        if (InputBatchNorm)
        {
            Near("∂γ_in", "grad_input_bn_gamma", p.Gradient(net.InputBatchNorm!.Gamma));
            Near("∂β_in", "grad_input_bn_beta", p.Gradient(net.InputBatchNorm!.Beta));
        }
        return p;
    }
}
