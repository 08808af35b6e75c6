using System.Diagnostics;
using System.Globalization;

namespace BnMlNet.Samples.Experiments;

/// <summary>
/// Experiment 7: does BN still earn its place once the tabular recipe is in? The default recipe with BN, without BN, and
/// with BN after the activation, on the development suite (<c>../shared/datasets/tabular</c>).
/// </summary>
public static class TabularBnExperiment
{
    /// <summary>The plot.</summary>
    public const string PlotFile = "exp7-tabular-bn.png";

    /// <summary>BN after the activation instead of before it.</summary>
    public static readonly RecipeVariant AfterActivation = new("BN after the activation", o => o.BatchNormPlacement = BatchNormPlacement.AfterActivation);

    /// <summary>The variants, in column order.</summary>
    public static readonly RecipeVariant[] Variants = [TabularSuite.WithBn, TabularSuite.WithoutBn, AfterActivation];

    /// <summary>Runs every dataset × variant with the context's seed.</summary>
    public static ExperimentSection Run(ExperimentContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var clock = Stopwatch.StartNew();
        const string title = "BN in the tabular recipe: with BN and without BN";
        const string claim = "BN earns its place in a network: once the tabular recipe (robust scaling, imputation, validation hold-out with early stopping, dropout) " +
                             "is in, the recipe with BN still scores better than the same recipe without BN.";
        var (datasets, missing) = TabularSuite.DevelopmentSuite();
        if (datasets.Count == 0)
            return new ExperimentSection(7, title, claim, "Not run: " + missing, [], [],
                "Not measured: the development suite is missing. " + missing, clock.Elapsed.TotalSeconds, []);

        var scores = TabularSuite.FitAll(datasets, Variants, ctx.Options.Quick, ctx.Seed, ctx.Threads, line => ctx.Progress("exp 7  " + line));
        var table = new ResultTable($"Test metric of the default recipe, seed {ctx.Seed} (AUC for binary, accuracy for multiclass, R² for regression)",
            "dataset", "task", "metric", "train rows", "with BN", "without BN", "BN after the activation", "with BN − without BN");
        var effects = new List<Effect>();
        for (int d = 0; d < datasets.Count; d++)
        {
            var ds = datasets[d];
            double[] s = scores[d];
            table.Add(ds.Name, ds.Task.ToString().ToLowerInvariant(), ds.MetricName,
                TabularSuite.Prepare(ds, ctx.Options.Quick).TrainRows.ToString(CultureInfo.InvariantCulture),
                Format.Fixed(s[0], 4), Format.Fixed(s[1], 4), Format.Fixed(s[2], 4), Format.Fixed(s[0] - s[1], 4));
            effects.Add(new Effect($"{ds.Name} ({ds.MetricName})", s[0], s[1]));
        }
        int better = scores.Count(s => s[0] > s[1]);
        var plot = ExperimentPlots.Create("Default recipe, development suite: with BN − without BN (above 0: BN helps)", "dataset", "metric difference");
        double[] xs = Enumerable.Range(0, datasets.Count).Select(i => (double)i).ToArray();
        ExperimentPlots.Line(plot, xs, scores.Select(s => s[0] - s[1]).ToArray(), "with BN − without BN", ExperimentPlots.Palette[0]);
        ExperimentPlots.Line(plot, xs, scores.Select(s => s[2] - s[1]).ToArray(), "BN after the activation − without BN", ExperimentPlots.Palette[1], dashed: true);
        ExperimentPlots.Line(plot, xs, new double[xs.Length], "0", ScottPlot.Colors.Gray, markerSize: 0);
        ExperimentPlots.XTicks(plot, xs, datasets.Select(d => d.Name).ToArray());
        string file = ExperimentPlots.Save(plot, ctx.Folder, PlotFile, ctx.Force, ScottPlot.Alignment.LowerLeft);

        return new ExperimentSection(7, title, claim,
            $"bench tabular's loaders and featurization (missing numbers imputed with the training mean, text one-hot) on the {datasets.Count} datasets of the " +
            $"development suite ({(ctx.Options.Quick ? $"quick: the first {Bench.Tabular.TabularRunner.QuickTrainRows:N0} training and {Bench.Tabular.TabularRunner.QuickTestRows:N0} test rows" : "all rows, fixed splits")}); " +
            $"the ML.NET trainer on its defaults (seed {ctx.Seed}, 1 thread per fit). \"with BN\": the defaults (input BN and BN before the last hidden layer's activation, round 12); " +
            "\"without BN\": InputBatchNorm = false and BatchNormPlacement = None, all else the same; \"BN after the activation\": BatchNormPlacement = AfterActivation.",
            [table], [file],
            $"With BN scores higher than without BN on {better} of {datasets.Count} datasets with seed {ctx.Seed}.", clock.Elapsed.TotalSeconds, effects);
    }
}
