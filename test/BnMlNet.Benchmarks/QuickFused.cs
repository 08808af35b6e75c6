using static BnMlNet.Benchmarks.QuickOutput;
using System.Diagnostics;
using System.Globalization;
using BnMlNet.Engine;
using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Training;

namespace BnMlNet.Benchmarks;

/// <summary>
/// <c>quick fused [rounds]</c>: the default recipe's network (input batch norm, 26-128-64-5, batch norm before ReLU,
/// dropout 0.1, Adam, one thread) on synthetic data of the diamonds' size, one epoch at a time through the fused passes
/// and through <see cref="ReferencePaths"/> (the passes they replaced), interleaved round by round. Prints the median
/// milliseconds of a training epoch and of a validation pass per path, the median of the per-round ratios, and whether
/// both paths gave the same losses bit for bit.
/// </summary>
public static class QuickFused
{
    /// <summary>Runs the comparison for a few batch sizes.</summary>
    public static void Run(string[] args)
    {
        int rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 7;
        Console.WriteLine($"load={File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var (name, rows, batch) in new[] { ("diamonds_like", 34_522, 512), ("gss_like", 17_612, 256), ("small", 5_039, 128) })
            Compare(name, rows, batch, rounds);
        Console.WriteLine($"load={File.ReadAllText("/proc/loadavg").Trim()}");
    }

    private static void Compare(string name, int rows, int batch, int rounds)
    {
        const int features = 26, classes = 5;
        var random = new Random(5);
        var x = new float[rows * features];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 4 - 2) * (1 + i % features);
        var y = new float[rows];
        for (int i = 0; i < rows; i++) y[i] = random.Next(classes);
        int validationRows = rows / 4;
        var vx = x.AsSpan(0, validationRows * features).ToArray();
        var vy = y.AsSpan(0, validationRows).ToArray();
        var train = new DenseDataset(x, y, null, features);
        var validation = new DenseDataset(vx, vy, null, features);
        var spec = new NetworkSpec(features, [128, 64], classes, InputBatchNorm: true) { DropoutRate = 0.1f };
        var settings = new TrainingSettings { BatchSize = batch, Epochs = 1000, Seed = 42, Threads = 1 };
        var sessions = new[] { CreateSession(spec, settings, train), CreateSession(spec, settings, train) };
        var trainMs = new[] { new List<double>(), new List<double>() };
        var validMs = new[] { new List<double>(), new List<double>() };
        var reports = new[] { new List<EpochReport>(), new List<EpochReport>() };
        for (int r = -1; r < rounds; r++)   // round −1 warms up both paths
            for (int path = 0; path < 2; path++)
            {
                ReferencePaths.Enabled = path == 1;
                var clock = Stopwatch.StartNew();
                var report = sessions[path].RunEpoch(null);
                double t = clock.Elapsed.TotalMilliseconds;
                clock.Restart();
                var (validationLoss, _) = Evaluation.Evaluate(sessions[path].Network, LossKind.SoftmaxCrossEntropy, validation, batch, default);
                double v = clock.Elapsed.TotalMilliseconds;
                ReferencePaths.Enabled = false;
                reports[path].Add(report with { Seconds = 0, ValidationLoss = validationLoss });
                if (r < 0) continue;
                trainMs[path].Add(t);
                validMs[path].Add(v);
            }
        bool same = reports[0].SequenceEqual(reports[1]);
        Put($"{name}_rows", rows);
        Put($"{name}_batch", batch);
        Put($"{name}_epoch_ms_fused", Median(trainMs[0]));
        Put($"{name}_epoch_ms_reference", Median(trainMs[1]));
        Put($"{name}_epoch_ratio_fused_over_reference", Median(trainMs[0].Select((t, i) => t / trainMs[1][i])), "F3");
        Put($"{name}_validation_ms_fused", Median(validMs[0]), "F2");
        Put($"{name}_validation_ms_reference", Median(validMs[1]), "F2");
        Put($"{name}_validation_ratio_fused_over_reference", Median(validMs[0].Select((t, i) => t / validMs[1][i])), "F3");
        Console.WriteLine($"{name}_same_losses_bit_for_bit={same}");
    }

    private static TrainingSession CreateSession(NetworkSpec spec, TrainingSettings settings, DenseDataset train)
        => new NetworkTrainer(spec, LossKind.SoftmaxCrossEntropy, settings).CreateSession(train);
}
