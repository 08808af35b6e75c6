using System.Diagnostics;
using BnMlNet.Engine;

namespace BnMlNet.Samples.Experiments;

/// <summary>Experiment 1: test accuracy over learning rates spanning 3.5 orders of magnitude, with and without BN, SGD and Adam.</summary>
public static class HyperparameterExperiment
{
    /// <summary>Plain SGD rates (no momentum), 0.003 to 10.</summary>
    public static readonly float[] SgdRates = [0.003f, 0.01f, 0.03f, 0.1f, 0.3f, 1f, 3f, 10f];
    /// <summary>Adam rates, 3e-5 to 0.1.</summary>
    public static readonly float[] AdamRates = [3e-5f, 1e-4f, 3e-4f, 1e-3f, 3e-3f, 1e-2f, 3e-2f, 0.1f];
    /// <summary>A rate "works" when it comes within this of the best accuracy any rate and variant reached with that optimizer.</summary>
    public const double WorkingMargin = 0.05;
    /// <summary>The plot.</summary>
    public const string PlotFile = "exp1-learning-rates.png";

    private static readonly int[] Hidden = [100, 100];
    private const int BatchSize = 128;

    /// <summary>Runs the sweep.</summary>
    public static ExperimentSection Run(ExperimentContext ctx)
    {
        var clock = Stopwatch.StartNew();
        int epochs = ctx.Scale.LearningRateEpochs;
        var grid = new List<(OptimizerKind Opt, float Rate, bool Bn)>();
        foreach (var (opt, rates) in new[] { (OptimizerKind.Sgd, SgdRates), (OptimizerKind.Adam, AdamRates) })
            foreach (float rate in rates)
                foreach (bool bn in new[] { true, false })
                    grid.Add((opt, rate, bn));
        var jobs = grid.Select(g => (Func<RunOutcome>)(() =>
        {
            var outcome = TrainingRun.Run(TrainingRun.Spec(Hidden, Activation.Relu, g.Bn),
                TrainingRun.Settings(g.Opt, g.Rate, BatchSize, epochs, ctx.Seed), ctx.Data.Train, ctx.Data.Test);
            ctx.Progress($"exp 1  {g.Opt,-4} lr {Format.Rate(g.Rate),-6} {(g.Bn ? "BN   " : "no BN")}  accuracy {outcome.AccuracyText}  ({outcome.Seconds:F1} s)");
            return outcome;
        })).ToList();
        var results = ParallelRuns.Run(jobs, ctx.Threads);
        RunOutcome Get(OptimizerKind o, float r, bool bn) => results[grid.IndexOf((o, r, bn))];

        var table = new ResultTable("Test accuracy after " + epochs + " epochs (784-100-100-10 ReLU, batch 128)",
            "optimizer", "learning rate", "BN", "no BN", "BN − no BN");
        foreach (var (opt, rates) in new[] { (OptimizerKind.Sgd, SgdRates), (OptimizerKind.Adam, AdamRates) })
            foreach (float rate in rates)
            {
                var a = Get(opt, rate, true);
                var b = Get(opt, rate, false);
                table.Add(Name(opt), Format.Rate(rate), a.AccuracyText, b.AccuracyText, Difference(a, b));
            }

        var summary = new ResultTable($"Working range: rates within {WorkingMargin * 100:F0} points of the optimizer's best accuracy",
            "optimizer", "variant", "best accuracy", "at rate", "rates that work", "diverged");
        var verdicts = new List<string>();
        var effects = new List<Effect>();
        foreach (var (opt, rates) in new[] { (OptimizerKind.Sgd, SgdRates), (OptimizerKind.Adam, AdamRates) })
        {
            double best = rates.SelectMany(r => new[] { Acc(Get(opt, r, true)), Acc(Get(opt, r, false)) }).Max();
            var stats = new[] { true, false }.Select(bn =>
            {
                var accs = rates.Select(r => Acc(Get(opt, r, bn))).ToArray();
                int arg = Array.IndexOf(accs, accs.Max());
                int working = accs.Count(a => a >= best - WorkingMargin);
                int diverged = rates.Count(r => Get(opt, r, bn).Diverged);
                summary.Add(Name(opt), bn ? "BN" : "no BN", Format.Fixed(accs[arg], 4), Format.Rate(rates[arg]),
                    $"{working} of {rates.Length}", diverged.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return (Best: accs[arg], Working: working, Range: Range(rates, accs, best));
            }).ToArray();
            verdicts.Add(Verdict(Name(opt), stats[0], stats[1]));
            effects.Add(new Effect($"{Name(opt)}: rates that work (of {rates.Length})", stats[0].Working, stats[1].Working, Decimals: 1));
            effects.Add(new Effect($"{Name(opt)}: best accuracy", stats[0].Best, stats[1].Best));
        }

        var plot = ExperimentPlots.Create($"Test accuracy vs learning rate ({epochs} epochs; diverged runs drawn at 0.1 = chance)", "learning rate (log scale)", "test accuracy");
        foreach (var (opt, rates, color) in new[] { (OptimizerKind.Sgd, SgdRates, 0), (OptimizerKind.Adam, AdamRates, 2) })
        {
            foreach (bool bn in new[] { true, false })
            {
                double[] xs = rates.Select(r => Math.Log10(r)).ToArray();
                double[] ys = rates.Select(r => Get(opt, r, bn) is { Diverged: false } o ? o.TestAccuracy : 0.1).ToArray();
                ExperimentPlots.Line(plot, xs, ys, $"{Name(opt)} {(bn ? "BN" : "no BN")}", ExperimentPlots.Palette[color], dashed: !bn);
            }
        }
        double[] ticks = Enumerable.Range(-5, 7).Select(e => (double)e).ToArray();
        ExperimentPlots.XTicks(plot, ticks, ticks.Select(e => Format.Rate(Math.Pow(10, e))).ToArray());
        ExperimentPlots.YLimits(plot, 0, 1);
        string file = ExperimentPlots.Save(plot, ctx.Folder, PlotFile, ctx.Force, ScottPlot.Alignment.LowerLeft);

        return new ExperimentSection(1, "Hyperparameter robustness: the learning rate",
            "With BN a network is less sensitive to its hyperparameters: a wider range of them works, and works better.",
            $"784-100-100-10 ReLU (BN before the activation, or no BN with Dense biases), batch {BatchSize}, {epochs} epochs, " +
            $"seed {ctx.Seed}; plain SGD (no momentum) at {SgdRates.Length} rates from {Format.Rate(SgdRates[0])} to {Format.Rate(SgdRates[^1])}, " +
            $"Adam at {AdamRates.Length} rates from {Format.Rate(AdamRates[0])} to {Format.Rate(AdamRates[^1])}. A rate \"works\" when its test " +
            $"accuracy is within {WorkingMargin * 100:F0} points of the best accuracy any rate reached with that optimizer (BN or not).",
            [table, summary], [file], string.Join(" ", verdicts), clock.Elapsed.TotalSeconds, effects);
    }

    private static string Name(OptimizerKind o) => o == OptimizerKind.Sgd ? "SGD" : "Adam";
    private static double Acc(RunOutcome o) => o.Diverged ? 0 : o.TestAccuracy;

    private static string Difference(RunOutcome a, RunOutcome b) =>
        a.Diverged || b.Diverged ? "n/a" : Format.Points(a.TestAccuracy - b.TestAccuracy);

    private static string Range(float[] rates, double[] accs, double best)
    {
        var ok = rates.Where((_, i) => accs[i] >= best - WorkingMargin).ToArray();
        return ok.Length == 0 ? "none" : string.Join(", ", ok.Select(r => Format.Rate(r)));
    }

    private static string Verdict(string opt, (double Best, int Working, string Range) bn, (double Best, int Working, string Range) plain)
    {
        string wider = bn.Working > plain.Working ? "holds" : bn.Working == plain.Working ? "does not show (same width)" : "does not hold (BN's range is narrower)";
        string better = bn.Best >= plain.Best
            ? $"BN's best is {Format.Points(bn.Best - plain.Best)} above no-BN's best"
            : $"but no-BN's best is {Format.Points(plain.Best - bn.Best)} above BN's best";
        return $"**{opt}:** the wider range {wider}: {bn.Working} of the rates work with BN ({bn.Range}) against {plain.Working} without ({plain.Range}); " +
               $"{better} ({Format.Fixed(bn.Best, 4)} vs {Format.Fixed(plain.Best, 4)}).";
    }
}
