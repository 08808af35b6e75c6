using System.Globalization;

namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>The bench's tables as rows of cells (invariant culture), shared by the console and the Markdown report.</summary>
public static class TabularTables
{
    /// <summary>Headings of the accuracy table.</summary>
    public static readonly IReadOnlyList<string> AccuracyHeadings =
        ["dataset", "task", "train rows", "test rows", "features", "one-hot blocks", "metric",
         TabularTrainers.BnMlp, TabularTrainers.LightGbm, TabularTrainers.FastTree, TabularTrainers.Sdca, "gap", "verdict", "below SDCA"];

    /// <summary>Headings of the training-time table.</summary>
    public static readonly IReadOnlyList<string> TimeHeadings =
        ["dataset", "BN-MLP s", "LightGbm s", "FastTree s", "SDCA s", "time ratio"];

    /// <summary>Headings of a summary table.</summary>
    public static readonly IReadOnlyList<string> SummaryHeadings =
        ["group", "BN-MLP variant", "datasets", "wins", "close calls", "losses", "ahead (gap > 0)", "median gap", "below SDCA",
         "lost by > 0.05", "median time ratio", "max time ratio"];

    /// <summary>One row of the accuracy table.</summary>
    public static IReadOnlyList<string> AccuracyCells(DatasetResult r)
    {
        var c = r.Comparison();
        return [r.Dataset, r.Task.ToString().ToLowerInvariant(), Int(r.TrainRows), Int(r.TestRows), Int(r.Features), Int(r.CategoricalBlocks),
            r.MetricName, Metric(c.BnMlp), Metric(c.LightGbm), Metric(c.FastTree), Metric(c.Sdca), Gap(c.Gap), c.Verdict, c.BelowLinear ? "yes" : "no"];
    }

    /// <summary>One row of the training-time table.</summary>
    public static IReadOnlyList<string> TimeCells(DatasetResult r) =>
        [r.Dataset, .. r.Scores.Select(s => Seconds(s.Seconds)), Ratio(r.Comparison().TimeRatio)];

    /// <summary>One row of a summary table: <paramref name="group"/>, the BN-MLP variant, then the counts.</summary>
    public static IReadOnlyList<string> SummaryCells(string group, string variant, SuiteSummary s) =>
        [group, variant, Int(s.Datasets), Int(s.Wins), Int(s.Close), Int(s.Losses), Int(s.Ahead), Gap(s.MedianGap), Int(s.BelowLinear),
         Int(s.LostBig), s.MedianTimeRatio.ToString("F3", CultureInfo.InvariantCulture),
         double.IsFinite(s.MaxTimeRatio) ? $"{Ratio(s.MaxTimeRatio)} ({s.MaxTimeRatioDataset})" : "n/a"];

    /// <summary>Headings of the ablation table: dataset, metric, defaults, then one column per ablation.</summary>
    public static IReadOnlyList<string> AblationHeadings(IReadOnlyList<Ablation> ablations) =>
        ["dataset", "metric", "defaults", .. ablations.Select(a => a.Name)];

    /// <summary>One row of the ablation table: each ablated metric with its change from the defaults.</summary>
    public static IReadOnlyList<string> AblationCells(DatasetResult r, IReadOnlyList<Ablation> ablations)
    {
        double baseline = r.Of(TabularTrainers.BnMlp).Metric;
        var cells = new List<string> { r.Dataset, r.MetricName, Metric(baseline) };
        foreach (var a in ablations)
        {
            var s = r.AblationScores.FirstOrDefault(x => x.Trainer == a.Name);
            cells.Add(s is null ? "–" : $"{Metric(s.Metric)} ({Gap(Math.Round(s.Metric - baseline, TrainerScore.MetricDecimals))})");
        }
        return cells;
    }

    /// <summary>A metric at 4 decimals, or n/a.</summary>
    public static string Metric(double v) => double.IsFinite(v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>A signed gap at 4 decimals, or n/a.</summary>
    public static string Gap(double v) => double.IsFinite(v) ? v.ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>Seconds at 2 decimals.</summary>
    public static string Seconds(double v) => v.ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>A time ratio at 2 decimals.</summary>
    public static string Ratio(double v) => double.IsFinite(v) ? v.ToString("F2", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>A Markdown table.</summary>
    public static string Markdown(IReadOnlyList<string> headings, IEnumerable<IReadOnlyList<string>> rows, int firstNumericColumn)
    {
        var lines = new List<string>
        {
            "| " + string.Join(" | ", headings) + " |",
            "|" + string.Join("|", headings.Select((_, i) => i >= firstNumericColumn ? " ---: " : " --- ")) + "|",
        };
        lines.AddRange(rows.Select(r => "| " + string.Join(" | ", r) + " |"));
        return string.Join(Environment.NewLine, lines);
    }

    private static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);
}
