using System.Text.Json;
using BnMlNet.Engine;
using BnMlNet.Engine.Layers;
using BnMlNet.Engine.Network;

namespace BnMlNet.Tests.Engine;

/// <summary>
/// Parity with PyTorch (fixtures in Fixtures/torch, schema in test/fixtures/README.md; references are float64).
/// Tolerance: array-scaled error max|a − r| / max(1, max|r|) ≤ 1e−5 (2e−3 for the float32 cancellation
/// stress case large_offset_16x4). For small arrays this is an absolute 1e−5, which also covers the
/// structurally-zero gradients (float32 noise ~1e−8).
/// </summary>
[TestClass]
public sealed class TorchParityTests
{
    private const double Tolerance = 1e-5;

    private static JsonElement Load(string file)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "torch", file);
        Assert.IsTrue(File.Exists(path), $"missing fixture {path}");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement;
    }

    private static float[] F(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
    private static double[] D(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static void Near(string what, double[] reference, ReadOnlySpan<float> actual, double tolerance = Tolerance)
    {
        Assert.AreEqual(reference.Length, actual.Length, $"{what}: length");
        double scale = Math.Max(1.0, reference.Max(Math.Abs)), worst = 0;
        for (int i = 0; i < reference.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - reference[i]));
        Assert.IsTrue(worst / scale <= tolerance, $"{what}: array-scaled error {worst / scale:G3} > {tolerance:G3}");
    }

    [TestMethod]
    public void BatchNorm1d_ForwardBackward()
    {
        var root = Load("batchnorm_forward_backward.json");
        float eps = (float)root.GetProperty("eps").GetDouble(), m = (float)root.GetProperty("momentum").GetDouble();
        int count = 0;
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            string name = c.GetProperty("name").GetString()!;
            int n = c.GetProperty("rows").GetInt32(), f = c.GetProperty("features").GetInt32();
            double tol = name == "large_offset_16x4" ? 2e-3 : Tolerance;
            var x = F(c.GetProperty("x"));
            var gamma = F(c.GetProperty("gamma"));
            var beta = F(c.GetProperty("beta"));
            float[] y = new float[n * f], xhat = new float[n * f], mean = new float[f], variance = new float[f], rstd = new float[f];
            BatchNormLayer.ForwardTrain(y, xhat, mean, variance, rstd, x, gamma, beta, n, f, eps);
            float[] dx = new float[n * f], dg = new float[f], db = new float[f];
            BatchNormLayer.Backward(dx, dg, db, F(c.GetProperty("grad_out")), xhat, gamma, rstd, n, f);
            float[] rm = new float[f], rv = Enumerable.Repeat(1f, f).ToArray();
            BatchNormLayer.UpdateRunning(rm, rv, mean, variance, n, m);
            Near($"{name} y", D(c.GetProperty("y")), y, tol);
            Near($"{name} batch_mean", D(c.GetProperty("batch_mean")), mean, tol);
            Near($"{name} batch_var", D(c.GetProperty("batch_var")), variance, tol);
            Near($"{name} x_hat", D(c.GetProperty("x_hat")), xhat, tol);
            Near($"{name} grad_x", D(c.GetProperty("grad_x")), dx, name.StartsWith("constant_column") ? 1e-4 : tol);
            Near($"{name} grad_gamma", D(c.GetProperty("grad_gamma")), dg, tol);
            Near($"{name} grad_beta", D(c.GetProperty("grad_beta")), db, tol);
            Near($"{name} running_mean", D(c.GetProperty("running_mean")), rm, tol);
            Near($"{name} running_var", D(c.GetProperty("running_var")), rv, tol);
            count++;
        }
        Assert.AreEqual(6, count);
    }

    [TestMethod]
    public void BatchNorm1d_RunningStatisticsOverFiveSteps_ThenEval()
    {
        var root = Load("batchnorm_running_stats.json");
        int f = root.GetProperty("features").GetInt32();
        float eps = (float)root.GetProperty("eps").GetDouble(), m = (float)root.GetProperty("momentum").GetDouble();
        var gamma = F(root.GetProperty("gamma"));
        var beta = F(root.GetProperty("beta"));
        var rm = F(root.GetProperty("initial_running_mean"));
        var rv = F(root.GetProperty("initial_running_var"));
        int k = 0;
        foreach (var s in root.GetProperty("steps").EnumerateArray())
        {
            int n = s.GetProperty("rows").GetInt32();
            float[] y = new float[n * f], xhat = new float[n * f], mean = new float[f], variance = new float[f], rstd = new float[f];
            BatchNormLayer.ForwardTrain(y, xhat, mean, variance, rstd, F(s.GetProperty("x")), gamma, beta, n, f, eps);
            BatchNormLayer.UpdateRunning(rm, rv, mean, variance, n, m);
            Near($"step {k} y", D(s.GetProperty("y")), y);
            Near($"step {k} running_mean", D(s.GetProperty("running_mean")), rm);
            Near($"step {k} running_var", D(s.GetProperty("running_var")), rv);
            k++;
        }
        var ev = root.GetProperty("eval");
        int rows = ev.GetProperty("rows").GetInt32();
        var yEval = new float[rows * f];
        BatchNormLayer.ForwardInference(yEval, F(ev.GetProperty("x")), gamma, beta, rm, rv, rows, f, eps);
        Near("eval y", D(ev.GetProperty("y")), yEval);
    }

    [TestMethod]
    [DataRow("mlp_steps.json", 13)]
    [DataRow("mlp_steps_extra.json", 8)]
    [DataRow("gradient_clipping.json", 4)]
    [DataRow("bn_variants.json", 7)]   // BatchNormLayers (BN on chosen hidden layers) and BatchNormGammaWeightDecay
    public void MlpTrainingSteps(string file, int expectedCases)
    {
        int count = 0;
        foreach (var c in Load(file).GetProperty("cases").EnumerateArray())
        {
            RunCase(c);
            count++;
        }
        Assert.AreEqual(expectedCases, count);
    }

    private static Activation ParseActivation(string s) => s switch
    {
        "relu" => Activation.Relu, "leaky_relu" => Activation.LeakyRelu, "tanh" => Activation.Tanh,
        "sigmoid" => Activation.Sigmoid, "gelu" => Activation.Gelu, "elu" => Activation.Elu,
        "silu" => Activation.Silu, "softplus" => Activation.Softplus, _ => throw new ArgumentException(s),
    };

    private static void RunCase(JsonElement c)
    {
        string name = c.GetProperty("name").GetString()!;
        var loss = c.GetProperty("task").GetString() switch
        {
            "binary" => LossKind.BinaryLogLoss, "multiclass" => LossKind.SoftmaxCrossEntropy, _ => LossKind.SquaredError,
        };
        var placement = c.GetProperty("placement").GetString() switch
        {
            "before_activation" => BatchNormPlacement.BeforeActivation, "after_activation" => BatchNormPlacement.AfterActivation,
            _ => BatchNormPlacement.None,
        };
        var activation = ParseActivation(c.GetProperty("activation").GetString()!);
        var spec = new NetworkSpec(c.GetProperty("input_size").GetInt32(),
            c.GetProperty("hidden_sizes").EnumerateArray().Select(v => v.GetInt32()).ToArray(),
            c.GetProperty("output_size").GetInt32(), activation, placement, c.GetProperty("input_batch_norm").GetBoolean(),
            (float)c.GetProperty("leaky_relu_slope").GetDouble())
        {
            BatchNormLayers = c.TryGetProperty("bn_layers", out var bl) ? bl.EnumerateArray().Select(v => v.GetInt32()).ToArray() : null,
        };
        var opt = c.GetProperty("optimizer");
        string kind = opt.GetProperty("kind").GetString()!;
        var settings = new TrainingSettings
        {
            BatchSize = c.GetProperty("rows").GetInt32(),
            Epochs = 1,
            Shuffle = false,
            LearningRate = (float)opt.GetProperty("lr").GetDouble(),
            WeightDecay = (float)opt.GetProperty("weight_decay").GetDouble(),
            BatchNormGammaWeightDecay = opt.TryGetProperty("gamma_weight_decay", out var gwd) ? (float)gwd.GetDouble() : 0f,
            BatchNormEpsilon = (float)c.GetProperty("bn_eps").GetDouble(),
            BatchNormMomentum = (float)c.GetProperty("bn_momentum").GetDouble(),
            GradientClipNorm = c.TryGetProperty("max_norm", out var mn) ? (float)mn.GetDouble() : 0f,
            Optimizer = kind switch { "sgd" => OptimizerKind.Sgd, "adam" => OptimizerKind.Adam, _ => OptimizerKind.AdamW },
        };
        if (kind == "sgd")
        {
            settings.Momentum = (float)opt.GetProperty("momentum").GetDouble();
            settings.Nesterov = opt.GetProperty("nesterov").GetBoolean();
        }
        else
        {
            settings.Beta1 = (float)opt.GetProperty("beta1").GetDouble();
            settings.Beta2 = (float)opt.GetProperty("beta2").GetDouble();
            settings.AdamEpsilon = (float)opt.GetProperty("eps").GetDouble();
        }

        // all batches back to back; no shuffle, so step k sees batches[k]
        var batches = c.GetProperty("batches").EnumerateArray().ToArray();
        var xs = batches.SelectMany(b => F(b.GetProperty("x"))).ToArray();
        var ys = batches.SelectMany(b => F(b.GetProperty("y"))).ToArray();
        bool weighted = batches[0].GetProperty("weights").ValueKind != JsonValueKind.Null;
        var ws = weighted ? batches.SelectMany(b => F(b.GetProperty("weights"))).ToArray() : null;
        var data = new DenseDataset(xs, ys, ws, spec.InputSize);
        var session = new NetworkTrainer(spec, loss, settings).CreateSession(data);
        var net = session.Network;
        var (layers, inputBn) = ToParameters(c.GetProperty("initial_params"), spec, settings.BatchNormEpsilon);
        net.Load(layers, inputBn);

        var eval = c.GetProperty("eval");
        int evalRows = eval.GetProperty("rows").GetInt32();
        var evalX = F(eval.GetProperty("x"));
        Near($"{name} eval outputs_initial", D(eval.GetProperty("outputs_initial")), net.Forward(evalX, evalRows, ForwardMode.Inference));

        int rows = settings.BatchSize, k = 0;
        foreach (var step in c.GetProperty("steps").EnumerateArray())
        {
            var logits = net.Forward(xs.AsSpan(k * rows * spec.InputSize, rows * spec.InputSize), rows, ForwardMode.BatchStatistics).ToArray();
            Near($"{name} step {k} logits", D(step.GetProperty("logits")), logits);
            double l = session.Step();
            Assert.AreEqual(step.GetProperty("loss").GetDouble(), l, Tolerance * Math.Max(1, Math.Abs(l)), $"{name} step {k} loss");
            var gradsKey = step.TryGetProperty("clipped_grads", out var clipped) ? clipped : step.GetProperty("grads");
            CompareGrads($"{name} step {k}", gradsKey, net);
            CompareParams($"{name} step {k}", step.GetProperty("params_after"), net.ToInferenceNetwork());
            k++;
        }
        var final = net.Forward(evalX, evalRows, ForwardMode.Inference).ToArray();
        Near($"{name} eval outputs_final", D(eval.GetProperty("outputs_final")), final);
        var folded = new float[evalRows * spec.OutputSize];
        net.ToInferenceNetwork().PredictBatch(evalX, evalRows, folded);
        Near($"{name} eval outputs_final (folded)", D(eval.GetProperty("outputs_final")), folded);
    }

    private static BatchNormParameters? Bn(JsonElement e, float eps) => e.ValueKind == JsonValueKind.Null ? null
        : new BatchNormParameters(F(e.GetProperty("gamma")), F(e.GetProperty("beta")), F(e.GetProperty("running_mean")), F(e.GetProperty("running_var")), eps);

    private static (DenseLayerParameters[] Layers, BatchNormParameters? InputBn) ToParameters(JsonElement p, NetworkSpec spec, float eps)
    {
        var layers = p.GetProperty("layers").EnumerateArray().ToArray();
        var result = new DenseLayerParameters[layers.Length];
        for (int l = 0; l < layers.Length; l++)
        {
            bool output = l == layers.Length - 1;
            int nIn = l == 0 ? spec.InputSize : spec.HiddenSizes[l - 1], nOut = output ? spec.OutputSize : spec.HiddenSizes[l];
            var bias = layers[l].GetProperty("bias");
            var bn = Bn(layers[l].GetProperty("bn"), eps);
            result[l] = new DenseLayerParameters(nIn, nOut, F(layers[l].GetProperty("weight")),
                bias.ValueKind == JsonValueKind.Null ? null : F(bias), bn,
                bn is null ? BatchNormPlacement.None : spec.Placement, output ? Activation.Identity : spec.Activation);
        }
        return (result, Bn(p.GetProperty("input_bn"), eps));
    }

    private static void CompareGrads(string what, JsonElement g, TrainableNetwork net)
    {
        var p = net.Parameters;
        var layers = g.GetProperty("layers").EnumerateArray().ToArray();
        foreach (var seg in p.Segments)
        {
            JsonElement src;
            if (seg.Name.StartsWith("input.bn."))
                src = g.GetProperty("input_bn").GetProperty(seg.Name["input.bn.".Length..]);
            else
            {
                int dot = seg.Name.IndexOf('.');
                var layer = layers[int.Parse(seg.Name[5..dot])];
                string rest = seg.Name[(dot + 1)..];
                src = rest.StartsWith("bn.") ? layer.GetProperty("bn").GetProperty(rest[3..]) : layer.GetProperty(rest);
            }
            Near($"{what} grad {seg.Name}", D(src), p.Gradient(seg));
        }
    }

    private static void CompareParams(string what, JsonElement e, InferenceNetwork net)
    {
        void CompareBn(string name, JsonElement b, BatchNormParameters? bn)
        {
            Assert.AreEqual(b.ValueKind == JsonValueKind.Null, bn is null, $"{what} {name} presence");
            if (bn is null) return;
            Near($"{what} {name}.gamma", D(b.GetProperty("gamma")), bn.Gamma.ToArray());
            Near($"{what} {name}.beta", D(b.GetProperty("beta")), bn.Beta.ToArray());
            Near($"{what} {name}.running_mean", D(b.GetProperty("running_mean")), bn.RunningMean.ToArray());
            Near($"{what} {name}.running_var", D(b.GetProperty("running_var")), bn.RunningVariance.ToArray());
        }
        CompareBn("input_bn", e.GetProperty("input_bn"), net.InputBatchNorm);
        var layers = e.GetProperty("layers").EnumerateArray().ToArray();
        for (int l = 0; l < layers.Length; l++)
        {
            Near($"{what} layer {l} weight", D(layers[l].GetProperty("weight")), net.Layers[l].Weights.ToArray());
            var bias = layers[l].GetProperty("bias");
            Assert.AreEqual(bias.ValueKind == JsonValueKind.Null, net.Layers[l].Bias is null, $"{what} layer {l} bias presence");
            if (net.Layers[l].Bias is { } b) Near($"{what} layer {l} bias", D(bias), b.ToArray());
            CompareBn($"layer {l} bn", layers[l].GetProperty("bn"), net.Layers[l].BatchNorm);
        }
    }
}
