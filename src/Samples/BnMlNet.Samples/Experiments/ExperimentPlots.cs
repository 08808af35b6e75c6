using System.Runtime.CompilerServices;
using BnMlNet.Samples.Csv;
using ScottPlot;

namespace BnMlNet.Samples.Experiments;

/// <summary>
/// ScottPlot helpers shared by the experiments: line series with BN solid and no-BN dashed, PNG output. While a
/// <see cref="PlotRecorder"/> is active the plots are recorded instead of written, so that the seeds' plots can be
/// drawn as one plot with a band (<see cref="BandPlots"/>).
/// </summary>
public static class ExperimentPlots
{
    /// <summary>Width and height of every PNG.</summary>
    public const int Width = 1200, Height = 640;

    /// <summary>Title size in points: long titles wrap onto a second line instead of being clipped.</summary>
    public const float TitleSize = 16;
    private static readonly ConditionalWeakTable<Plot, PlotDraft> Drafts = [];

    /// <summary>A new plot with title and axis labels.</summary>
    public static Plot Create(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        Label(plot, title, xLabel, yLabel);
        Drafts.AddOrUpdate(plot, new PlotDraft(title, xLabel, yLabel));
        return plot;
    }

    /// <summary>Sets the title (at <see cref="TitleSize"/>) and the axis labels.</summary>
    public static void Label(Plot plot, string title, string xLabel, string yLabel)
    {
        ArgumentNullException.ThrowIfNull(plot);
        plot.Title(title, TitleSize);
        plot.XLabel(xLabel, 14);
        plot.YLabel(yLabel, 14);
    }

    /// <summary>
    /// Labels x ticks; names (any label longer than 6 characters) are rotated 30° (ending at their tick, reading up to the
    /// right, so that the last one stays inside the image) and the bottom axis given room for them, so that neighbouring
    /// labels never overlap.
    /// </summary>
    public static void ApplyTicks(Plot plot, double[] positions, string[] labels)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentNullException.ThrowIfNull(labels);
        plot.Axes.Bottom.SetTicks(positions, labels);
        if (labels.Length > 0 && labels.Max(l => l.Length) > 6)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = 40 + 6.5f * labels.Max(l => l.Length) / 2;
        }
    }

    /// <summary>The legend outside the data area, on the right, so that it never hides a line or a band.</summary>
    public static void ShowLegend(Plot plot)
    {
        ArgumentNullException.ThrowIfNull(plot);
        plot.ShowLegend(Edge.Right);
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
        if (Drafts.TryGetValue(plot, out var draft)) draft.Lines.Add(new LineSeries(xs, ys, legend, color, dashed, markerSize));
    }

    /// <summary>Adds bars at 0, 1, 2, …</summary>
    public static void Bars(Plot plot, double[] values, string legend)
    {
        var bars = plot.Add.Bars(values);
        bars.LegendText = legend;
        if (Drafts.TryGetValue(plot, out var draft)) draft.Bars = new BarSeries(values, legend);
    }

    /// <summary>Labels x ticks at the given positions (e.g. log10 of learning rates).</summary>
    public static void XTicks(Plot plot, double[] positions, string[] labels)
    {
        ApplyTicks(plot, positions, labels);
        if (Drafts.TryGetValue(plot, out var draft)) draft.Ticks = (positions, labels);
    }

    /// <summary>Fixes the y axis.</summary>
    public static void YLimits(Plot plot, double bottom, double top)
    {
        plot.Axes.SetLimitsY(bottom, top);
        if (Drafts.TryGetValue(plot, out var draft)) draft.YLimits = (bottom, top);
    }

    /// <summary>Series colours: BN variants get the first two, no-BN the last two.</summary>
    public static readonly Color[] Palette = [Colors.Blue, Colors.Green, Colors.Red, Colors.Orange, Colors.Purple, Colors.Brown];

    /// <summary>
    /// Writes the plot as a PNG into <paramref name="folder"/> (no overwrite without <paramref name="force"/>); returns the file name.
    /// While a recorder is active, records the plot under the file name instead.
    /// </summary>
    public static string Save(Plot plot, string folder, string file, bool force, Alignment legend = Alignment.LowerRight)
    {
        if (PlotRecorder.Current is { } recorder && Drafts.TryGetValue(plot, out var draft))
        {
            draft.Legend = legend;
            recorder.Add(file, draft);
            return file;
        }
        ShowLegend(plot);
        SafeFileWriter.WriteBytes(Path.Combine(folder, file), plot.GetImageBytes(Width, Height, ImageFormat.Png), force);
        return file;
    }
}

/// <summary>One recorded line.</summary>
public sealed record LineSeries(double[] Xs, double[] Ys, string Legend, Color Color, bool Dashed, float MarkerSize);

/// <summary>Recorded bars.</summary>
public sealed record BarSeries(double[] Values, string Legend);

/// <summary>What a plot was made of, for redrawing it over seeds.</summary>
public sealed class PlotDraft(string title, string xLabel, string yLabel)
{
    /// <summary>Title.</summary>
    public string Title { get; } = title;
    /// <summary>X label.</summary>
    public string XLabel { get; } = xLabel;
    /// <summary>Y label.</summary>
    public string YLabel { get; } = yLabel;
    /// <summary>Lines in drawing order.</summary>
    public List<LineSeries> Lines { get; } = [];
    /// <summary>Bars, if any.</summary>
    public BarSeries? Bars { get; set; }
    /// <summary>Custom x ticks.</summary>
    public (double[] Positions, string[] Labels)? Ticks { get; set; }
    /// <summary>Fixed y limits.</summary>
    public (double Bottom, double Top)? YLimits { get; set; }
    /// <summary>Legend position.</summary>
    public Alignment Legend { get; set; } = Alignment.LowerRight;
}

/// <summary>Collects the plots of one seed's run (by file name) while it is <see cref="Current"/>.</summary>
public sealed class PlotRecorder : IDisposable
{
    private static readonly AsyncLocal<PlotRecorder?> s_current = new();
    private readonly PlotRecorder? _previous;
    private readonly Dictionary<string, PlotDraft> _plots = [];

    /// <summary>Starts recording on this flow.</summary>
    public PlotRecorder()
    {
        _previous = s_current.Value;
        s_current.Value = this;
    }

    /// <summary>The active recorder, if any.</summary>
    public static PlotRecorder? Current => s_current.Value;

    /// <summary>The recorded plots by file name.</summary>
    public IReadOnlyDictionary<string, PlotDraft> Plots => _plots;

    /// <summary>Records <paramref name="draft"/> as <paramref name="file"/>.</summary>
    public void Add(string file, PlotDraft draft) => _plots[file] = draft;

    /// <inheritdoc />
    public void Dispose() => s_current.Value = _previous;
}
