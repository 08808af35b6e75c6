using System.Diagnostics;
using System.Globalization;
using BnMlNet.Engine;

namespace BnMlNet.Samples.Experiments;

/// <summary>Experiment 2: deeper networks, sigmoid and ReLU, with and without BN, one fixed optimizer setting.</summary>
public static class DepthExperiment
{
    /// <summary>The plot.</summary>
    public const string PlotFile = "exp2-depth.png";
    private const int Width = 100, BatchSize = 128;
    private const float Rate = 0.01f, Momentum = 0.9f;
    private static readonly Activation[] Activations = [Activation.Sigmoid, Activation.Relu];

    /// <summary>Runs every depth × activation × BN combination.</summary>
    public static ExperimentSection Run(ExperimentContext ctx)
    {
        var clock = Stopwatch.StartNew();
        int epochs = ctx.Scale.DepthEpochs;
        var grid = (from act in Activations from depth in ctx.Scale.Depths from bn in new[] { true, false } select (act, depth, bn)).ToList();
        var jobs = grid.Select(g => (Func<RunOutcome>)(() =>
        {
            var outcome = TrainingRun.Run(TrainingRun.Spec(Enumerable.Repeat(Width, g.depth).ToArray(), g.act, g.bn),
                TrainingRun.Settings(OptimizerKind.Sgd, Rate, BatchSize, epochs, ctx.Seed, Momentum), ctx.Data.Train, ctx.Data.Test);
            ctx.Progress($"exp 2  {g.act,-7} {g.depth,2} hidden layers {(g.bn ? "BN   " : "no BN")}  accuracy {outcome.AccuracyText}  ({outcome.Seconds:F1} s)");
            return outcome;
        })).ToList();
        var results = ParallelRuns.Run(jobs, ctx.Threads);
        RunOutcome Get(Activation a, int d, bool bn) => results[grid.IndexOf((a, d, bn))];

        var table = new ResultTable($"Test accuracy and last-epoch training loss after {epochs} epochs (width {Width}, SGD momentum {Momentum}, lr {Rate}, batch {BatchSize})",
            "activation", "hidden layers", "BN accuracy", "no-BN accuracy", "BN − no BN", "BN train loss", "no-BN train loss");
        foreach (var act in Activations)
            foreach (int depth in ctx.Scale.Depths)
            {
                var a = Get(act, depth, true);
                var b = Get(act, depth, false);
                table.Add(Name(act), depth.ToString(CultureInfo.InvariantCulture), a.AccuracyText, b.AccuracyText,
                    a.Diverged || b.Diverged ? "n/a" : Format.Points(a.TestAccuracy - b.TestAccuracy),
                    Format.Fixed(a.LastEpochLoss, 4), Format.Fixed(b.LastEpochLoss, 4));
            }

        var plot = ExperimentPlots.Create($"Test accuracy vs depth ({epochs} epochs, SGD momentum {Momentum}, lr {Rate})", "hidden layers", "test accuracy");
        double[] xs = ctx.Scale.Depths.Select(d => (double)d).ToArray();
        foreach (var act in Activations)
            foreach (bool bn in new[] { true, false })
                ExperimentPlots.Line(plot, xs, ctx.Scale.Depths.Select(d => Get(act, d, bn) is { Diverged: false } o ? o.TestAccuracy : 0.1).ToArray(),
                    $"{Name(act)} {(bn ? "BN" : "no BN")}", ExperimentPlots.Palette[act == Activation.Sigmoid ? 0 : 2], dashed: !bn);
        ExperimentPlots.YLimits(plot, 0, 1);
        string file = ExperimentPlots.Save(plot, ctx.Folder, PlotFile, ctx.Force, ScottPlot.Alignment.LowerLeft);

        var verdicts = Activations.Select(act => Verdict(act, ctx.Scale.Depths, d => Get(act, d, true), d => Get(act, d, false)));
        return new ExperimentSection(2, "Depth: deep networks become easier to train",
            "Deep networks become easier to train with BN.",
            $"{string.Join(", ", ctx.Scale.Depths)} hidden layers of {Width} units, sigmoid (Glorot init) and ReLU (He init), " +
            $"BN before the activation or no BN; the same optimizer for all: SGD, momentum {Momentum}, lr {Rate}, batch {BatchSize}, " +
            $"{epochs} epochs, seed {ctx.Seed}. \"Train loss\" is the mean train-mode loss over the last epoch.",
            [table], [file], string.Join(" ", verdicts), clock.Elapsed.TotalSeconds,
            Activations.SelectMany(act => DepthEffects(act, ctx.Scale.Depths, d => Get(act, d, true), d => Get(act, d, false))).ToList());
    }

    private static IEnumerable<Effect> DepthEffects(Activation act, IReadOnlyList<int> depths, Func<int, RunOutcome> bn, Func<int, RunOutcome> plain)
    {
        static double Acc(RunOutcome o) => o.Diverged ? 0.1 : o.TestAccuracy;
        int shallow = depths[0], deep = depths[^1];
        yield return new Effect($"{Name(act)}: accuracy at {deep} hidden layers", Acc(bn(deep)), Acc(plain(deep)));
        yield return new Effect($"{Name(act)}: accuracy lost from {shallow} to {deep} layers", Acc(bn(shallow)) - Acc(bn(deep)), Acc(plain(shallow)) - Acc(plain(deep)), LowerSupportsClaim: true);
    }

    private static string Name(Activation a) => a == Activation.Relu ? "ReLU" : "sigmoid";

    private static string Verdict(Activation act, IReadOnlyList<int> depths, Func<int, RunOutcome> bn, Func<int, RunOutcome> plain)
    {
        static double Acc(RunOutcome o) => o.Diverged ? 0.1 : o.TestAccuracy;
        int shallow = depths[0], deep = depths[^1];
        double bnDrop = Acc(bn(shallow)) - Acc(bn(deep));
        double plainDrop = Acc(plain(shallow)) - Acc(plain(deep));
        double gapDeep = Acc(bn(deep)) - Acc(plain(deep));
        int bnWins = depths.Count(d => Acc(bn(d)) > Acc(plain(d)));
        double gapShallow = Acc(bn(shallow)) - Acc(plain(shallow));
        string how = gapDeep > 0.05 && plainDrop > bnDrop + 0.05 ? "holds clearly"
            : gapDeep > 0.005 && gapDeep > gapShallow ? "holds, modestly"
            : bnWins == depths.Count ? $"does not show as a depth effect: BN is ahead at every depth, but its lead does not grow with depth ({Format.Points(gapShallow)} at {shallow} layers)"
            : "does not show";
        return $"**{Name(act)}:** the claim {how}. At {deep} hidden layers BN reaches {Format.Fixed(Acc(bn(deep)), 4)} against " +
               $"{Format.Fixed(Acc(plain(deep)), 4)} without ({Format.Points(gapDeep)}); from {shallow} to {deep} layers BN's accuracy changes by " +
               $"{Format.Points(-bnDrop)} and no-BN's by {Format.Points(-plainDrop)}; BN is ahead at {bnWins} of {depths.Count} depths." +
               (act == Activation.Relu && plainDrop < 0.02 ? " With He initialization and this budget, plain ReLU networks of this depth still train without BN." : "");
    }
}
