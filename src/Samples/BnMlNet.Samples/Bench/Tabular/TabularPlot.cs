using ScottPlot;

namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>The bench's plot: the BN-MLP's gap to the better tree per dataset, drawn with ScottPlot.</summary>
public static class TabularPlot
{
    /// <summary>The plot's file name.</summary>
    public const string FileName = "tabular-gap.png";

    /// <summary>Bars are clipped at this gap (and labelled with the true value), so one broken dataset does not flatten the others.</summary>
    public const double ClipBelow = -0.25;

    /// <summary>The PNG bytes.</summary>
    public static byte[] Render(IReadOnlyList<DatasetResult> results)
    {
        var plot = new Plot();
        for (int i = 0; i < results.Count; i++)
        {
            var row = results[i].Comparison();
            double gap = double.IsFinite(row.Gap) ? row.Gap : ClipBelow;
            var bar = plot.Add.Bar(i, Math.Max(gap, ClipBelow));
            bar.Color = row.Verdict switch { "win" => Colors.SeaGreen, "close" => Colors.Gray, _ => Colors.IndianRed };
            if (gap < ClipBelow || !double.IsFinite(row.Gap))
            {
                var label = plot.Add.Text(TabularTables.Gap(row.Gap), i, ClipBelow);
                label.LabelAlignment = Alignment.LowerCenter;
                label.LabelFontSize = 10;
            }
        }
        foreach (var (y, pattern) in new[] { (SuiteSummary.CloseMargin, LinePattern.Dotted), (-SuiteSummary.CloseMargin, LinePattern.Dotted), (-SuiteSummary.BigLossMargin, LinePattern.Dashed) })
        {
            var line = plot.Add.HorizontalLine(y);
            line.LinePattern = pattern;
            line.Color = Colors.Black.WithAlpha(0.5);
        }
        var zero = plot.Add.HorizontalLine(0);
        zero.Color = Colors.Black;
        plot.Axes.Bottom.SetTicks(results.Select((_, i) => (double)i).ToArray(), results.Select(r => r.Dataset).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 150;
        plot.Axes.Right.MinimumSize = 130; // room for the last rotated dataset name
        plot.Title("BN-MLP (defaults) minus the better of LightGbm and FastTree, test set");
        plot.YLabel("gap (AUC, accuracy or R²)");
        double low = Math.Max(ClipBelow, results.Select(r => r.Comparison().Gap).Where(double.IsFinite).DefaultIfEmpty(0).Min());
        double high = results.Select(r => r.Comparison().Gap).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        plot.Axes.SetLimitsY(Math.Min(low, -SuiteSummary.BigLossMargin) - 0.02, Math.Max(high, SuiteSummary.CloseMargin) + 0.02);
        plot.Axes.SetLimitsX(-0.7, results.Count - 0.3);
        return plot.GetImageBytes(Math.Max(800, 60 * results.Count + 200), 550, ImageFormat.Png);
    }
}
