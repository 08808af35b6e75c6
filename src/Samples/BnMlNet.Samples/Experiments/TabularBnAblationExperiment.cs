using System.Diagnostics;

namespace BnMlNet.Samples.Experiments;

/// <summary>
/// Experiment 10: where BN's cost on tables comes from. The default recipe against changes to its BN — BN on the input only,
/// BN on the hidden layers only, a slower or faster moving average (BN momentum 0.01, 0.3; the default is 0.1) — on the
/// development suite, small tables against large ones.
/// </summary>
public static class TabularBnAblationExperiment
{
    /// <summary>The plot.</summary>
    public const string PlotFile = "exp10-tabular-bn-ablations.png";

    /// <summary>Input BN kept, no BN in the hidden blocks.</summary>
    public static readonly RecipeVariant InputOnly = new("input BN only", o => o.BatchNormPlacement = BatchNormPlacement.None);

    /// <summary>The default's hidden BN (the last hidden layer, round 12), no input BN.</summary>
    public static readonly RecipeVariant HiddenOnly = new("hidden BN only", o => o.InputBatchNorm = false);

    /// <summary>A slow moving average.</summary>
    public static readonly RecipeVariant SlowMomentum = new("BN momentum 0.01", o => o.BatchNormMomentum = 0.01f);

    /// <summary>A fast moving average.</summary>
    public static readonly RecipeVariant FastMomentum = new("BN momentum 0.3", o => o.BatchNormMomentum = 0.3f);

    /// <summary>The columns: the two references, then the changes.</summary>
    public static readonly RecipeVariant[] Variants = [TabularSuite.WithBn, TabularSuite.WithoutBn, InputOnly, HiddenOnly, SlowMomentum, FastMomentum];

    /// <summary>Runs every dataset × variant with the context's seed.</summary>
    public static ExperimentSection Run(ExperimentContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var clock = Stopwatch.StartNew();
        const string title = "Where BN's cost on tables comes from: input vs hidden BN, BN momentum";
        const string claim = "(A question of this project, not a claim of the seed.) Some change to BN inside the default recipe recovers the accuracy BN " +
                             "costs on small tables: BN on the input only, BN on the hidden layers only, or another BN momentum scores higher than the default with BN.";
        var (suite, missing) = TabularSuite.DevelopmentSuite();
        var datasets = TabularGroups.SmallOnly(suite, ctx.Options.Quick);
        if (datasets.Count == 0)
            return new ExperimentSection(10, title, claim, "Not run: " + missing, [], [],
                "Not measured: the development suite is missing. " + missing, clock.Elapsed.TotalSeconds, []);

        var scores = TabularSuite.FitAll(datasets, Variants, ctx.Options.Quick, ctx.Seed, ctx.Threads, line => ctx.Progress("exp 10 " + line));
        var groups = TabularGroups.Of(datasets, ctx.Options.Quick);
        var perDataset = TabularGroups.PerDataset($"Test metric by BN variant, seed {ctx.Seed} (AUC for binary, accuracy for multiclass, R² for regression)",
            datasets, Variants, scores, ctx.Options.Quick);
        var perGroup = TabularGroups.PerGroup("Mean test metric over each group's datasets", groups, datasets, Variants, scores);
        var effects = new List<Effect>();
        foreach (var (name, members) in groups.Where(g => g.Name != "all"))
            for (int v = 2; v < Variants.Length; v++)
                effects.Add(new Effect($"{Variants[v].Name} vs with BN, {name}", TabularGroups.Mean(scores, members, v), TabularGroups.Mean(scores, members, 0),
                    First: Variants[v].Name));
        string file = TabularGroups.Plot(ctx, PlotFile, "BN variants of the default recipe: metric − the default with BN (above 0: the change helps)",
            datasets, Variants, scores, reference: 0);

        var small = groups[0];
        string words = string.Join("; ", Enumerable.Range(2, Variants.Length - 2).Select(v =>
            Format.Inv($"{Variants[v].Name} {TabularGroups.Mean(scores, small.Members, v) - TabularGroups.Mean(scores, small.Members, 0):+0.0000;-0.0000}")));
        return new ExperimentSection(10, title, claim,
            $"The featurization and trainer of experiment 7 on {TabularGroups.SmallOnlyText(datasets, suite.Count)} ({(ctx.Options.Quick ? $"quick: the first {Bench.Tabular.TabularRunner.QuickTrainRows:N0} training and {Bench.Tabular.TabularRunner.QuickTestRows:N0} test rows" : "all rows, fixed splits")}), seed {ctx.Seed}; " +
            "the default recipe (\"with BN\": input BN and BN before the last hidden layer's activation (round 12), BN momentum 0.1) and the same with one change: \"input BN only\" " +
            "(BatchNormPlacement = None), \"hidden BN only\" (InputBatchNorm = false), BatchNormMomentum 0.01 or 0.3; \"without BN\" for reference. " +
            "BN on the first or the last hidden layer only, weight decay on γ and mixed ensembles are experiment 12's (on all ten tables).",
            [perDataset, perGroup], [file],
            $"On the {small.Name} tables, mean metric minus the default with BN, seed {ctx.Seed}: {words}.", clock.Elapsed.TotalSeconds, effects);
    }
}
