using System.Diagnostics;
using System.Globalization;

namespace BnMlNet.Samples.Experiments;

/// <summary>
/// Experiment 8: the trainer's test-time statistics, moving average (the default) against population statistics
/// (<c>RunningStatistics = Population</c>), on the development suite and the Fashion-MNIST subset.
/// </summary>
public static class RunningStatisticsExperiment
{
    /// <summary>The plot.</summary>
    public const string PlotFile = "exp8-running-statistics.png";

    /// <summary>Population statistics, recomputed after training.</summary>
    public static readonly RecipeVariant Population = new("population statistics", o => o.RunningStatistics = RunningStatisticsMode.Population);

    /// <summary>The default (moving average).</summary>
    public static readonly RecipeVariant MovingAverage = new("moving average (default)", null);

    /// <summary>Runs every dataset × mode with the context's seed.</summary>
    public static ExperimentSection Run(ExperimentContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var clock = Stopwatch.StartNew();
        const string title = "Test-time statistics in the trainer: moving average vs population";
        const string claim = "(The question of the library's default, not a claim of the seed.) Population statistics — the mean and variance recomputed over " +
                             "the whole training set with the weights frozen — score better than the moving average the trainer keeps by default.";
        var (datasets, missing) = TabularSuite.DevelopmentSuite(withFashionMnistSubset: true);
        if (datasets.Count == 0)
            return new ExperimentSection(8, title, claim, "Not run: " + missing, [], [],
                "Not measured: the development suite is missing. " + missing, clock.Elapsed.TotalSeconds, []);

        var scores = TabularSuite.FitAll(datasets, [MovingAverage, Population], ctx.Options.Quick, ctx.Seed, ctx.Threads, line => ctx.Progress("exp 8  " + line));
        var table = new ResultTable($"Test metric of the default recipe (with BN), seed {ctx.Seed}, by test-time statistics",
            "dataset", "metric", "train rows", "moving average (default)", "population statistics", "population − moving average");
        var effects = new List<Effect>();
        for (int d = 0; d < datasets.Count; d++)
        {
            var ds = datasets[d];
            double[] s = scores[d];
            table.Add(ds.Name, ds.MetricName, TabularSuite.Prepare(ds, ctx.Options.Quick).TrainRows.ToString(CultureInfo.InvariantCulture),
                Format.Fixed(s[0], 4), Format.Fixed(s[1], 4), Format.Fixed(s[1] - s[0], 4));
            effects.Add(new Effect($"{ds.Name} ({ds.MetricName})", s[1], s[0], First: "population"));
        }
        var plot = ExperimentPlots.Create("Population − moving-average statistics, test metric (above 0: population better)", "dataset", "metric difference");
        double[] xs = Enumerable.Range(0, datasets.Count).Select(i => (double)i).ToArray();
        ExperimentPlots.Line(plot, xs, scores.Select(s => s[1] - s[0]).ToArray(), "population − moving average", ExperimentPlots.Palette[0]);
        ExperimentPlots.Line(plot, xs, new double[xs.Length], "0", ScottPlot.Colors.Gray, markerSize: 0);
        ExperimentPlots.XTicks(plot, xs, datasets.Select(d => d.Name).ToArray());
        string file = ExperimentPlots.Save(plot, ctx.Folder, PlotFile, ctx.Force, ScottPlot.Alignment.LowerLeft);

        int better = scores.Count(s => s[1] > s[0]);
        return new ExperimentSection(8, title, claim,
            $"The same datasets and featurization as experiment 7 plus the Fashion-MNIST subset in data/ ({(ctx.Options.Quick ? "quick: first rows only" : "all rows")}); " +
            $"the default recipe with BN, seed {ctx.Seed}, once with RunningStatistics = ExponentialMovingAverage (the default, momentum 0.1) and once with " +
            "RunningStatistics = Population; everything else, including the trained weights' seed, is the same.",
            [table], [file],
            $"Population statistics score higher on {better} of {datasets.Count} datasets with seed {ctx.Seed}.", clock.Elapsed.TotalSeconds, effects);
    }
}
