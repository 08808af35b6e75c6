using BnMlNet.Samples.Cli;
using BnMlNet.Samples.Csv;

namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>One piece of the BN-MLP's default recipe turned off: a named edit of its options.</summary>
/// <param name="Name">Column name in the report, e.g. "no input BN".</param>
/// <param name="Edit">Changes the default options to turn the piece off.</param>
/// <param name="OnlyFor">The one task the piece exists for (null: every task); other tasks show no figure.</param>
/// <param name="NotFor">The one task the piece does not exist for (null: none); that task shows no figure.</param>
public sealed record Ablation(string Name, Action<BatchNormMlpOptionsBase> Edit, MlTask? OnlyFor = null, MlTask? NotFor = null)
{
    /// <summary>True when the piece exists for <paramref name="task"/>.</summary>
    public bool AppliesTo(MlTask task) => (OnlyFor is null || OnlyFor == task) && NotFor != task;
}

/// <summary>
/// The ablations of <c>bench tabular --ablate</c>, in one place: each turns off one piece of today's default recipe.
/// To measure a new piece, add one line here.
/// </summary>
public static class Ablations
{
    /// <summary>Every ablation, in report order.</summary>
    public static readonly IReadOnlyList<Ablation> All =
    [
        new("no input BN", o => o.InputBatchNorm = false),
        new("no hidden BN", o => o.BatchNormPlacement = BatchNormPlacement.None),
        new("no BN at all", o =>
        {
            o.InputBatchNorm = false;
            o.BatchNormPlacement = BatchNormPlacement.None;
        }),
        new("BN after activation", o => o.BatchNormPlacement = BatchNormPlacement.AfterActivation),
        new("no shuffle", o => o.Shuffle = false),
        // The tabular recipe (issue 11). MissingValues has no toggle here: the shared featurization imputes every
        // trainer's missing numbers before the BN-MLP sees them, so Impute vs Skip could not differ in this bench.
        new("no hold-out", o =>
        {
            o.ValidationFraction = 0;
            o.EarlyStoppingPatience = 0;
        }),
        new("no early stopping", o => o.EarlyStoppingPatience = 0),
        new("no robust scaling", o => o.NumericScaling = NumericScaling.None),
        new("no dropout", o => o.DropoutRate = 0),
        new("no label standardization", o => ((BatchNormMlpRegressionTrainer.Options)o).StandardizeLabel = false, MlTask.Regression),
        // The numerical embedding is off by default: this variant turns it on (the anchors' 16 frequencies, 8 dims, σ 0.1).
        EmbeddingDefaultOn
            ? new("no periodic embedding", o => o.NumericEmbedding = NumericEmbedding.None)
            : new("+ periodic embedding", o => o.NumericEmbedding = NumericEmbedding.Periodic),
        // The categorical embedding is off by default: this variant turns it on (8 dims, blocks of ≥ 10 levels).
        CategoricalDefaultOn
            ? new("no categorical embedding", o => o.CategoricalEmbedding = CategoricalEmbedding.None)
            : new("+ categorical embedding", o => o.CategoricalEmbedding = CategoricalEmbedding.Learned),
        // Small tables (round 9): each automatic piece forced off alone. A table above the small-table rule trains one
        // member without the refit anyway, so there these two reproduce the defaults (a figure, but no change).
        new("no ensemble", o => o.EnsembleSize = 1),
        new("no refit", o => o.RefitOnAllRows = false),
        // Where BN sits and how it learns (issue 11, "make BN work inside the recipe"; docs/batch-normalization.md,
        // experiments 10 and 12). BN on the embeddings' outputs (EmbeddingBatchNorm) is a candidate below (round 17).
        // The default has BN on the last hidden layer only (round 12); "BN on every hidden layer" is the default before it.
        new("BN on every hidden layer", o => o.BatchNormHiddenLayers = BatchNormHiddenLayers.Every),
        new("BN first layer only", o => o.BatchNormLayers = [0]),
        new("BN momentum 0.01", o => o.BatchNormMomentum = 0.01f),
        new("BN momentum 0.3", o => o.BatchNormMomentum = 0.3f),
        // γ decay in the AdamW sense (γ ← γ·(1 − lr·λ_γ)); with WeightDecay 0, AdamW updates the dense weights as Adam does.
        new("γ decay 0.01", o =>
        {
            o.Optimizer = OptimizerKind.AdamW;
            o.BatchNormGammaWeightDecay = 0.01f;
        }),
    ];

    private static bool CategoricalDefaultOn => new BatchNormMlpBinaryTrainer.Options().CategoricalEmbedding != CategoricalEmbedding.None;

    /// <summary>
    /// Candidate settings that are not pieces of the recipe (the lr schedule and the epoch budget; issue 11 piece 7,
    /// issue 13 goal 1; docs/performance/schedule.md): run only when named in <c>--ablations</c>, never by <c>--ablate</c>.
    /// </summary>
    public static readonly IReadOnlyList<Ablation> Candidates =
    [
        new("constant 30 ep", o => o.NumberOfEpochs = 30),
        new("cosine 20 ep", o => Cosine(o, 20)),
        new("cosine 30 ep", o => Cosine(o, 30)),
        new("cosine 40 ep", o => Cosine(o, 40)),
        new("cosine 30 ep lr 2e-3", o =>
        {
            Cosine(o, 30);
            o.LearningRate = 2e-3f;
        }),
        new("one-cycle 30 ep", o =>
        {
            o.LearningRateSchedule = LearningRateSchedule.OneCycle;
            o.NumberOfEpochs = 30;
        }),
        new("cosine budget 1500", o => CosineBudget(o, 1500)),
        new("cosine budget 2000", o => CosineBudget(o, 2000)),
        new("cosine budget 3000", o => CosineBudget(o, 3000)),
        new("stable-decay 40 ep", o =>
        {
            o.LearningRateSchedule = LearningRateSchedule.StableDecay;
            o.NumberOfEpochs = 40;
        }),
        new("stable-decay budget 3000", o =>
        {
            o.LearningRateSchedule = LearningRateSchedule.StableDecay;
            o.StepBudget = 3000;
        }),
        new("lr 2e-3", o => o.LearningRate = 2e-3f),
        // The periodic embedding on one network (what "+ periodic embedding" gave a small table before the members could
        // share it, docs/ensembles.md): against "+ periodic embedding", which now gets the automatic ensemble there.
        new("+ periodic one member", o =>
        {
            o.NumericEmbedding = NumericEmbedding.Periodic;
            o.EnsembleSize = 1;
        }),
        // issue 13 goal 1 (docs/performance/epochs.md, round 8): the rule before the linear one; batch-128 tables unchanged.
        new("square-root lr scaling", o => o.LearningRateBatchScaling = LearningRateBatchScaling.SquareRoot),
        new("stable-decay budget 3000 lr 2e-3", o =>
        {
            o.LearningRateSchedule = LearningRateSchedule.StableDecay;
            o.StepBudget = 3000;
            o.LearningRate = 2e-3f;
        }),
        // Small tables (issue 11; docs/tabular-recipe.md "Evidence for the defaults", round 9), each set explicitly, so they
        // mean the same whatever the defaults: the refit on all rows after the hold-out chose the epochs, a fixed ensemble,
        // both (what the automatic modes, EnsembleSize and RefitOnAllRows null, give a small table), and today's defaults.
        new("refit", o => Small(o, 1, true)),
        new("ensemble 5", o => Small(o, 5, false)),
        new("ensemble 5 + refit", o => Small(o, 5, true)),
        new("1 member without refit", o => Small(o, 1, false)),
        // Issue 13 goal 1, fewer steps on the large tables (docs/performance/steps.md): a higher base rate (with the automatic
        // batch's linear rule: 3e-3 × batch/128), a shorter patience, both, and a fixed batch of 1024 at the linear rule's rate
        // (on the 512-batch tables, mpls and the diamonds, twice the automatic batch at twice its rate).
        new("lr 3e-3", o => o.LearningRate = 3e-3f),
        new("patience 8", o => o.EarlyStoppingPatience = 8),
        new("lr 2e-3 patience 8", o =>
        {
            o.LearningRate = 2e-3f;
            o.EarlyStoppingPatience = 8;
        }),
        new("batch 1024", o =>
        {
            o.BatchSize = 1024;
            o.LearningRate = 8e-3f;
        }),
        // Issue 13 goal 1, fewer epochs (docs/tabular-recipe.md round 11): reduce-on-plateau (patience p, factor f, at most
        // R reductions, then p more epochs without improvement stop the run; early stopping's 12 stays), a relative
        // min-delta, and a patience growing with the best epoch.
        new("plateau 3x0.2 2 cuts", o => Plateau(o, 3, 0.2f, 2)),
        new("plateau 4x0.25 1 cut", o => Plateau(o, 4, 0.25f, 1)),
        new("rel min-delta 1e-3", o => o.EarlyStoppingRelativeMinDelta = 1e-3f),
        new("plateau 3x0.2 2 cuts rel 1e-3", o =>
        {
            Plateau(o, 3, 0.2f, 2);
            o.EarlyStoppingRelativeMinDelta = 1e-3f;
        }),
        new("patience 6 + 0.2 best", o =>
        {
            o.EarlyStoppingPatience = 6;
            o.EarlyStoppingPatienceFraction = 0.2f;
        }),
        // Round 11's second run (after the first five lost accuracy on the small tables): a milder factor, a longer
        // plateau patience, and reductions without a limit (early stopping's 12 alone ends the run).
        new("plateau 3x0.5 2 cuts", o => Plateau(o, 3, 0.5f, 2)),
        new("plateau 5x0.3 1 cut", o => Plateau(o, 5, 0.3f, 1)),
        new("quantile scaling", o => o.NumericScaling = NumericScaling.Quantile),
        // Issue 11: label smoothing of the classification log-losses (off by default); regression has no such option.
        new("label smoothing 0.1", o => SmoothLabels(o, 0.1f), NotFor: MlTask.Regression),
        new("plateau 4x0.5 no limit", o => Plateau(o, 4, 0.5f, 0)),
        // Round 11's third run: the accuracy-neutral "no limit" plateau with a shorter early-stopping patience.
        new("plateau 4x0.5 patience 8", o =>
        {
            Plateau(o, 4, 0.5f, 0);
            o.EarlyStoppingPatience = 8;
        }),
        new("plateau 3x0.5 patience 9", o =>
        {
            Plateau(o, 3, 0.5f, 0);
            o.EarlyStoppingPatience = 9;
        }),
        // Round 17 (docs/tabular-recipe.md): batch norm on the embeddings' outputs (EmbeddingBatchNorm), on the default
        // categorical embedding alone, and with the periodic embedding (compare "+ periodic embedding").
        new("+ BN on embeddings", o => o.EmbeddingBatchNorm = true),
        new("+ periodic + BN on embeddings", o =>
        {
            o.NumericEmbedding = NumericEmbedding.Periodic;
            o.EmbeddingBatchNorm = true;
        }),
        // Round 15 (docs/tabular-recipe.md): the periodic embedding's initial frequency spread. The default σ 0.1 (RealMLP's)
        // keeps cos(2π·c·x) nearly linear over robust-scaled inputs; larger σ lets each feature's function bend on a finer
        // scale (randhie's trees fit repeated feature vectors that a smooth function cannot).
        new("+ periodic σ 0.3", o => Periodic(o, 0.3f)),
        new("+ periodic σ 1", o => Periodic(o, 1f)),
        new("+ periodic σ 3", o => Periodic(o, 3f)),
    ];

    private static void SmoothLabels(BatchNormMlpOptionsBase o, float epsilon)
    {
        switch (o)
        {
            case BatchNormMlpBinaryTrainer.Options b: b.LabelSmoothing = epsilon; break;
            case BatchNormMlpMulticlassTrainer.Options m: m.LabelSmoothing = epsilon; break;
            default: throw new ArgumentException($"Label smoothing applies to the classification trainers only, not to {o.GetType().Name}.", nameof(o));
        }
    }

    private static void Periodic(BatchNormMlpOptionsBase o, float sigma)
    {
        o.NumericEmbedding = NumericEmbedding.Periodic;
        o.EmbeddingSigma = sigma;
    }

    private static void Plateau(BatchNormMlpOptionsBase o, int patience, float factor, int reductions)
    {
        o.PlateauPatience = patience;
        o.PlateauFactor = factor;
        o.PlateauMaxReductions = reductions;
    }

    private static void Small(BatchNormMlpOptionsBase o, int members, bool refit)
    {
        o.EnsembleSize = members;
        o.RefitOnAllRows = refit;
    }

    private static void CosineBudget(BatchNormMlpOptionsBase o, int steps)
    {
        o.LearningRateSchedule = LearningRateSchedule.Cosine;
        o.StepBudget = steps;
    }

    private static void Cosine(BatchNormMlpOptionsBase o, int epochs)
    {
        o.LearningRateSchedule = LearningRateSchedule.Cosine;
        o.NumberOfEpochs = epochs;
    }

    private static bool EmbeddingDefaultOn => new BatchNormMlpBinaryTrainer.Options().NumericEmbedding != NumericEmbedding.None;

    /// <summary>
    /// The ablations to run: none without <paramref name="ablate"/> or <paramref name="names"/>; all with
    /// <paramref name="ablate"/> alone (not the <see cref="Candidates"/>); else those named (comma-separated, as in the report,
    /// from <see cref="All"/> and <see cref="Candidates"/>), an unknown name an error.
    /// </summary>
    public static IReadOnlyList<Ablation> Select(bool ablate, string? names)
    {
        if (string.IsNullOrWhiteSpace(names)) return ablate ? All : [];
        var chosen = new List<Ablation>();
        var known = All.Concat(Candidates).ToList();
        foreach (var name in names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            chosen.Add(known.FirstOrDefault(a => a.Name == name)
                ?? throw new UserInputException($"--ablations: no ablation is named '{name}'; the names are: {string.Join(", ", known.Select(a => a.Name))}."));
        return chosen;
    }
}
