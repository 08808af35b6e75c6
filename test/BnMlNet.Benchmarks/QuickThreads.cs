using static BnMlNet.Benchmarks.QuickOutput;
using System.Diagnostics;
using System.Globalization;
using BnMlNet.Engine;
using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Layers;
using BnMlNet.Engine.Losses;
using BnMlNet.Engine.Network;
using BnMlNet.Engine.Optimizers;
using BnMlNet.Engine.Threading;
using BnMlNet.Engine.Training;

namespace BnMlNet.Benchmarks;

/// <summary>
/// <c>quick threads [rounds]</c>: the default recipe's network (input batch norm, F-128-64-k, batch norm before ReLU,
/// dropout 0.1, Adam) at the development suite's shapes, 1 thread against 2, interleaved (A, B, A, B, … in this
/// process, medians of per-round ratios). Per shape: the parts of one step (forward, loss, backward, Adam), each
/// GEMM of the step, and a whole epoch through <see cref="TrainingSession"/>; whether both thread counts gave the same
/// losses bit for bit. Prints <c>key=value</c> lines; the <c>ratio</c> keys are 1-thread time over 2-thread time.
/// </summary>
public static class QuickThreads
{
    /// <summary>Runs every shape.</summary>
    public static void Run(string[] args)
    {
        int rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 7;
        string only = args.Length > 3 && args[3] != "all" ? args[3] : "";
        bool probeOnly = args.Length > 4 && args[4] == "probe";
        Console.WriteLine($"load={File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var (name, features, batch, classes, rows) in new[]
        {
            ("f14_b128_k2", 14, 128, 2, 8_000), ("f26_b512_k5", 26, 512, 5, 34_522), ("f110_b256_k2", 110, 256, 2, 17_000),
            ("f60_b1024_k1", 60, 1024, 1, 65_000), ("f40_b256_k1", 40, 256, 1, 17_000),
        })
        {
            if (only.Length > 0 && !name.Contains(only, StringComparison.Ordinal)) continue;
            Compare(name, features, batch, classes, rows, rounds, probeOnly);
        }
        Console.WriteLine($"load={File.ReadAllText("/proc/loadavg").Trim()}");
    }

    private static void Compare(string name, int features, int batch, int classes, int rows, int rounds, bool probeOnly)
    {
        var loss = classes == 1 ? LossKind.SquaredError : classes == 2 ? LossKind.BinaryLogLoss : LossKind.SoftmaxCrossEntropy;
        int outputs = classes == 2 ? 1 : classes;
        var random = new Random(5);
        var x = new float[rows * features];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 4 - 2) * (1 + i % 7);
        var y = new float[rows];
        for (int i = 0; i < rows; i++) y[i] = classes == 1 ? (float)random.NextDouble() : random.Next(classes);
        var spec = new NetworkSpec(features, [128, 64], outputs, InputBatchNorm: true) { DropoutRate = 0.1f };
        Put($"{name}_step_multiply_adds", (double)batch * (features * 128 + 128 * 64 + 64 * outputs), "F0");

        // The parts of one step on a fixed batch.
        var nets = new[] { new TrainableNetwork(spec, 1, threads: 1), new TrainableNetwork(spec, 1, threads: 2) };
        var adams = new[] { new Adam(nets[0].Parameters.Length, 0.9f, 0.999f, 1e-8f, 0f, false, 1), new Adam(nets[1].Parameters.Length, 0.9f, 0.999f, 1e-8f, 0f, false, 2) };
        var dOut = new float[batch * outputs];
        var xb = x.AsSpan(0, batch * features).ToArray();
        var yb = y.AsSpan(0, batch).ToArray();
        Action Part(int t, string part) => part switch
        {
            "forward" => () => nets[t].Forward(xb, batch, ForwardMode.Train),
            "loss" => () =>
            {
                var o = nets[t].LastWorkspace!.Layers[^1].Z;
                LossFunction.Forward(loss, o.AsSpan(0, batch * outputs), yb, default, batch, outputs, out _);
                LossFunction.Backward(loss, dOut, o.AsSpan(0, batch * outputs), yb, default, batch, outputs);
            },
            "backward" => () => nets[t].Backward(xb, dOut),
            "adam" => () => adams[t].Step(nets[t].Parameters.Values, nets[t].Parameters.Gradients, nets[t].Parameters.DecayedCount, 1e-6f),
            _ => () =>
            {
                var o = nets[t].Forward(xb, batch, ForwardMode.Train);
                LossFunction.Forward(loss, o, yb, default, batch, outputs, out _);
                LossFunction.Backward(loss, dOut, o, yb, default, batch, outputs);
                nets[t].Backward(xb, dOut);
                adams[t].Step(nets[t].Parameters.Values, nets[t].Parameters.Gradients, nets[t].Parameters.DecayedCount, 1e-6f);
            },
        };
        foreach (var net in nets) net.Forward(xb, batch, ForwardMode.Train);
        var train = new DenseDataset(x, y, null, features);
        Probe(name, spec, loss, batch, train, rounds);
        if (probeOnly) return;
        foreach (string part in new[] { "forward", "loss", "backward", "adam", "step" })
            Interleave($"{name}_{part}", Part(0, part), Part(1, part), rounds, 0.02);

        // Each GEMM of the step (Z = X·Wᵀ, dW = dZᵀ·X, dX = dZ·W), C sized as in the network.
        int[] ins = [features, 128, 64], outs = [128, 64, outputs];
        for (int l = 0; l < 3; l++)
        {
            int i = ins[l], o = outs[l];
            var a = Fill(random, batch * i);
            var w = Fill(random, o * i);
            var dz = Fill(random, batch * o);
            var c1 = new float[Math.Max(batch * Math.Max(i, o), o * i)];
            Interleave($"{name}_gemm{l}_forward_{batch}x{i}x{o}",
                () => Gemm.Multiply(false, true, batch, o, i, a, i, w, i, c1, o, false, 1),
                () => Gemm.Multiply(false, true, batch, o, i, a, i, w, i, c1, o, false, 2), rounds, 0.01);
            Interleave($"{name}_gemm{l}_dw_{o}x{batch}x{i}",
                () => Gemm.Multiply(true, false, o, i, batch, dz, o, a, i, c1, i, false, 1),
                () => Gemm.Multiply(true, false, o, i, batch, dz, o, a, i, c1, i, false, 2), rounds, 0.01);
            if (l > 0)
                Interleave($"{name}_gemm{l}_dx_{batch}x{o}x{i}",
                    () => Gemm.Multiply(false, false, batch, i, o, dz, o, w, i, c1, i, false, 1),
                    () => Gemm.Multiply(false, false, batch, i, o, dz, o, w, i, c1, i, false, 2), rounds, 0.01);
        }

        // Whole epochs through the session (gather, staging, loss, scheduler included; no validation).
        var sessions = new[] { 1, 2 }.Select(t => new NetworkTrainer(spec, loss,
            new TrainingSettings { BatchSize = batch, Epochs = 1000, Seed = 42, Threads = t }).CreateSession(train)).ToArray();
        var epochMs = new[] { new List<double>(), new List<double>() };
        bool same = true;
        for (int r = -1; r < rounds; r++)
        {
            var reports = new EpochReport[2];
            for (int t = 0; t < 2; t++)
            {
                var clock = Stopwatch.StartNew();
                reports[t] = sessions[t].RunEpoch(null) with { Seconds = 0 };
                if (r >= 0) epochMs[t].Add(clock.Elapsed.TotalMilliseconds);
            }
            same &= reports[0] == reports[1];
        }
        Put($"{name}_epoch_ms_t1", Median(epochMs[0]), "F2");
        Put($"{name}_epoch_ms_t2", Median(epochMs[1]), "F2");
        Put($"{name}_epoch_ratio", Median(epochMs[0].Select((t, i) => t / epochMs[1][i])), "F3");
        Console.WriteLine($"{name}_same_losses_bit_for_bit={same}");
    }

    private static void Probe(string name, NetworkSpec spec, LossKind loss, int batch, DenseDataset train, int rounds)
    {

        // The profile: a 2-thread session whose parallel regions run alone and are timed (WorkerTeam.Probe), so the
        // share of an epoch that two threads can split is measured at one thread's speed whatever the load.
        var probed = new NetworkTrainer(spec, loss, new TrainingSettings { BatchSize = batch, Epochs = 1000, Seed = 42, Threads = 2 }).CreateSession(train);
        probed.RunEpoch(null);
        var stepUs = new List<double>();
        WorkerTeam.Probe.Reset();
        WorkerTeam.Probe.Enabled = true;
        for (int i = 0; i < rounds * probed.StepsPerEpoch; i++)
        {
            WorkerTeam.Probe.NextStep();
            long start = Stopwatch.GetTimestamp();
            probed.Step();
            stepUs.Add((Stopwatch.GetTimestamp() - start) * 1e6 / Stopwatch.Frequency);
        }
        WorkerTeam.Probe.Enabled = false;
        long regions = WorkerTeam.Probe.Regions;
        double step = Median(stepUs);
        Put($"{name}_steps_per_epoch", probed.StepsPerEpoch, "F0");
        Put($"{name}_parallel_regions_per_step", (double)regions / (rounds * probed.StepsPerEpoch), "F1");
        Put($"{name}_median_step_us", step, "F1");
        // Per kind of region, robust to preemption under load: the median region's time (times the count) and the
        // median share of its longest part (0.5 = two equal halves).
        double idealSaved = 0, medianInside = 0;
        var byType = new Dictionary<string, (double Count, double Us, double Saved)>();
        foreach (var (key, list) in WorkerTeam.Probe.ByWork)
        {
            double med = Median(list.Select(v => (double)v.Ticks)) * 1e6 / Stopwatch.Frequency;
            double share = Median(list.Select(v => (double)v.Longest / Math.Max(1, v.Ticks)));
            double perStep = (double)list.Count / (rounds * probed.StepsPerEpoch);
            medianInside += med * perStep;
            idealSaved += med * perStep * (1 - share);
            string type = key[..key.IndexOf('#')];
            var (c0, u0, s0) = byType.GetValueOrDefault(type);
            byType[type] = (c0 + perStep, u0 + med * perStep, s0 + med * perStep * (1 - share));
        }
        foreach (var (type, (count, us, saved)) in byType.OrderByDescending(kv => kv.Value.Us))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}_region_{type}=per_step:{count:F1} us_per_step:{us:F1} longest_part_share:{1 - saved / us:F3}"));
        Put($"{name}_regions_median_us_per_step", medianInside, "F1");
        Put($"{name}_regions_saved_by_2_threads_us_per_step", idealSaved, "F1");
        Put($"{name}_serial_us_per_step", step - medianInside, "F1");
        Put($"{name}_parallel_share", medianInside / step, "F3");
        Put($"{name}_bound_2_threads", step / (step - idealSaved), "F3");
    }

    /// <summary>Rounds of (about <paramref name="seconds"/> of A, then as many calls of B); prints per-call µs medians and the median ratio A/B.</summary>
    private static void Interleave(string key, Action a, Action b, int rounds, double seconds)
    {
        for (int i = 0; i < 20; i++) { a(); b(); }
        long start = Stopwatch.GetTimestamp();
        int calls = 0;
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < seconds / 4) { a(); calls++; }
        calls = Math.Max(5, calls * 4);
        var ta = new List<double>();
        var tb = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            ta.Add(Time(a, calls));
            tb.Add(Time(b, calls));
        }
        Put($"{key}_us_t1", Median(ta) * 1e6, "F2");
        Put($"{key}_us_t2", Median(tb) * 1e6, "F2");
        Put($"{key}_ratio", Median(ta.Select((t, i) => t / tb[i])), "F3");
    }

    private static double Time(Action action, int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++) action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds / calls;
    }

    private static float[] Fill(Random random, int n)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(random.NextDouble() * 2 - 1);
        return v;
    }
}
