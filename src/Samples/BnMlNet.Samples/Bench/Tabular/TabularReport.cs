using System.Globalization;
using System.Text;
using BnMlNet.Samples.Reports;

namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>What the report records besides the results.</summary>
/// <param name="Command">The command line as run.</param>
/// <param name="Options">Seed, threads, quick mode, ablations.</param>
/// <param name="StartedUtc">When the run started.</param>
/// <param name="TotalSeconds">Wall-clock duration.</param>
/// <param name="LoadAtStart">Load average when the run started.</param>
/// <param name="LoadAtEnd">Load average when it ended.</param>
/// <param name="Missing">Datasets that could not be found.</param>
public sealed record TabularReportContext(string Command, TabularRunOptions Options, DateTime StartedUtc, double TotalSeconds,
    LoadAverage? LoadAtStart, LoadAverage? LoadAtEnd, IReadOnlyList<MissingDataset> Missing);

/// <summary>Writes the Markdown report of <c>bench tabular</c> (report.md).</summary>
public static class TabularReport
{
    /// <summary>The report's file name.</summary>
    public const string FileName = "report.md";

    /// <summary>The summary of each group present (the development suite first), and of all datasets when both are.</summary>
    public static IReadOnlyList<(string Group, IReadOnlyList<DatasetResult> Results)> Groups(IReadOnlyList<DatasetResult> results)
    {
        var groups = results.GroupBy(r => r.Group).OrderBy(g => g.Key == TabularDatasets.DevSuiteGroup ? 0 : 1)
            .Select(g => (g.Key, (IReadOnlyList<DatasetResult>)g.ToList())).ToList();
        if (groups.Count > 1) groups.Add(("all", results));
        return groups;
    }

    /// <summary>The report text.</summary>
    public static string Build(TabularReportContext context, IReadOnlyList<DatasetResult> results)
    {
        var o = context.Options;
        var md = new StringBuilder();
        md.AppendLine("# bench tabular: the BN-MLP on its defaults against LightGbm, FastTree and SDCA").AppendLine();
        md.AppendLine($"* Command: `{context.Command}`");
        md.AppendLine($"* Started: {context.StartedUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC, took {context.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s");
        md.AppendLine($"* Machine: {MachineInfo.Describe()}");
        md.AppendLine($"* Load average: {LoadAverage.Describe(context.LoadAtStart)} at the start, {LoadAverage.Describe(context.LoadAtEnd)} at the end" +
            (context.LoadAtStart?.IsHeavy == true || context.LoadAtEnd?.IsHeavy == true
                ? $". **The machine was heavily loaded (above {LoadAverage.HeavyLoad:F0}): the training times and their ratios are not reliable and must be re-measured on a quiet machine.**"
                : ""));
        md.AppendLine($"* Seed: {o.Seed} for every trainer (each fit gets a fresh `MLContext(seed: {o.Seed})`); threads: " +
            (o.Threads is int t ? t.ToString(CultureInfo.InvariantCulture) + " for every trainer" : "each trainer's own default"));
        md.AppendLine($"* Splits: the development suite's fixed train/test files; the other datasets an 80/20 `TrainTestSplit` with seed {TabularDatasets.SplitSeed}" +
            (o.Quick ? $". **Quick mode:** only the first {TabularRunner.QuickTrainRows:N0} training and {TabularRunner.QuickTestRows:N0} test rows of each dataset." : "."));
        md.AppendLine("* Featurization, the same for every trainer, fitted on the training rows: missing numbers replaced by the training mean " +
            "(`ReplaceMissingValues`, mode Mean), text columns one-hot encoded by ML.NET's `OneHotEncoding` (its `CategoricalSlotRanges` " +
            "annotation survives `Concatenate`; LightGbm reads it), a multiclass text label mapped to a key.");
        md.AppendLine("* Trainers, each on its own defaults (seed and threads set): the BN-MLP (`BatchNormMlp`), LightGbm, FastTree " +
            "(multiclass: `OneVersusAll` over the binary FastTree) and SDCA (`SdcaLogisticRegression`, `SdcaMaximumEntropy`, `Sdca`), the linear " +
            "baseline, which alone gets `NormalizeMeanVariance` in front (a linear model needs its features on one scale; the trees do not, and the BN-MLP normalizes its own input).");
        md.AppendLine($"* Timing: one untimed warm-up fit of each trainer on the first {TabularRunner.WarmupRows} training rows, then one timed fit " +
            "on the cached, featurized training set (featurization not included). Metrics from ML.NET's evaluators on the test set: " +
            "AUC (binary), micro-accuracy (multiclass), R² (regression).");
        md.AppendLine($"* Rule: {SuiteSummary.Rule}");
        md.AppendLine();

        md.AppendLine("## Summary").AppendLine();
        md.AppendLine(TabularTables.Markdown(TabularTables.SummaryHeadings,
            Groups(results).Select(g => TabularTables.SummaryCells(g.Group, "defaults", SuiteSummary.Compute(g.Results.Select(r => r.Comparison()).ToList()))), 2));
        md.AppendLine().AppendLine($"![BN-MLP minus the better tree]({TabularPlot.FileName})").AppendLine();
        md.AppendLine($"The plot: green wins, grey close calls, red losses; dotted lines at ±{SuiteSummary.CloseMargin}, dashed at −{SuiteSummary.BigLossMargin}; " +
            $"bars below {TabularPlot.ClipBelow} are cut there and labelled with their value.").AppendLine();

        md.AppendLine("## Accuracy (test set)").AppendLine();
        md.AppendLine(TabularTables.Markdown(TabularTables.AccuracyHeadings, results.Select(TabularTables.AccuracyCells), 2)).AppendLine();
        md.AppendLine("## Training seconds").AppendLine();
        md.AppendLine(TabularTables.Markdown(TabularTables.TimeHeadings, results.Select(TabularTables.TimeCells), 1)).AppendLine();

        if (o.Ablations.Count > 0) AppendAblation(md, o.Ablations, results);

        md.AppendLine("## Datasets").AppendLine();
        md.AppendLine(TabularTables.Markdown(["dataset", "group", "task", "source"],
            results.Select(r => (IReadOnlyList<string>)[r.Dataset, r.Group, r.Task.ToString().ToLowerInvariant(), r.Source]), 4)).AppendLine();

        if (context.Missing.Count > 0)
        {
            md.AppendLine("## Not run (missing)").AppendLine();
            foreach (var m in context.Missing) md.AppendLine($"* {m.Name}: {m.Message}");
            md.AppendLine();
        }
        return md.ToString();
    }

    private static void AppendAblation(StringBuilder md, IReadOnlyList<Ablation> ablations, IReadOnlyList<DatasetResult> results)
    {
        md.AppendLine("## Ablation: the BN-MLP with one piece of its default recipe turned off").AppendLine();
        md.AppendLine("Each column turns one piece off (`Bench/Tabular/Ablation.cs`); the cell is the metric and, in brackets, its change from the defaults. " +
            "The summary counts each variant against the same trees and SDCA.").AppendLine();
        md.AppendLine(TabularTables.Markdown(TabularTables.AblationHeadings(ablations), results.Select(r => TabularTables.AblationCells(r, ablations)), 2)).AppendLine();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (group, members) in Groups(results))
        {
            rows.Add(TabularTables.SummaryCells(group, "defaults", SuiteSummary.Compute(members.Select(r => r.Comparison()).ToList())));
            foreach (var a in ablations)
            {
                var applicable = members.Where(r => r.AblationScores.Any(s => s.Trainer == a.Name)).ToList();
                if (applicable.Count == 0) continue;
                rows.Add(TabularTables.SummaryCells(group, a.Name,
                    SuiteSummary.Compute(applicable.Select(r => r.Comparison(r.AblationScores.First(s => s.Trainer == a.Name))).ToList())));
            }
        }
        md.AppendLine(TabularTables.Markdown(TabularTables.SummaryHeadings, rows, 2)).AppendLine();
    }
}
