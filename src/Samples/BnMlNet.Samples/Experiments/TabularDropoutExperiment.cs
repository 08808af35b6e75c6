using System.Diagnostics;

namespace BnMlNet.Samples.Experiments;

/// <summary>
/// Experiment 11: "BN regularizes, somewhat like dropout", inside the default recipe on the development suite: BN and dropout
/// (the default), dropout without BN, BN without dropout, and neither.
/// </summary>
public static class TabularDropoutExperiment
{
    /// <summary>The plot.</summary>
    public const string PlotFile = "exp11-tabular-bn-dropout.png";

    /// <summary>BN kept, dropout off.</summary>
    public static readonly RecipeVariant BnNoDropout = new("BN, no dropout", o => o.DropoutRate = 0f);

    /// <summary>Neither BN nor dropout.</summary>
    public static readonly RecipeVariant Neither = new("neither", o =>
    {
        o.InputBatchNorm = false;
        o.BatchNormPlacement = BatchNormPlacement.None;
        o.DropoutRate = 0f;
    });

    /// <summary>The columns: BN + dropout (the default), dropout without BN, BN without dropout, neither.</summary>
    public static readonly RecipeVariant[] Variants = [TabularSuite.WithBn, TabularSuite.WithoutBn, BnNoDropout, Neither];

    /// <summary>The three effects the claim predicts, as (name, first variant, second variant, claims no difference).</summary>
    public static readonly (string Name, int First, int Second, bool NoDifference)[] Comparisons =
    [
        ("BN alone vs neither", 2, 3, false),
        ("BN + dropout vs dropout alone", 0, 1, false),
        ("BN alone vs dropout alone (\"like dropout\": no difference)", 2, 1, true),
    ];

    /// <summary>Runs every dataset × variant with the context's seed.</summary>
    public static ExperimentSection Run(ExperimentContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var clock = Stopwatch.StartNew();
        const string title = "BN regularizes like dropout: BN and dropout in the tabular recipe";
        const string claim = "The batch mean and variance are noisy estimates, and that noise regularizes a little, somewhat like dropout: without dropout, BN " +
                             "scores better than no BN; BN still adds to dropout; and BN alone does about as well as dropout alone.";
        var (suite, missing) = TabularSuite.DevelopmentSuite();
        var datasets = TabularGroups.SmallOnly(suite, ctx.Options.Quick);
        if (datasets.Count == 0)
            return new ExperimentSection(11, title, claim, "Not run: " + missing, [], [],
                "Not measured: the development suite is missing. " + missing, clock.Elapsed.TotalSeconds, []);

        var scores = TabularSuite.FitAll(datasets, Variants, ctx.Options.Quick, ctx.Seed, ctx.Threads, line => ctx.Progress("exp 11 " + line));
        var groups = TabularGroups.Of(datasets, ctx.Options.Quick);
        var perDataset = TabularGroups.PerDataset($"Test metric with and without BN and dropout, seed {ctx.Seed} (AUC for binary, accuracy for multiclass, R² for regression)",
            datasets, Variants, scores, ctx.Options.Quick);
        var perGroup = TabularGroups.PerGroup("Mean test metric over each group's datasets", groups, datasets, Variants, scores);
        var effects = new List<Effect>();
        foreach (var (name, members) in groups.Where(g => g.Name != "all"))
            foreach (var c in Comparisons)
                effects.Add(new Effect($"{c.Name}, {name}", TabularGroups.Mean(scores, members, c.First), TabularGroups.Mean(scores, members, c.Second),
                    ClaimsNoDifference: c.NoDifference, First: Variants[c.First].Name));
        string file = TabularGroups.Plot(ctx, PlotFile, "BN and dropout in the default recipe: metric − neither (above 0: better than neither)",
            datasets, Variants, scores, reference: 3);

        int bnHelps = scores.Count(s => s[2] > s[3]);
        return new ExperimentSection(11, title, claim,
            $"The featurization and trainer of experiment 7 on {TabularGroups.SmallOnlyText(datasets, suite.Count)} ({(ctx.Options.Quick ? $"quick: the first {Bench.Tabular.TabularRunner.QuickTrainRows:N0} training and {Bench.Tabular.TabularRunner.QuickTestRows:N0} test rows" : "all rows, fixed splits")}), seed {ctx.Seed}; " +
            "\"with BN\" is the default recipe (BN before the last hidden layer's activation, round 12, and dropout 0.1 after each hidden block), \"without BN\" keeps the dropout, \"BN, no dropout\" sets " +
            $"DropoutRate = 0, \"neither\" has no BN and no dropout. Everything else, including early stopping on the validation hold-out, stays at the defaults.",
            [perDataset, perGroup], [file],
            $"Without dropout, BN scores higher than no BN on {bnHelps} of {datasets.Count} datasets with seed {ctx.Seed}.", clock.Elapsed.TotalSeconds, effects);
    }
}
