using BnMlNet.Samples.Csv;
using ScottPlot;

namespace BnMlNet.Samples.Experiments;

/// <summary>Draws one plot from the same plot of several seeds: each line is the mean over seeds with a shaded band from the lowest to the highest seed; bars get ± half-range error bars.</summary>
public static class BandPlots
{
    /// <summary>Renders and writes <paramref name="file"/> from the seeds' drafts; returns the file name.</summary>
    public static string Save(IReadOnlyList<PlotDraft> perSeed, string folder, string file, bool force)
    {
        ArgumentNullException.ThrowIfNull(perSeed);
        SafeFileWriter.WriteBytes(Path.Combine(folder, file), Render(perSeed), force);
        return file;
    }

    /// <summary>The PNG bytes.</summary>
    public static byte[] Render(IReadOnlyList<PlotDraft> perSeed)
    {
        ArgumentNullException.ThrowIfNull(perSeed);
        var first = perSeed[0];
        var plot = new Plot();
        ExperimentPlots.Label(plot, first.Title + (perSeed.Count > 1 ? $"\n(mean of {perSeed.Count} seeds; band: lowest to highest seed)" : ""), first.XLabel, first.YLabel);
        for (int i = 0; i < first.Lines.Count; i++)
        {
            var line = first.Lines[i];
            var seeds = perSeed.Select(d => i < d.Lines.Count ? d.Lines[i] : null).Where(l => l is not null && l.Ys.Length == line.Ys.Length).Select(l => l!).ToList();
            int n = line.Ys.Length;
            double[] xs = Enumerable.Range(0, n).Select(k => seeds.Average(s => s.Xs[k])).ToArray();
            double[] mean = Enumerable.Range(0, n).Select(k => seeds.Average(s => s.Ys[k])).ToArray();
            if (seeds.Count > 1)
            {
                double[] lo = Enumerable.Range(0, n).Select(k => seeds.Min(s => s.Ys[k])).ToArray();
                double[] hi = Enumerable.Range(0, n).Select(k => seeds.Max(s => s.Ys[k])).ToArray();
                var band = plot.Add.FillY(xs, hi, lo);
                band.FillColor = line.Color.WithAlpha(0.2);
                band.LineWidth = 0;
            }
            var scatter = plot.Add.Scatter(xs, mean);
            scatter.LegendText = line.Legend;
            scatter.Color = line.Color;
            scatter.LineWidth = 2;
            scatter.MarkerSize = line.MarkerSize;
            if (line.Dashed) scatter.LinePattern = LinePattern.Dashed;
        }
        if (first.Bars is { } bars)
        {
            var seeds = perSeed.Select(d => d.Bars).Where(b => b is not null && b.Values.Length == bars.Values.Length).Select(b => b!).ToList();
            double[] mean = Enumerable.Range(0, bars.Values.Length).Select(k => seeds.Average(s => s.Values[k])).ToArray();
            var added = plot.Add.Bars(mean);
            added.LegendText = bars.Legend + (seeds.Count > 1 ? " (mean; error bar = ± half the range)" : "");
            if (seeds.Count > 1)
                for (int k = 0; k < mean.Length; k++)
                    added.Bars[k].Error = (seeds.Max(s => s.Values[k]) - seeds.Min(s => s.Values[k])) / 2;
        }
        if (first.Ticks is { } t) ExperimentPlots.ApplyTicks(plot, t.Positions, t.Labels);
        if (first.YLimits is { } y) plot.Axes.SetLimitsY(y.Bottom, y.Top);
        ExperimentPlots.ShowLegend(plot);
        return plot.GetImageBytes(ExperimentPlots.Width, ExperimentPlots.Height, ImageFormat.Png);
    }
}
