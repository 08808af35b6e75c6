using BnMlNet.Samples.Csv;
using ScottPlot;

namespace BnMlNet.Samples.Experiments;

/// <summary>ScottPlot helpers shared by the experiments: line series with BN solid and no-BN dashed, PNG output.</summary>
public static class ExperimentPlots
{
    private const int Width = 900, Height = 520;

    /// <summary>A new plot with title and axis labels.</summary>
    public static Plot Create(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>Adds a line with markers; dashed when <paramref name="dashed"/>.</summary>
    public static void Line(Plot plot, double[] xs, double[] ys, string legend, Color color, bool dashed = false, float markerSize = 6)
    {
        var line = plot.Add.Scatter(xs, ys);
        line.LegendText = legend;
        line.Color = color;
        line.LineWidth = 2;
        line.MarkerSize = markerSize;
        if (dashed) line.LinePattern = LinePattern.Dashed;
    }

    /// <summary>Labels x ticks at the given positions (e.g. log10 of learning rates).</summary>
    public static void XTicks(Plot plot, double[] positions, string[] labels) => plot.Axes.Bottom.SetTicks(positions, labels);

    /// <summary>Series colours: BN variants get the first two, no-BN the last two.</summary>
    public static readonly Color[] Palette = [Colors.Blue, Colors.Green, Colors.Red, Colors.Orange, Colors.Purple, Colors.Brown];

    /// <summary>Writes the plot as a PNG into <paramref name="folder"/> (no overwrite without <paramref name="force"/>); returns the file name.</summary>
    public static string Save(Plot plot, string folder, string file, bool force, Alignment legend = Alignment.LowerRight)
    {
        plot.ShowLegend(legend);
        SafeFileWriter.WriteBytes(Path.Combine(folder, file), plot.GetImageBytes(Width, Height, ImageFormat.Png), force);
        return file;
    }
}
