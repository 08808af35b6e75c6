using System.Globalization;
using System.Text;
using ScottPlot;

namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>The Markdown tables and the plot of <c>bench ablation-summary</c> (several seeds of <c>bench tabular --ablate</c>).</summary>
public static class AblationSummaryReport
{
    /// <summary>The Markdown file's name.</summary>
    public const string FileName = "ablation-summary.md";

    /// <summary>The plot's file name.</summary>
    public const string PlotFileName = "ablation.png";

    /// <summary>Per-table changes below this are drawn at it in the plot.</summary>
    public const double ClipBelow = -0.1;

    /// <summary>The Markdown text: the per-ablation table, then the per-dataset changes. <paramref name="command"/> is the command line as run.</summary>
    public static string Build(AblationSummary summary, string command, IReadOnlyList<string> runs)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(runs);
        string seeds = string.Join(" / ", summary.Seeds);
        var md = new StringBuilder();
        md.AppendLine("## Ablation over seeds: each piece of the defaults turned off").AppendLine();
        md.AppendLine($"* Command: `{command}`");
        md.AppendLine($"* Runs (`bench tabular --ablate`, one per seed, each with its own `{TabularResultsCsv.FileName}`): {string.Join(", ", runs.Select(r => $"`{r}`"))}");
        md.AppendLine($"* Seeds {seeds}; {summary.Datasets.Count} datasets: {string.Join(", ", summary.Datasets)}.");
        md.AppendLine("* change = ablated metric − default metric (AUC, accuracy or R², 4 decimals), each run against its own defaults; " +
            $"better / worse on: datasets whose change averaged over the seeds is above +{Num(SuiteSummary.CloseMargin, "F3")} / below −{Num(SuiteSummary.CloseMargin, "F3")}.");
        md.AppendLine($"* below SDCA and losses (gap to the better tree < −{Num(SuiteSummary.CloseMargin, "F3")}): per seed ({seeds}), the ablated variant, then the defaults on the same datasets.");
        md.AppendLine($"* seconds ratio: per seed, Σ ablated training seconds / Σ default training seconds over the datasets (one process per seed, so both sides ran under the same load); " +
            $"median per table: of ablated s / default s over every seed and dataset (each at least {Num(AblationSummary.SecondsFloor, "F2")} s).");
        md.AppendLine();
        md.AppendLine(TabularTables.Markdown(
            ["ablation", "datasets", "mean change", "better on", "worse on", "below SDCA", "below SDCA, defaults", "losses", "losses, defaults", "seconds ratio", "median per table"],
            summary.Effects.Select(e => (IReadOnlyList<string>)
            [
                e.Name, e.Tables.ToString(CultureInfo.InvariantCulture), TabularTables.Gap(Math.Round(e.MeanChange, TrainerScore.MetricDecimals)),
                e.Better.ToString(CultureInfo.InvariantCulture), e.Worse.ToString(CultureInfo.InvariantCulture),
                Counts(e.BelowSdca), Counts(e.DefaultBelowSdca), Counts(e.Losses), Counts(e.DefaultLosses),
                string.Join(" / ", e.SecondsRatio.Select(r => TabularTables.Ratio(r))), TabularTables.Ratio(e.MedianTableSecondsRatio),
            ]), 1)).AppendLine();
        md.AppendLine($"![mean change per ablation]({PlotFileName})").AppendLine();
        md.AppendLine($"The plot: the bar is the mean change over every seed and dataset; each dot one dataset's change averaged over the seeds " +
            $"(dots below {Num(ClipBelow, "F1")} drawn at it); dotted lines at ±{Num(SuiteSummary.CloseMargin, "F3")}.").AppendLine();
        md.AppendLine("### Change per dataset (mean over the seeds)").AppendLine();
        md.AppendLine(TabularTables.Markdown(["dataset", .. summary.Effects.Select(e => e.Name)],
            summary.Datasets.Select(d => (IReadOnlyList<string>)[d, .. summary.Effects.Select(e =>
                summary.TableChanges.TryGetValue((d, e.Name), out double c) ? TabularTables.Gap(Math.Round(c, TrainerScore.MetricDecimals)) : "–")]), 1)).AppendLine();
        return md.ToString();
    }

    /// <summary>The PNG bytes of the plot: per ablation, the mean change (bar) and each dataset's (dots).</summary>
    public static byte[] Render(AblationSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var plot = new Plot();
        double low = 0, high = 0;
        for (int i = 0; i < summary.Effects.Count; i++)
        {
            var e = summary.Effects[i];
            var bar = plot.Add.Bar(i, e.MeanChange);
            bar.Color = e.MeanChange > SuiteSummary.CloseMargin ? Colors.SeaGreen : e.MeanChange < -SuiteSummary.CloseMargin ? Colors.IndianRed : Colors.Gray;
            var dots = summary.Datasets.Where(d => summary.TableChanges.ContainsKey((d, e.Name)))
                .Select(d => Math.Max(summary.TableChanges[(d, e.Name)], ClipBelow)).ToArray();
            if (dots.Length == 0) continue;
            var markers = plot.Add.Markers(Enumerable.Repeat((double)i, dots.Length).ToArray(), dots);
            markers.Color = Colors.Black.WithAlpha(0.6);
            markers.MarkerSize = 5;
            low = Math.Min(low, dots.Min());
            high = Math.Max(high, dots.Max());
        }
        foreach (double y in new[] { SuiteSummary.CloseMargin, -SuiteSummary.CloseMargin })
        {
            var line = plot.Add.HorizontalLine(y);
            line.LinePattern = LinePattern.Dotted;
            line.Color = Colors.Black.WithAlpha(0.5);
        }
        plot.Add.HorizontalLine(0).Color = Colors.Black;
        plot.Axes.Bottom.SetTicks(summary.Effects.Select((_, i) => (double)i).ToArray(), summary.Effects.Select(e => e.Name).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 170;
        plot.Axes.Right.MinimumSize = 130;
        plot.Title($"BN-MLP with one piece changed minus its defaults, test set (seeds {string.Join(", ", summary.Seeds)})");
        plot.YLabel("change (AUC, accuracy or R²)");
        plot.Axes.SetLimitsY(low - 0.01, high + 0.01);
        plot.Axes.SetLimitsX(-0.7, summary.Effects.Count - 0.3);
        return plot.GetImageBytes(Math.Max(900, 50 * summary.Effects.Count + 250), 600, ImageFormat.Png);
    }

    private static string Counts(IReadOnlyList<int> perSeed) => string.Join(" / ", perSeed.Select(c => c.ToString(CultureInfo.InvariantCulture)));

    private static string Num(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
