using System.Globalization;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// The quick checks behind the recipe's defaults (docs/tabular-recipe.md quotes their output): each configuration on
/// several datasets of the development suite, seed 1, one thread. Not a test: it runs only when asked, e.g.
/// <c>BNMLNET_RECIPE_EVIDENCE=arrests,chile_vote BNMLNET_RECIPE_ROUND=3 dotnet test … --filter FullyQualifiedName~RecipeEvidenceRun</c>
/// (round 1, 2 or 3 picks the configurations), and prints a table.
/// </summary>
[TestClass]
public sealed class RecipeEvidenceRun
{
    public TestContext TestContext { get; set; } = null!;

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

    /// <summary>The anchors' regularization on top of the recipe's defaults (robust scaling, hold-out 0.2, 100 epochs, patience 16).</summary>
    private static readonly (string Name, Action<BatchNormMlpOptionsBase> Configure)[] Round4 =
    [
        ("defaults", _ => { }),
        ("+ AdamW lr 2e-3, decay 1e-4, batch 256, dropout 0.1", o => Anchor(o, LearningRateSchedule.Constant)),
        ("+ AdamW decay 1e-4", o => { o.Optimizer = OptimizerKind.AdamW; o.WeightDecay = 1e-4f; }),
        ("+ dropout 0.1", o => o.DropoutRate = 0.1f),
        ("+ batch 256, lr 2e-3", o => { o.BatchSize = 256; o.LearningRate = 2e-3f; }),
    ];

    private static (string Name, Action<BatchNormMlpOptionsBase> Configure)[] Configurations =>
        Environment.GetEnvironmentVariable("BNMLNET_RECIPE_ROUND") switch { "2" => Round2, "3" => Round3, "4" => Round4, _ => Round1 };

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

    [TestMethod]
    [TestCategory("Long")]
    public void PrintTheEvidenceWhenAsked()
    {
        string? names = Environment.GetEnvironmentVariable("BNMLNET_RECIPE_EVIDENCE");
        if (string.IsNullOrEmpty(names) || DevSuite.Directory is not { } dir || !Directory.Exists(dir))
            return;   // a no-op unless asked (and the suite is present)
        var wanted = names.Split(',');
        var suite = DevSuite.Read(dir).Where(d => wanted.Contains(d.Name)).ToList();
        var lines = new List<string> { "| dataset | task | " + string.Join(" | ", Configurations.Select(c => c.Name)) + " |" };
        foreach (var d in suite)
        {
            var ml = new MLContext(seed: 1);
            var (train, test) = d.Load(ml, dir);
            var cells = Configurations.Select(c =>
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var (score, epochs) = d.Score(ml, train, test, c.Configure);
                return string.Create(CultureInfo.InvariantCulture, $"{score:F4} ({epochs} ep, {clock.Elapsed.TotalSeconds:F1} s)");
            }).ToList();
            lines.Add($"| {d.Name} | {d.Task} | {string.Join(" | ", cells)} |");
            TestContext.WriteLine(lines[^1]);
            Console.WriteLine(lines[^1]);
        }
        File.WriteAllLines(Path.Combine(Path.GetTempPath(), "bnmlnet-recipe-evidence.md"), lines);
        Assert.HasCount(suite.Count + 1, lines);
    }
}
