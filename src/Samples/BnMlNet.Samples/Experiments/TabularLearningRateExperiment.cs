using System.Diagnostics;
using System.Globalization;

namespace BnMlNet.Samples.Experiments;

/// <summary>
/// Experiment 9: claim 1 (robustness to hyperparameters) on tabular data. The default recipe with BN on every hidden layer
/// (the seed article's network, <see cref="TabularSuite.WithBnOnEveryLayer"/>; the recipe's default is the last hidden layer
/// only since round 12) and without BN at Adam learning rates over 3 decades, on the development suite; per dataset and in aggregate.
/// </summary>
public static class TabularLearningRateExperiment
{
    /// <summary>The plot.</summary>
    public const string PlotFile = "exp9-tabular-learning-rates.png";

    /// <summary>A rate "works" on a dataset when its metric is within this of the best any rate and variant reached there.</summary>
    public const double WorkingMargin = 0.01;

    /// <summary>A fit's shortfall (best − metric) is capped here, and a diverged fit counts as this, so one failed fit cannot swamp a mean.</summary>
    public const double ShortfallCap = 0.5;

    /// <summary>The recipe's default Adam rate (the sweep's 1e-3 point is the default recipe's rate).</summary>
    public static readonly float DefaultRate = new BatchNormMlpBinaryTrainer.Options().LearningRate;

    /// <summary>The Adam rates, 1e-4 to 0.1 (3 decades).</summary>
    public static readonly float[] Rates = [1e-4f, 1e-3f, 1e-2f, 1e-1f];

    /// <summary>
    /// The two variants at every rate, built once so that each fit is shared through <see cref="TabularSuite.Fit"/>'s cache (at
    /// the default rate: the variants themselves). BN on every hidden layer: the claim is the seed article's, about that network.
    /// </summary>
    private static readonly RecipeVariant[][] Grid = Rates.Select(r => new[] { At(TabularSuite.WithBnOnEveryLayer, r), At(TabularSuite.WithoutBn, r) }).ToArray();

    private static RecipeVariant At(RecipeVariant variant, float rate) => rate == DefaultRate ? variant
        : new RecipeVariant($"{variant.Name}, lr {Format.Rate(rate)}", o =>
        {
            variant.Edit?.Invoke(o);
            o.LearningRate = rate;
        });

    /// <summary>Shortfall of <paramref name="metric"/> from <paramref name="best"/>, capped at <see cref="ShortfallCap"/> (NaN: the cap).</summary>
    public static double Shortfall(double best, double metric) => double.IsNaN(metric) ? ShortfallCap : Math.Min(ShortfallCap, best - metric);

    /// <summary>Runs every dataset × rate × variant with the context's seed.</summary>
    public static ExperimentSection Run(ExperimentContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var clock = Stopwatch.StartNew();
        const string title = "Hyperparameter robustness on tabular data: the learning rate";
        const string claim = "With BN a network is less sensitive to its hyperparameters: a wider range of them works, and works better — here the default " +
                             "tabular recipe's Adam learning rate, with BN and without BN.";
        var (datasets, missing) = TabularSuite.DevelopmentSuite();
        if (datasets.Count == 0)
            return new ExperimentSection(9, title, claim, "Not run: " + missing, [], [],
                "Not measured: the development suite is missing. " + missing, clock.Elapsed.TotalSeconds, []);

        var variants = Grid.SelectMany(v => v).ToList();
        var flat = TabularSuite.FitAll(datasets, variants, ctx.Options.Quick, ctx.Seed, ctx.Threads, line => ctx.Progress("exp 9  " + line));
        double Score(int d, int r, int v) => flat[d][2 * r + v];   // v: 0 with BN, 1 without BN

        var sweep = new ResultTable($"Test metric by Adam learning rate, seed {ctx.Seed} (AUC for binary, accuracy for multiclass, R² for regression)",
            "dataset", "metric", "learning rate", "with BN", "without BN", "with BN − without BN");
        var summary = new ResultTable($"Working range per dataset: rates within {WorkingMargin:F2} of the dataset's best (any rate, either variant); " +
                                      $"shortfall = best − metric, capped at {ShortfallCap:F1}",
            "dataset", "metric", "best", "with BN: rates that work", "without BN: rates that work", "with BN: mean shortfall", "without BN: mean shortfall");
        var effects = new List<Effect>();
        var works = new int[2];
        var meanShort = new double[datasets.Count][];
        var shortByRate = new double[2][] { new double[Rates.Length], new double[Rates.Length] };
        for (int d = 0; d < datasets.Count; d++)
        {
            var ds = datasets[d];
            for (int r = 0; r < Rates.Length; r++)
                sweep.Add(ds.Name, ds.MetricName, Format.Rate(Rates[r]), Format.Fixed(Score(d, r, 0), 4), Format.Fixed(Score(d, r, 1), 4),
                    Format.Fixed(Score(d, r, 0) - Score(d, r, 1), 4));
            double best = Enumerable.Range(0, Rates.Length).SelectMany(r => new[] { Score(d, r, 0), Score(d, r, 1) }).Where(x => !double.IsNaN(x)).DefaultIfEmpty(double.NaN).Max();
            var count = new int[2];
            meanShort[d] = new double[2];
            for (int v = 0; v < 2; v++)
            {
                for (int r = 0; r < Rates.Length; r++)
                {
                    double s = Shortfall(best, Score(d, r, v));
                    if (!double.IsNaN(Score(d, r, v)) && s <= WorkingMargin) count[v]++;
                    meanShort[d][v] += s / Rates.Length;
                    shortByRate[v][r] += s / datasets.Count;
                }
                works[v] += count[v];
            }
            summary.Add(ds.Name, ds.MetricName, Format.Fixed(best, 4), Inv($"{count[0]} of {Rates.Length}"), Inv($"{count[1]} of {Rates.Length}"),
                Format.Fixed(meanShort[d][0], 4), Format.Fixed(meanShort[d][1], 4));
            effects.Add(new Effect($"{ds.Name}: mean shortfall over the {Rates.Length} rates", meanShort[d][0], meanShort[d][1], LowerSupportsClaim: true));
        }
        int cells = datasets.Count * Rates.Length;
        double allShort0 = meanShort.Average(m => m[0]), allShort1 = meanShort.Average(m => m[1]);
        summary.Add($"all {datasets.Count} datasets", "mixed", "—", Inv($"{works[0]} of {cells}"), Inv($"{works[1]} of {cells}"), Format.Fixed(allShort0, 4), Format.Fixed(allShort1, 4));
        effects.Add(new Effect($"all datasets: rates that work (of {cells})", works[0], works[1], Decimals: 1));
        effects.Add(new Effect($"all datasets: mean shortfall", allShort0, allShort1, LowerSupportsClaim: true));

        var plot = ExperimentPlots.Create($"Mean shortfall from each dataset's best, by Adam learning rate ({datasets.Count} datasets; lower is better)",
            "Adam learning rate (log scale)", "mean shortfall (metric)");
        double[] xs = Rates.Select(r => Math.Log10(r)).ToArray();
        ExperimentPlots.Line(plot, xs, shortByRate[0], "with BN", ExperimentPlots.Palette[0]);
        ExperimentPlots.Line(plot, xs, shortByRate[1], "without BN", ExperimentPlots.Palette[2], dashed: true);
        ExperimentPlots.XTicks(plot, xs, Rates.Select(r => Format.Rate(r)).ToArray());
        string file = ExperimentPlots.Save(plot, ctx.Folder, PlotFile, ctx.Force);

        return new ExperimentSection(9, title, claim,
            $"The datasets, featurization and trainer of experiment 7 ({(ctx.Options.Quick ? $"quick: the first {Bench.Tabular.TabularRunner.QuickTrainRows:N0} training and {Bench.Tabular.TabularRunner.QuickTestRows:N0} test rows" : "all rows, fixed splits")}); " +
            $"the default recipe with BN before the activation of every hidden layer (\"with BN\": BatchNormHiddenLayers = Every, the seed article's network; " +
            $"the recipe's default has it on the last hidden layer only since round 12) and the same without any BN (\"without BN\"), seed {ctx.Seed}, at Adam learning rates " +
            $"{string.Join(", ", Rates.Select(r => Format.Rate(r)))} (the default is {Format.Rate(DefaultRate)}); everything else, including early stopping on the " +
            $"validation hold-out, stays at the defaults. A rate \"works\" on a dataset when its test metric is within {WorkingMargin:F2} of the best any rate and " +
            $"either variant reached on that dataset; the shortfall is best − metric, capped at {ShortfallCap:F1} (a diverged fit counts as {ShortfallCap:F1}).",
            [sweep, summary], [file],
            Inv($"With BN, {works[0]} of {cells} dataset × rate cells work against {works[1]} without BN; mean shortfall {allShort0:F4} with BN, {allShort1:F4} without (seed {ctx.Seed})."),
            clock.Elapsed.TotalSeconds, effects);
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
