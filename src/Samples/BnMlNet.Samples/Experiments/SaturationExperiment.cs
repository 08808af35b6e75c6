using System.Diagnostics;
using System.Globalization;
using BnMlNet.Engine;
using BnMlNet.Engine.Research;

namespace BnMlNet.Samples.Experiments;

/// <summary>One measurement of a saturation run.</summary>
/// <param name="Step">Optimizer steps taken.</param>
/// <param name="Accuracy">Test accuracy (frozen statistics).</param>
/// <param name="P15">15th percentile of the watched sigmoid input.</param>
/// <param name="P50">Median.</param>
/// <param name="P85">85th percentile.</param>
/// <param name="Saturated">Share of (probe row, hidden unit) pairs, all hidden layers, whose sigmoid input has |z| &gt; 4.</param>
/// <param name="UnitMedians">Every last-hidden-layer unit's median input over the probe rows.</param>
/// <param name="UnitSpreads">Every last-hidden-layer unit's p85 − p15 over the probe rows.</param>
public sealed record SaturationPoint(long Step, double Accuracy, double P15, double P50, double P85, double Saturated,
    double[] UnitMedians, double[] UnitSpreads);

/// <summary>
/// Experiment 3, after Ioffe &amp; Szegedy (2015) Figure 1: 3 hidden layers of 100 sigmoid units, batch 60; test accuracy
/// over training steps, the 15th/50th/85th percentiles of one last-hidden-layer sigmoid input, and the share of
/// saturated sigmoid units.
/// </summary>
public static class SaturationExperiment
{
    /// <summary>|z| above which a sigmoid counts as saturated (σ'(4) ≈ 0.018, under 1/13 of its peak 0.25).</summary>
    public const double SaturationThreshold = 4.0;
    /// <summary>The plots.</summary>
    public const string AccuracyPlot = "exp3-saturation-accuracy.png", PercentilePlot = "exp3-saturation-percentiles.png", SharePlot = "exp3-saturation-share.png";
    private const int BatchSize = 60, Width = 100, Layers = 3, WatchedUnit = 0;
    private const float Rate = 0.1f;

    /// <summary>Runs the BN and the no-BN network side by side.</summary>
    public static ExperimentSection Run(ExperimentContext ctx)
    {
        var clock = Stopwatch.StartNew();
        var s = ctx.Scale;
        int probeRows = Math.Min(s.ProbeRows, ctx.Data.Test.Rows);
        var runs = ParallelRuns.Run([() => Trace(ctx, true, probeRows), () => Trace(ctx, false, probeRows)], ctx.Threads);
        var (bn, plain) = (runs[0], runs[1]);

        var table = new ResultTable($"Over training (SGD lr {Format.Rate(Rate)}, batch {BatchSize}); percentiles of hidden layer 3, unit {WatchedUnit}'s sigmoid input " +
            $"over {probeRows} test rows; saturated = |z| > {SaturationThreshold:F0}, all 300 units",
            "step", "BN accuracy", "no-BN accuracy", "BN p15", "BN p50", "BN p85", "no-BN p15", "no-BN p50", "no-BN p85", "BN saturated", "no-BN saturated");
        foreach (int i in TableIndices(bn.Count))
        {
            var a = bn[i];
            var b = plain[i];
            table.Add(a.Step.ToString("N0", CultureInfo.InvariantCulture), Format.Fixed(a.Accuracy, 4), Format.Fixed(b.Accuracy, 4),
                Format.Fixed(a.P15, 3), Format.Fixed(a.P50, 3), Format.Fixed(a.P85, 3),
                Format.Fixed(b.P15, 3), Format.Fixed(b.P50, 3), Format.Fixed(b.P85, 3), Format.Percent(a.Saturated), Format.Percent(b.Saturated));
        }

        var plots = new List<string>();
        double[] steps = bn.Select(p => (double)p.Step).ToArray();
        var acc = ExperimentPlots.Create("Test accuracy vs training steps (3×100 sigmoid, batch 60)", "training steps", "test accuracy");
        ExperimentPlots.Line(acc, steps, bn.Select(p => p.Accuracy).ToArray(), "BN", ExperimentPlots.Palette[0], markerSize: 3);
        ExperimentPlots.Line(acc, steps, plain.Select(p => p.Accuracy).ToArray(), "no BN", ExperimentPlots.Palette[2], dashed: true, markerSize: 3);
        plots.Add(ExperimentPlots.Save(acc, ctx.Folder, AccuracyPlot, ctx.Force));

        var pct = ExperimentPlots.Create($"Sigmoid input of hidden layer 3, unit {WatchedUnit}: 15th / 50th / 85th percentiles", "training steps", "sigmoid input z");
        foreach (var (series, name, color, dashed) in new[] { (bn, "BN", 0, false), (plain, "no BN", 2, true) })
        {
            ExperimentPlots.Line(pct, steps, series.Select(p => p.P85).ToArray(), $"{name} p85", ExperimentPlots.Palette[color], dashed, 0);
            ExperimentPlots.Line(pct, steps, series.Select(p => p.P50).ToArray(), $"{name} p50", ExperimentPlots.Palette[color + 1], dashed, 0);
            ExperimentPlots.Line(pct, steps, series.Select(p => p.P15).ToArray(), $"{name} p15", ExperimentPlots.Palette[color], dashed, 0);
        }
        plots.Add(ExperimentPlots.Save(pct, ctx.Folder, PercentilePlot, ctx.Force, ScottPlot.Alignment.UpperLeft));

        var share = ExperimentPlots.Create($"Share of saturated sigmoid inputs (|z| > {SaturationThreshold:F0}), all 3 hidden layers", "training steps", "saturated share (%)");
        ExperimentPlots.Line(share, steps, bn.Select(p => 100 * p.Saturated).ToArray(), "BN", ExperimentPlots.Palette[0], markerSize: 3);
        ExperimentPlots.Line(share, steps, plain.Select(p => 100 * p.Saturated).ToArray(), "no BN", ExperimentPlots.Palette[2], dashed: true, markerSize: 3);
        plots.Add(ExperimentPlots.Save(share, ctx.Folder, SharePlot, ctx.Force, ScottPlot.Alignment.UpperLeft));

        return new ExperimentSection(3, "Saturation and the input distribution of a sigmoid (Ioffe & Szegedy 2015, Figure 1)",
            "Saturating activations (sigmoid) get tiny gradients for large |z|; BN keeps z in the useful range. Deeper layers become " +
            "less sensitive to shifts in earlier layers (\"covariate shift\"), so training speeds up.",
            $"784-100-100-100-10, sigmoid, Glorot init; BN before each sigmoid or none; plain SGD lr {Format.Rate(Rate)}, batch {BatchSize}, " +
            $"{s.SaturationSteps:N0} steps, seed {ctx.Seed}; measured every {s.SaturationEvery} steps. The percentiles follow one fixed unit " +
            $"(unit {WatchedUnit} of the last hidden layer) over the first {probeRows} test rows; for the BN network its input is the " +
            $"batch-norm output γ·x̂ + β as training sees it (statistics of those {probeRows} rows). The saturated share counts " +
            $"(row, unit) pairs with |z| > {SaturationThreshold:F0} over all 3 × {Width} sigmoid units; σ'(4) ≈ 0.018, 7% of its peak.",
            [table], plots, Verdict(bn, plain), clock.Elapsed.TotalSeconds, Effects(bn, plain));
    }

    private static List<SaturationPoint> Trace(ExperimentContext ctx, bool batchNorm, int probeRows)
    {
        var s = ctx.Scale;
        var data = ctx.Data;
        var spec = TrainingRun.Spec(Enumerable.Repeat(Width, Layers).ToArray(), Activation.Sigmoid, batchNorm);
        int stepsPerEpoch = Math.Max(1, data.Train.Rows / BatchSize);
        var settings = TrainingRun.Settings(OptimizerKind.Sgd, Rate, BatchSize, s.SaturationSteps / stepsPerEpoch + 1, ctx.Seed);
        var session = new NetworkTrainer(spec, LossKind.SoftmaxCrossEntropy, settings).CreateSession(data.Train.Dataset);
        var probe = data.Test.RowFeatures(0, probeRows);
        var points = new List<SaturationPoint> { Measure(session, data.Test, probe, probeRows, batchNorm) };
        while (session.StepCount < s.SaturationSteps)
        {
            for (int i = 0; i < s.SaturationEvery && session.StepCount < s.SaturationSteps; i++) session.Step();
            points.Add(Measure(session, data.Test, probe, probeRows, batchNorm));
        }
        ctx.Progress($"exp 3  {(batchNorm ? "BN   " : "no BN")}  {session.StepCount:N0} steps  accuracy {points[^1].Accuracy:F4}");
        return points;
    }

    private static SaturationPoint Measure(TrainingSession session, Split test, ReadOnlySpan<float> probe, int rows, bool batchNorm)
    {
        double accuracy = Metrics.Evaluate(session.Snapshot(), test).Accuracy;
        long saturated = 0, total = 0;
        float[] watched = [];
        double[] medians = [], spreads = [];
        for (int layer = 0; layer < session.HiddenLayerCount; layer++)
        {
            var z = session.GetActivationInputs(probe, rows, layer, useBatchStatistics: batchNorm);
            foreach (float v in z) if (Math.Abs(v) > SaturationThreshold) saturated++;
            total += z.Length;
            if (layer == session.HiddenLayerCount - 1)
            {
                int width = z.Length / rows;
                watched = Enumerable.Range(0, rows).Select(r => z[r * width + WatchedUnit]).ToArray();
                var columns = Enumerable.Range(0, width).Select(u => Enumerable.Range(0, rows).Select(r => z[r * width + u]).ToArray()).ToArray();
                medians = columns.Select(c => Metrics.Percentile(c, 50)).ToArray();
                spreads = columns.Select(c => Metrics.Percentile(c, 85) - Metrics.Percentile(c, 15)).ToArray();
            }
        }
        return new SaturationPoint(session.StepCount, accuracy, Metrics.Percentile(watched, 15), Metrics.Percentile(watched, 50),
            Metrics.Percentile(watched, 85), (double)saturated / total, medians, spreads);
    }

    /// <summary>Rows shown in the table: step 0, then doubling intervals, and the last.</summary>
    private static IEnumerable<int> TableIndices(int count)
    {
        var shown = new SortedSet<int> { 0, count - 1 };
        for (int i = 1; i < count; i *= 2) shown.Add(i);
        return shown;
    }

    private static List<Effect> Effects(List<SaturationPoint> bn, List<SaturationPoint> plain)
    {
        int early = Math.Max(1, bn.Count / 10);
        static double AllUnits(List<SaturationPoint> p) => p[1].UnitMedians.Zip(p[^1].UnitMedians, (a, b) => Math.Abs(b - a)).Average();
        return
        [
            new Effect($"test accuracy early in training (measurement {early} of {bn.Count - 1})", bn[early].Accuracy, plain[early].Accuracy),
            new Effect("saturated share of sigmoid inputs at the end", bn[^1].Saturated, plain[^1].Saturated, LowerSupportsClaim: true),
            new Effect("mean |change| of the units' median sigmoid input over training", AllUnits(bn), AllUnits(plain), LowerSupportsClaim: true, Decimals: 3),
        ];
    }

    private static string Verdict(List<SaturationPoint> bn, List<SaturationPoint> plain)
    {
        var text = new List<string>();
        // (a) speed
        double plainFinal = plain[^1].Accuracy;
        var reach = bn.FirstOrDefault(p => p.Accuracy >= plainFinal);
        int early = Math.Max(1, bn.Count / 10);
        string speed = reach is not null && reach.Step < plain[^1].Step
            ? $"BN reaches no-BN's final accuracy ({Format.Fixed(plainFinal, 4)} after {plain[^1].Step:N0} steps) after {reach.Step:N0} steps"
            : $"BN does not reach no-BN's final accuracy ({Format.Fixed(plainFinal, 4)}) any sooner";
        text.Add($"**Training speed:** after {bn[early].Step:N0} steps BN is at {Format.Fixed(bn[early].Accuracy, 4)} and no BN at " +
                 $"{Format.Fixed(plain[early].Accuracy, 4)}; {speed}; at the end BN has {Format.Fixed(bn[^1].Accuracy, 4)} " +
                 $"({Format.Points(bn[^1].Accuracy - plainFinal)}). The claim that training speeds up " +
                 $"{(bn[early].Accuracy > plain[early].Accuracy + 0.01 ? "holds" : "does not show")} here.");
        // (b) distribution drift, from the first measurement after step 0 to the end: the watched unit, then all 100 units
        static (double Median, double Spread) Drift(List<SaturationPoint> p) =>
            (p[^1].P50 - p[1].P50, (p[^1].P85 - p[^1].P15) - (p[1].P85 - p[1].P15));
        static (double Median, double Spread) AllUnits(List<SaturationPoint> p) =>
            (p[1].UnitMedians.Zip(p[^1].UnitMedians, (a, b) => Math.Abs(b - a)).Average(),
             p[1].UnitSpreads.Zip(p[^1].UnitSpreads, (a, b) => Math.Abs(b - a)).Average());
        var (bnMedian, bnSpread) = Drift(bn);
        var (plainMedian, plainSpread) = Drift(plain);
        var (bnAll, bnAllSpread) = AllUnits(bn);
        var (plainAll, plainAllSpread) = AllUnits(plain);
        bool medianSteadier = bnAll < plainAll, spreadSteadier = bnAllSpread < plainAllSpread;
        text.Add($"**Input distribution:** from step {bn[1].Step:N0} to the end the watched unit's median moves by {Format.Fixed(bnMedian, 2)} with BN " +
                 $"and {Format.Fixed(plainMedian, 2)} without, its p15–p85 spread by {Format.Fixed(bnSpread, 2)} and {Format.Fixed(plainSpread, 2)}. Over all " +
                 $"{bn[1].UnitMedians.Length} units of that layer the mean |change| of the median is {Format.Fixed(bnAll, 2)} with BN and {Format.Fixed(plainAll, 2)} " +
                 $"without, of the spread {Format.Fixed(bnAllSpread, 2)} and {Format.Fixed(plainAllSpread, 2)}. " +
                 (medianSteadier && spreadSteadier ? "The inputs are steadier with BN in location and in spread, as in the paper's Figure 1."
                  : medianSteadier ? "Figure 1 is reproduced only partly: BN holds the inputs' location steadier, but their spread grows more than without BN (γ grows during training)."
                  : spreadSteadier ? "Figure 1 is reproduced only partly: BN holds the inputs' spread steadier, but not their location (β moves them)."
                  : "BN does not make the sigmoid inputs steadier here: the paper's Figure 1(b, c) is not reproduced (γ and β are free to move them, and do)."));
        // (c) saturation
        double bnMax = bn.Max(p => p.Saturated), plainMax = plain.Max(p => p.Saturated);
        string sat = plain[^1].Saturated > bn[^1].Saturated + 0.01
            ? $"holds: without BN more sigmoid inputs sit in the flat tails{(bn[^1].Saturated > 0.005 ? $", though BN does not prevent saturation altogether (its share grows from {Format.Percent(bn[0].Saturated)} to {Format.Percent(bn[^1].Saturated)} as γ and β are learned)" : "")}"
            : plain[^1].Saturated < 0.01 && bn[^1].Saturated < 0.01
                ? "does not show: neither network drives its sigmoids into saturation on this data and budget"
                : "does not hold here: BN's network has at least as many saturated units (γ and β are free to push z out)";
        text.Add($"**Saturation:** at the end {Format.Percent(bn[^1].Saturated)} of sigmoid inputs are saturated with BN and " +
                 $"{Format.Percent(plain[^1].Saturated)} without (peaks over training {Format.Percent(bnMax)} and {Format.Percent(plainMax)}); the claim {sat}.");
        return string.Join(" ", text);
    }
}
