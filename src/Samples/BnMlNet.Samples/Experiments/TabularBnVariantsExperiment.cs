using System.Diagnostics;

namespace BnMlNet.Samples.Experiments;

/// <summary>
/// Experiment 12: what might make BN help inside the tabular recipe. On the whole development suite, the default recipe with BN
/// and without BN against: BN on the first hidden layer only, on every hidden layer (the default before round 12; the default
/// has it on the last hidden layer only since then, which this experiment measured as "BN last hidden only"), weight decay on γ (AdamW sense,
/// λ_γ = 0.01 and 0.1), and mixed ensembles (one BN and one no-BN model trained apart, their predictions averaged) against
/// equal-size controls (two BN seeds averaged; two no-BN seeds averaged).
/// </summary>
public static class TabularBnVariantsExperiment
{
    /// <summary>The plot.</summary>
    public const string PlotFile = "exp12-tabular-bn-variants.png";

    /// <summary>The second member of each two-model ensemble is trained with the seed plus this (so seeds 1, 2, 3 give 101, 102, 103).</summary>
    public const int SecondMemberSeedOffset = 100;

    /// <summary>The hidden BN on the first hidden layer only (the input BN kept, as in the default).</summary>
    public static readonly RecipeVariant FirstLayerOnly = new("BN first hidden only", o => o.BatchNormLayers = [0]);

    /// <summary>The hidden BN on every hidden layer (the input BN kept): the default before round 12.</summary>
    public static readonly RecipeVariant EveryLayer = new("BN every hidden layer", o => o.BatchNormHiddenLayers = BatchNormHiddenLayers.Every);

    /// <summary>
    /// Decoupled weight decay λ_γ on every γ. AdamW with WeightDecay 0 is Adam bit for bit (AdamW only differs on decayed parameters),
    /// so γ's decay is the one change.
    /// </summary>
    public static RecipeVariant GammaDecay(float lambda, string name) => new(name, o =>
    {
        o.Optimizer = OptimizerKind.AdamW;
        o.BatchNormGammaWeightDecay = lambda;
    });

    /// <summary>γ decay 0.01 (PyTorch AdamW's default weight decay).</summary>
    public static readonly RecipeVariant GammaDecaySmall = GammaDecay(0.01f, "γ decay 0.01");

    /// <summary>γ decay 0.1.</summary>
    public static readonly RecipeVariant GammaDecayLarge = GammaDecay(0.1f, "γ decay 0.1");

    /// <summary>The single models: the two references, then the changes to BN.</summary>
    public static readonly RecipeVariant[] Models = [TabularSuite.WithBn, TabularSuite.WithoutBn, FirstLayerOnly, EveryLayer, GammaDecaySmall, GammaDecayLarge];

    /// <summary>The ensembles' columns (names only; their members are <see cref="TabularSuite.WithBn"/> and <see cref="TabularSuite.WithoutBn"/>).</summary>
    public static readonly RecipeVariant[] Ensembles =
        [new("mixed: BN + no BN", null), new("2 × BN", null), new("2 × no BN", null)];

    /// <summary>Every column of the tables: <see cref="Models"/> then <see cref="Ensembles"/>.</summary>
    public static readonly RecipeVariant[] Columns = [.. Models, .. Ensembles];

    /// <summary>Runs every dataset × model (and the second ensemble members) with the context's seed.</summary>
    public static ExperimentSection Run(ExperimentContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var clock = Stopwatch.StartNew();
        const string title = "What might make BN help in the tabular recipe: BN on the first or on every hidden layer, weight decay on γ, mixed ensembles";
        const string claim = "(A question of the issue, not a claim of the seed.) Some change makes BN help inside the default recipe: the default with BN, " +
                             "BN on the first hidden layer only or on every hidden layer, or weight decay on γ scores higher than without BN; and a mixed ensemble " +
                             "(a BN model and a no-BN model, trained apart, predictions averaged) scores higher than two BN models or two no-BN models averaged.";
        var (suite, missing) = TabularSuite.DevelopmentSuite();
        if (suite.Count == 0)
            return new ExperimentSection(12, title, claim, "Not run: " + missing, [], [],
                "Not measured: the development suite is missing. " + missing, clock.Elapsed.TotalSeconds, []);
        var datasets = suite;
        bool quick = ctx.Options.Quick;
        int second = ctx.Seed + SecondMemberSeedOffset;

        foreach (var d in datasets) TabularSuite.Prepare(d, quick);
        var perTable = Models.Select(m => (Variant: m, Seed: ctx.Seed))
            .Append((Variant: TabularSuite.WithBn, Seed: second)).Append((Variant: TabularSuite.WithoutBn, Seed: second)).ToList();
        var jobs = new List<Func<TestPredictions>>();
        foreach (var d in datasets)
            foreach (var job in perTable)
                jobs.Add(() =>
                {
                    var p = TabularPredictions.Fit(d, quick, job.Variant, job.Seed);
                    ctx.Progress(Format.Inv($"exp 12 {d.Name,-22} {job.Variant.Name,-22} seed {job.Seed}  {d.MetricName} {Format.Fixed(p.Metric, 4)}"));
                    return p;
                });
        var fits = ParallelRuns.Run(jobs, ctx.Threads);
        int perDataset = perTable.Count;
        var scores = new double[datasets.Count][];
        for (int d = 0; d < datasets.Count; d++)
        {
            var row = fits.AsSpan(d * perDataset, perDataset).ToArray();
            TestPredictions bn = row[0], noBn = row[1], bn2 = row[^2], noBn2 = row[^1];
            scores[d] = [.. row.Take(Models.Length).Select(p => p.Metric),
                TabularPredictions.AveragedMetric([bn, noBn]), TabularPredictions.AveragedMetric([bn, bn2]), TabularPredictions.AveragedMetric([noBn, noBn2])];
        }

        var groups = TabularGroups.Of(datasets, quick);
        var perDatasetTable = TabularGroups.PerDataset($"Test metric by BN variant and two-model ensemble, seed {ctx.Seed} (AUC for binary, accuracy for multiclass, R² for regression)",
            datasets, Columns, scores, quick);
        var perGroup = TabularGroups.PerGroup("Mean test metric over each group's datasets", groups, datasets, Columns, scores);
        int mixed = Models.Length, bnPair = mixed + 1, noBnPair = mixed + 2;
        var effects = new List<Effect>();
        foreach (var (name, members) in groups.Where(g => g.Name != "all" || groups.Count == 1))
        {
            foreach (int v in new[] { 0, 2, 3, 4, 5 })
                effects.Add(new Effect($"{Columns[v].Name} vs without BN, {name}", TabularGroups.Mean(scores, members, v), TabularGroups.Mean(scores, members, 1), First: Columns[v].Name));
            effects.Add(new Effect($"mixed ensemble vs 2 × BN, {name}", TabularGroups.Mean(scores, members, mixed), TabularGroups.Mean(scores, members, bnPair), First: "mixed"));
            effects.Add(new Effect($"mixed ensemble vs 2 × no BN, {name}", TabularGroups.Mean(scores, members, mixed), TabularGroups.Mean(scores, members, noBnPair), First: "mixed"));
        }
        string file = TabularGroups.Plot(ctx, PlotFile, "BN variants and two-model ensembles: metric − without BN (above 0: better than the recipe without BN)",
            datasets, Columns, scores, reference: 1);

        var all = Enumerable.Range(0, datasets.Count).ToArray();
        string words = string.Join("; ", Enumerable.Range(0, Columns.Length).Where(v => v != 1).Select(v =>
            Format.Inv($"{Columns[v].Name} {TabularGroups.Mean(scores, all, v) - TabularGroups.Mean(scores, all, 1):+0.0000;-0.0000}")));
        int bnAhead = scores.Count(s => s[0] > s[1]);
        return new ExperimentSection(12, title, claim,
            $"The featurization and trainer of experiment 7 on all {datasets.Count} development-suite tables ({(quick ? $"quick: the first {Bench.Tabular.TabularRunner.QuickTrainRows:N0} training and {Bench.Tabular.TabularRunner.QuickTestRows:N0} test rows" : "all rows, fixed splits")}), seed {ctx.Seed}. " +
            "\"with BN\" is the default recipe (input BN, and BN before the activation of the last of the two hidden layers, 128-64, since round 12; " +
            "the first is Dense with bias → ReLU); \"without BN\" has no BN at all; \"BN first hidden only\" keeps the input BN and batch-normalizes the first hidden " +
            "layer only (BatchNormLayers = [0]); \"BN every hidden layer\" batch-normalizes both (BatchNormHiddenLayers = Every, the default before round 12); \"γ decay\" is the default with Optimizer = AdamW (WeightDecay stays 0, so the dense weights are updated as by Adam) and " +
            "BatchNormGammaWeightDecay 0.01 or 0.1, i.e. every γ scaled by 1 − lr·λ_γ before each step, pulling it toward 0 (the values were chosen before any run: " +
            "0.01 is PyTorch AdamW's default, 0.1 ten times it; 0.001 would shrink γ by well under 1% over a whole run at the recipe's learning rate). " +
            $"The ensembles average two separately trained models' test predictions (probabilities for classification, scores for regression), scored by ML.NET's " +
            $"evaluator: \"mixed\" is the with-BN and the without-BN model of seed {ctx.Seed}; \"2 × BN\" the with-BN models of seeds {ctx.Seed} and {second}; " +
            $"\"2 × no BN\" the without-BN models of seeds {ctx.Seed} and {second}. Everything else stays at the defaults.",
            [perDatasetTable, perGroup], [file],
            $"With BN scores higher than without BN on {bnAhead} of {datasets.Count} tables with seed {ctx.Seed}; mean metric over all tables minus without BN: {words}.",
            clock.Elapsed.TotalSeconds, effects);
    }
}
