using System.Diagnostics;
using System.Globalization;
using BnMlNet.Engine;
using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Layers;
using BnMlNet.Engine.Losses;
using BnMlNet.Engine.Network;
using BnMlNet.Engine.Optimizers;

namespace BnMlNet.Benchmarks;

/// <summary>
/// Stopwatch measurements printed as <c>key=value</c> lines, for bench/run_all.sh (BenchmarkDotNet's runs take
/// minutes; these take seconds): <c>quick gemm</c> gives GEMM GFLOP/s per shape and <c>quick step</c> the parts of
/// one training step of 784-256-256-10 at batch 128; <c>quick fused [rounds]</c> times the default recipe's epochs
/// through the fused and the reference passes (<see cref="QuickFused"/>).
/// </summary>
public static class Quick
{
    /// <summary>Runs the mode named by <paramref name="args"/>[1] (gemm, step or both).</summary>
    public static void Run(string[] args)
    {
        string mode = args.Length > 1 ? args[1] : "all";
        int threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
        Put("gemm_kernel", GemmKernels.Best.ToString());
        if (mode is "gemm" or "all") Gemms(threads);
        if (mode is "step" or "all") Step(threads);
        if (mode is "hash") Hash(threads);
        if (mode is "verify") Verify();
        if (mode is "rowkernel") QuickScoring.Run();
        if (mode is "rownet") QuickScoring.RunNetwork();
        if (mode is "fused") QuickFused.Run(args);
        if (mode is "threads") QuickThreads.Run(args);
        if (mode is "embedding") QuickEmbedding.Run(args);
        if (mode is "catembed") QuickCategorical.Run(args);
        if (mode is "mask") QuickMask.Run(args);
        if (mode is "prep") QuickPreprocessing.Run(args);
    }

    /// <summary>Compares the vectorized element-wise kernels with their scalar formulas, bit for bit.</summary>
    private static void Verify()
    {
        var random = new Random(11);
        int rows = 37, channels = 203, n = rows * channels;
        var dy = Fill(random, n); var xhat = Fill(random, n); var gamma = Fill(random, channels); var rstd = Fill(random, channels);
        var dx = new float[n]; var dGamma = new float[channels]; var dBeta = new float[channels];
        BatchNormLayer.Backward(dx, dGamma, dBeta, dy, xhat, gamma, rstd, rows, channels);
        int bad = 0;
        float invB = 1f / rows;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < channels; c++)
            {
                float e = gamma[c] * rstd[c] * invB * (rows * dy[r * channels + c] - dBeta[c] - xhat[r * channels + c] * dGamma[c]);
                if (BitConverter.SingleToUInt32Bits(e) != BitConverter.SingleToUInt32Bits(dx[r * channels + c])) bad++;
            }
        Put("verify_bn_backward_mismatches", bad, "F0");
        var old = new float[n];
        OldBackward(old, new float[channels], new float[channels], dy, xhat, gamma, rstd, rows, channels);
        bad = 0;
        for (int i = 0; i < n; i++) if (BitConverter.SingleToUInt32Bits(old[i]) != BitConverter.SingleToUInt32Bits(dx[i])) bad++;
        Put("verify_bn_backward_vs_old_mismatches", bad, "F0");
        var relu = new float[n];
        Activations.Backward(relu, dy, xhat, xhat, Activation.Relu, 0f);
        bad = 0;
        for (int i = 0; i < n; i++) if (BitConverter.SingleToUInt32Bits(relu[i]) != BitConverter.SingleToUInt32Bits(xhat[i] > 0 ? dy[i] : 0f)) bad++;
        Put("verify_relu_backward_mismatches", bad, "F0");
        foreach (bool decoupled in new[] { false, true })
        {
            int len = 1003, decayed = 517;
            var values = Fill(random, len); var reference = (float[])values.Clone();
            float[] m = new float[len], v = new float[len];
            var adam = new Adam(len, 0.9f, 0.999f, 1e-8f, 0.01f, decoupled);
            bad = 0;
            for (int t = 1; t <= 3; t++)
            {
                var g = Fill(random, len);
                adam.Step(values, g, decayed, 1e-3f);
                double bias1 = 1.0 - Math.Pow(0.9f, t), bias2 = 1.0 - Math.Pow(0.999f, t);
                float stepSize = (float)(1e-3f / bias1), inv = (float)(1.0 / Math.Sqrt(bias2)), factor = 1f - 1e-3f * 0.01f;
                for (int i = 0; i < len; i++)
                {
                    float p = reference[i], gi = g[i];
                    if (i < decayed) { if (decoupled) p *= factor; else gi += 0.01f * p; }
                    float mi = 0.9f * m[i] + (1f - 0.9f) * gi;
                    float vi = 0.999f * v[i] + (1f - 0.999f) * gi * gi;
                    m[i] = mi; v[i] = vi;
                    reference[i] = p - stepSize * mi / (MathF.Sqrt(vi) * inv + 1e-8f);
                }
                for (int i = 0; i < len; i++) if (BitConverter.SingleToUInt32Bits(values[i]) != BitConverter.SingleToUInt32Bits(reference[i])) bad++;
            }
            Put($"verify_adam_{(decoupled ? "adamw" : "adam")}_mismatches", bad, "F0");
        }
    }

    /// <summary>
    /// A fingerprint of a short training run (synthetic data, 784-256-256-10 at batch 128, and a dropout/weight-decay
    /// variant): engine changes made for speed must leave it unchanged for every thread count.
    /// </summary>
    private static void Hash(int threads)
    {
        var random = new Random(7);
        const int rows = 1000, inputs = 784, classes = 10;
        var x = new float[rows * inputs];
        for (int i = 0; i < x.Length; i++) x[i] = random.NextDouble() < 0.5 ? 0f : (float)random.NextDouble();
        var y = new float[rows];
        for (int i = 0; i < rows; i++) y[i] = random.Next(classes);
        var data = new DenseDataset(x, y, null, inputs);
        foreach (var (name, spec, settings) in new (string, NetworkSpec, TrainingSettings)[]
        {
            ("plain", new NetworkSpec(inputs, [256, 256], classes), new TrainingSettings { Epochs = 2, Threads = threads, Seed = 3 }),
            ("variant", new NetworkSpec(inputs, [100, 37], classes, Activation.Gelu, BatchNormPlacement.AfterActivation, InputBatchNorm: true, DropoutRate: 0.1f),
                new TrainingSettings { Epochs = 2, Threads = threads, Seed = 4, BatchSize = 50, Optimizer = OptimizerKind.AdamW, WeightDecay = 0.01f }),
            ("sgd", new NetworkSpec(inputs, [64], classes, Activation.LeakyRelu), new TrainingSettings { Epochs = 2, Threads = threads, Seed = 5, BatchSize = 33, Optimizer = OptimizerKind.Sgd, LearningRate = 0.05f, WeightDecay = 0.001f }),
        })
        {
            var result = new NetworkTrainer(spec, LossKind.SoftmaxCrossEntropy, settings).Train(data);
            ulong h = 14695981039346656037UL;
            void Mix(IReadOnlyList<float> values) { foreach (float v in values) { h ^= BitConverter.SingleToUInt32Bits(v); h *= 1099511628211UL; } }
            foreach (var l in result.Network.Layers)
            {
                Mix(l.Weights);
                if (l.Bias is not null) Mix(l.Bias);
                if (l.BatchNorm is { } bn) { Mix(bn.Gamma); Mix(bn.Beta); Mix(bn.RunningMean); Mix(bn.RunningVariance); }
            }
            var probe = new float[classes];
            result.Network.Predict(x.AsSpan(0, inputs), probe, result.Network.CreateScratch());
            Mix(probe);
            Put($"hash_t{threads}_{name}", h.ToString("X16", CultureInfo.InvariantCulture));
        }
    }

    private static void Put(string key, double value, string format = "F1") =>
        Console.WriteLine($"{key}={value.ToString(format, CultureInfo.InvariantCulture)}");

    private static void Put(string key, string value) => Console.WriteLine($"{key}={value}");

    /// <summary>Best GFLOP/s of 7 timed batches (each ≈ 0.1 s) per shape.</summary>
    private static void Gemms(int threads)
    {
        foreach (var s in GemmShape.All())
        {
            var random = new Random(42);
            var a = Fill(random, s.M * s.K);
            var b = Fill(random, s.K * s.N);
            var c = new float[s.M * s.N];
            void Once() => Gemm.Multiply(s.TransposeA, s.TransposeB, s.M, s.N, s.K, a, s.TransposeA ? s.M : s.K,
                b, s.TransposeB ? s.K : s.N, c, s.N, accumulate: false, threads);
            int iterations = (int)Math.Max(10, 2e9 / s.Flops / 10);
            double best = Best(Once, iterations, 7);
            Put($"gemm_t{threads}_{s.Key}_gflops", s.Flops / best / 1e9);
        }
    }

    /// <summary>Microseconds per training step and per part, best of several timed batches.</summary>
    private static void Step(int threads)
    {
        const int rows = 128, inputs = 784, classes = 10;
        var spec = new NetworkSpec(inputs, [256, 256], classes);
        var network = new TrainableNetwork(spec, 1, threads: threads);
        var random = new Random(1);
        var x = new float[rows * inputs];
        for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble();
        var labels = new float[rows];
        for (int i = 0; i < rows; i++) labels[i] = random.Next(classes);
        var dOut = new float[rows * classes];
        var adam = new Adam(network.Parameters.Length, 0.9f, 0.999f, 1e-8f, 0f, decoupled: false, threads);
        var p = network.Parameters;
        void Forward() => network.Forward(x, rows, ForwardMode.Train);
        void Loss()
        {
            var o = network.Forward(x, rows, ForwardMode.Train);
            LossFunction.Forward(LossKind.SoftmaxCrossEntropy, o, labels, default, rows, classes, out _);
            LossFunction.Backward(LossKind.SoftmaxCrossEntropy, dOut, o, labels, default, rows, classes);
        }
        Loss();
        void Backward() => network.Backward(x, dOut);
        void Optimizer() => adam.Step(p.Values, p.Gradients, p.DecayedCount, 1e-4f);
        void Whole() { Loss(); Backward(); Optimizer(); }
        Put($"step_t{threads}_forward_us", Best(Forward, 200, 5) * 1e6);
        Put($"step_t{threads}_backward_us", Best(Backward, 200, 5) * 1e6);
        Put($"step_t{threads}_adam_us", Best(Optimizer, 200, 5) * 1e6);
        double whole = Best(Whole, 200, 5);
        Put($"step_t{threads}_whole_us", whole * 1e6);
        Put($"step_t{threads}_rows_per_second", rows / whole, "F0");

        // The element-wise parts alone, at [128×256].
        int n = rows * 256;
        var z = Fill(random, n);
        var y = new float[n];
        var xhat = new float[n];
        var dx = new float[n];
        float[] mean = new float[256], variance = new float[256], rstd = new float[256], gamma = new float[256], beta = new float[256];
        float[] dGamma = new float[256], dBeta = new float[256];
        Array.Fill(gamma, 1f);
        Put($"bn_forward_128x256_us", Best(() => BatchNormLayer.ForwardTrain(y, xhat, mean, variance, rstd, z, gamma, beta, rows, 256, 1e-5f), 2000, 5) * 1e6, "F2");
        Put($"bn_backward_128x256_us", Best(() => BatchNormLayer.Backward(dx, dGamma, dBeta, z, xhat, gamma, rstd, rows, 256), 2000, 5) * 1e6, "F2");
        Put($"relu_forward_128x256_us", Best(() => Activations.Forward(y, z, Activation.Relu, 0f), 2000, 5) * 1e6, "F2");
        Put($"relu_backward_128x256_us", Best(() => Activations.Backward(dx, z, z, y, Activation.Relu, 0f), 2000, 5) * 1e6, "F2");
    }

    private static void OldBackward(
        Span<float> dx, Span<float> dGamma, Span<float> dBeta,
        ReadOnlySpan<float> dy, ReadOnlySpan<float> xhat, ReadOnlySpan<float> gamma, ReadOnlySpan<float> rstd,
        int batch, int channels)
    {
        dGamma = dGamma[..channels];
        dBeta = dBeta[..channels];
        dGamma.Clear();
        dBeta.Clear();
        for (int r = 0; r < batch; r++)
        {
            ReadOnlySpan<float> g = dy.Slice(r * channels, channels);
            System.Numerics.Tensors.TensorPrimitives.Add(dBeta, g, dBeta);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(g, xhat.Slice(r * channels, channels), dGamma, dGamma);
        }
        float invB = 1f / batch;
        for (int r = 0; r < batch; r++)
        {
            ReadOnlySpan<float> g = dy.Slice(r * channels, channels);
            ReadOnlySpan<float> h = xhat.Slice(r * channels, channels);
            Span<float> d = dx.Slice(r * channels, channels);
            for (int c = 0; c < channels; c++)
                d[c] = gamma[c] * rstd[c] * invB * (batch * g[c] - dBeta[c] - h[c] * dGamma[c]);
        }
    }

    /// <summary>Seconds per call: the best of <paramref name="batches"/> batches of <paramref name="iterations"/> calls.</summary>
    private static double Best(Action action, int iterations, int batches)
    {
        for (int i = 0; i < Math.Max(3, iterations / 10); i++) action();
        double best = double.MaxValue;
        for (int r = 0; r < batches; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < iterations; i++) action();
            best = Math.Min(best, (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency / iterations);
        }
        return best;
    }

    private static float[] Fill(Random random, int length)
    {
        var data = new float[length];
        for (int i = 0; i < length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
        return data;
    }
}
