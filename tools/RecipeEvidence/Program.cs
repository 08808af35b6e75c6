using System.Globalization;
using BnMlNet;
using BnMlNet.Tests.Recipe;
using Microsoft.ML;

// The quick checks behind the tabular recipe's defaults (docs/tabular-recipe.md quotes their output): each
// configuration of one round on the named datasets of the development suite, seed 1, one thread; prints a Markdown
// table (metric: AUC, micro-accuracy or R² on each dataset's fixed test split; "ep" = epochs run).
// Usage: dotnet run -c Release --project tools/RecipeEvidence -- ROUND DIRECTORY DATASET[,DATASET...] [REPEATS]
//        e.g. ... -- 3 ../shared/datasets/tabular arrests,chile_vote
// Round 6 (the numerical embedding) also prints the seconds per epoch (the epoch log's own clock, so the hold-out's
// evaluation is included): with REPEATS > 1 the configurations run interleaved REPEATS times and the median is shown
// (the metric must come out the same each time: training is deterministic).
// Round 7 (branch embedfast: the embedding's cost) is round 6's two configurations at a fixed 4 epochs (no early stop),
// one member and no refit (so the small-table rule does not change the network between them), with a last column:
// the ratio of the medians, seconds per epoch with the embedding / without.
int repeats = 1;
if (args.Length is not (3 or 4) || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out int round) || round is < 1 or > 7
    || !Directory.Exists(args[1]) || (args.Length == 4 && (!int.TryParse(args[3], NumberStyles.None, CultureInfo.InvariantCulture, out repeats) || repeats < 1)))
{
    Console.Error.WriteLine("Usage: RecipeEvidence ROUND(1-7) DIRECTORY DATASET[,DATASET...] [REPEATS]   (DIRECTORY: the development suite, with manifest.tsv)");
    return 2;
}
var configurations = Rounds.Get(round);
var wanted = args[2].Split(',');
var suite = DevSuite.Read(args[1]).Where(d => wanted.Contains(d.Name)).ToList();
var missing = wanted.Except(suite.Select(d => d.Name)).ToList();
if (missing.Count > 0)
{
    Console.Error.WriteLine($"Not in {args[1]}/manifest.tsv: {string.Join(", ", missing)}");
    return 2;
}
bool ratio = round == 7;
Console.WriteLine("| dataset | task | " + string.Join(" | ", configurations.Select(c => c.Name)) + (ratio ? " | s/ep ratio |" : " |"));
Console.WriteLine("|" + string.Concat(Enumerable.Repeat("---|", configurations.Length + (ratio ? 3 : 2))));
foreach (var d in suite)
{
    var ml = new MLContext(seed: 1);
    var (train, test) = d.Load(ml, args[1]);
    var runs = configurations.Select(_ => new List<(double Score, int Epochs, double Seconds)>()).ToArray();
    for (int rep = 0; rep < repeats; rep++)
        for (int c = 0; c < configurations.Length; c++)
            runs[c].Add(d.Score(ml, train, test, configurations[c].Configure));
    var cells = runs.Select(r =>
    {
        var (score, epochs, _) = r[0];
        if (r.Any(x => x.Score != score || x.Epochs != epochs)) throw new InvalidOperationException($"{d.Name}: a repeat gave another model");
        if (round < 6 || round > 7) return string.Create(CultureInfo.InvariantCulture, $"{score:F4} ({epochs} ep)");
        double perEpoch = r.Select(x => x.Seconds / x.Epochs).Order().ElementAt(r.Count / 2);
        return string.Create(CultureInfo.InvariantCulture, $"{score:F4} ({epochs} ep, {perEpoch:F3} s/ep)");
    });
    string last = "";
    if (ratio)
    {
        double Median(List<(double Score, int Epochs, double Seconds)> r) => r.Select(x => x.Seconds / x.Epochs).Order().ElementAt(r.Count / 2);
        last = string.Create(CultureInfo.InvariantCulture, $" {Median(runs[1]) / Median(runs[0]):F2} |");
    }
    Console.WriteLine($"| {d.Name} | {d.Task} | {string.Join(" | ", cells)} |{last}");
}
return 0;

/// <summary>The configurations of each round.</summary>
internal static class Rounds
{
    public static (string Name, Action<BatchNormMlpOptionsBase> Configure)[] Get(int round) => round switch
    {
        1 => Round1, 2 => Round2, 3 => Round3, 4 => Round4, 5 => Round5, 6 => Round6, _ => Round7,
    };

    private static readonly (string Name, Action<BatchNormMlpOptionsBase> Configure)[] Round1 =
    [
        ("legacy (all recipe options off)", o => RecipeOff.Apply(o)),
        ("+ StandardizeLabel", o => { RecipeOff.Apply(o); Standardize(o); }),
        ("+ hold-out 0.2, 100 epochs, patience 16", o => { RecipeOff.Apply(o); Standardize(o); HoldOut(o, 100, 16); }),
        ("+ hold-out 0.2, 60 epochs, patience 8", o => { RecipeOff.Apply(o); Standardize(o); HoldOut(o, 60, 8); }),
        ("+ hold-out 0.2, 20 epochs, best epoch (patience 20)", o => { RecipeOff.Apply(o); Standardize(o); HoldOut(o, 20, 20); }),
        ("defaults", _ => { }),
    ];

    /// <summary>The anchors' training (AdamW lr 2e-3, weight decay 1e-4, batch 256, dropout 0.1) with and without the hold-out.</summary>
    private static readonly (string Name, Action<BatchNormMlpOptionsBase> Configure)[] Round2 =
    [
        ("+ StandardizeLabel", o => { RecipeOff.Apply(o); Standardize(o); }),
        ("anchor training, one-cycle, 100 epochs, no hold-out", o => { RecipeOff.Apply(o); Standardize(o); Anchor(o, LearningRateSchedule.OneCycle); o.NumberOfEpochs = 100; }),
        ("anchor training, one-cycle, hold-out 0.2, patience 16", o => { RecipeOff.Apply(o); Standardize(o); Anchor(o, LearningRateSchedule.OneCycle); HoldOut(o, 100, 16); }),
        ("anchor training, cosine, hold-out 0.2, patience 16", o => { RecipeOff.Apply(o); Standardize(o); Anchor(o, LearningRateSchedule.Cosine); HoldOut(o, 100, 16); }),
        ("anchor training, constant, hold-out 0.2, patience 16", o => { RecipeOff.Apply(o); Standardize(o); Anchor(o, LearningRateSchedule.Constant); HoldOut(o, 100, 16); }),
    ];

    /// <summary>Robust scaling with smooth clipping, alone and with the hold-out.</summary>
    private static readonly (string Name, Action<BatchNormMlpOptionsBase> Configure)[] Round3 =
    [
        ("+ StandardizeLabel", o => { RecipeOff.Apply(o); Standardize(o); }),
        ("+ Robust", o => { RecipeOff.Apply(o); Standardize(o); o.NumericScaling = NumericScaling.Robust; }),
        ("+ Robust, hold-out 0.2, 60 epochs, patience 8", o => { RecipeOff.Apply(o); Standardize(o); o.NumericScaling = NumericScaling.Robust; HoldOut(o, 60, 8); }),
        ("+ Robust, hold-out 0.2, 100 epochs, patience 16", o => { RecipeOff.Apply(o); Standardize(o); o.NumericScaling = NumericScaling.Robust; HoldOut(o, 100, 16); }),
        ("+ Robust, no input BN", o => { RecipeOff.Apply(o); Standardize(o); o.NumericScaling = NumericScaling.Robust; o.InputBatchNorm = false; }),
    ];

    /// <summary>The anchors' regularization on top of the recipe's defaults at 176e73c (robust scaling, hold-out 0.2, 100 epochs, patience 16, no dropout).</summary>
    /// <summary>Adam's β₂ on top of the recipe's defaults (with dropout 0.1).</summary>
    private static readonly (string Name, Action<BatchNormMlpOptionsBase> Configure)[] Round5 =
    [
        ("defaults (β₂ 0.999)", o => o.AdamBeta2 = 0.999f),
        ("β₂ 0.95", o => o.AdamBeta2 = 0.95f),
    ];

    /// <summary>The periodic numerical embedding (16 frequencies, 8 dims, σ 0.1: the anchor recipe's) on top of the defaults.</summary>
    private static readonly (string Name, Action<BatchNormMlpOptionsBase> Configure)[] Round6 =
    [
        ("defaults (no embedding)", o => o.NumericEmbedding = NumericEmbedding.None),
        ("+ periodic embedding", o => o.NumericEmbedding = NumericEmbedding.Periodic),
    ];

    /// <summary>Round 6's pair timed at a fixed 4 epochs, one member, no refit (branch embedfast).</summary>
    private static readonly (string Name, Action<BatchNormMlpOptionsBase> Configure)[] Round7 =
    [
        ("no embedding, 4 epochs", o => { Fixed(o); o.NumericEmbedding = NumericEmbedding.None; }),
        ("+ periodic embedding, 4 epochs", o => { Fixed(o); o.NumericEmbedding = NumericEmbedding.Periodic; }),
    ];

    private static void Fixed(BatchNormMlpOptionsBase o)
    {
        o.NumberOfEpochs = 4;
        o.EarlyStoppingPatience = 100;
        o.EnsembleSize = 1;
        o.RefitOnAllRows = false;
    }

    private static readonly (string Name, Action<BatchNormMlpOptionsBase> Configure)[] Round4 =
    [
        ("defaults at 176e73c (no dropout)", o => o.DropoutRate = 0),
        ("+ AdamW lr 2e-3, decay 1e-4, batch 256, dropout 0.1", o => Anchor(o, LearningRateSchedule.Constant)),
        ("+ AdamW decay 1e-4", o => { o.DropoutRate = 0; o.Optimizer = OptimizerKind.AdamW; o.WeightDecay = 1e-4f; }),
        ("+ dropout 0.1", o => o.DropoutRate = 0.1f),
        ("+ batch 256, lr 2e-3", o => { o.DropoutRate = 0; o.BatchSize = 256; o.LearningRate = 2e-3f; }),
    ];


    private static void HoldOut(BatchNormMlpOptionsBase o, int epochs, int patience)
    {
        o.ValidationFraction = 0.2f;
        o.NumberOfEpochs = epochs;
        o.EarlyStoppingPatience = patience;
    }

    private static void Anchor(BatchNormMlpOptionsBase o, LearningRateSchedule schedule)
    {
        o.Optimizer = OptimizerKind.AdamW;
        o.LearningRate = 2e-3f;
        o.WeightDecay = 1e-4f;
        o.BatchSize = 256;
        o.DropoutRate = 0.1f;
        o.LearningRateSchedule = schedule;
    }

    private static void Standardize(BatchNormMlpOptionsBase o)
    {
        if (o is BatchNormMlpRegressionTrainer.Options r) r.StandardizeLabel = true;
    }
}
