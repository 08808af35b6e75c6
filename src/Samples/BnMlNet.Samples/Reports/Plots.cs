using BnMlNet.Engine;
using BnMlNet.Samples.Compare;
using BnMlNet.Samples.Csv;
using ScottPlot;

namespace BnMlNet.Samples.Reports;

/// <summary>The compare job's PNG plots, drawn with ScottPlot and written safely (no overwrite without --force).</summary>
public static class Plots
{
    private const int Width = 800, Height = 500;

    /// <summary>File name of a task's learning curves.</summary>
    public static string LearningCurveFile(string task) => $"{task}-learning-curves.png";

    /// <summary>File name of a task's own plot (ROC, confusion matrix, predicted vs actual).</summary>
    public static string TaskPlotFile(string task) => task switch
    {
        "binary" => "binary-roc.png",
        "multiclass" => "multiclass-confusion.png",
        _ => "regression-predicted-vs-actual.png",
    };

    /// <summary>Writes both plots of <paramref name="result"/> into <paramref name="folder"/>; returns the file names.</summary>
    public static IReadOnlyList<string> Write(TaskResult result, string folder, bool force)
    {
        var files = new List<string>();
        Save(LearningCurves(result.Task, result.History), folder, LearningCurveFile(result.Task), force, files);
        var plot = result.Plot switch
        {
            RocPlotData roc => Roc(roc),
            ConfusionPlotData confusion => Confusion(confusion),
            ScatterPlotData scatter => PredictedVsActual(scatter),
            _ => null,
        };
        if (plot is not null) Save(plot, folder, TaskPlotFile(result.Task), force, files);
        return files;
    }

    /// <summary>Train loss (left axis) and validation metric (right axis) per epoch.</summary>
    public static Plot LearningCurves(string task, IReadOnlyList<EpochReport> history)
    {
        var plot = new Plot();
        double[] epochs = history.Select(h => (double)h.Epoch).ToArray();
        var loss = plot.Add.Scatter(epochs, history.Select(h => h.TrainLoss).ToArray());
        loss.LegendText = "train loss";
        var validationLoss = history.Where(h => h.ValidationLoss is not null).ToList();
        if (validationLoss.Count > 0)
        {
            var vl = plot.Add.Scatter(validationLoss.Select(h => (double)h.Epoch).ToArray(),
                validationLoss.Select(h => h.ValidationLoss!.Value).ToArray());
            vl.LegendText = "validation loss";
        }
        var withMetric = history.Where(h => h.ValidationMetric is not null).ToList();
        if (withMetric.Count > 0)
        {
            var metric = plot.Add.Scatter(withMetric.Select(h => (double)h.Epoch).ToArray(),
                withMetric.Select(h => h.ValidationMetric!.Value).ToArray());
            metric.LegendText = $"validation {withMetric[0].MetricName} (right axis)";
            metric.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = $"validation {withMetric[0].MetricName}";
        }
        plot.Title($"BN-MLP learning curves ({task})");
        plot.XLabel("epoch");
        plot.YLabel("loss");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>ROC curves of every binary trainer.</summary>
    public static Plot Roc(RocPlotData data)
    {
        var plot = new Plot();
        foreach (var (trainer, labels, scores) in data.Curves)
        {
            var (fpr, tpr) = RocCurve.Compute(labels, scores);
            var line = plot.Add.Scatter(fpr, tpr);
            line.MarkerSize = 0;
            line.LegendText = $"{trainer} (AUC {RocCurve.Area(fpr, tpr):F3})";
        }
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.LinePattern = LinePattern.Dashed;
        chance.Color = Colors.Gray;
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.Title("ROC curves (binary, test set)");
        plot.XLabel("false positive rate");
        plot.YLabel("true positive rate");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>Heatmap of the BN-MLP's confusion matrix (rows: true class, columns: predicted class).</summary>
    public static Plot Confusion(ConfusionPlotData data)
    {
        var plot = new Plot();
        int n = data.Counts.GetLength(0);
        var heatmap = plot.Add.Heatmap(data.Counts);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heatmap);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                // Heatmap row 0 is drawn at the top: true class i sits at y = n - 1 - i.
                var text = plot.Add.Text(data.Counts[i, j].ToString("0"), j, n - 1 - i);
                text.LabelFontColor = Colors.White;
                text.LabelAlignment = Alignment.MiddleCenter;
            }
        var ticks = Enumerable.Range(0, n).ToArray();
        plot.Axes.Bottom.SetTicks(ticks.Select(i => (double)i).ToArray(), ticks.Select(i => data.Classes[i]).ToArray());
        plot.Axes.Left.SetTicks(ticks.Select(i => (double)(n - 1 - i)).ToArray(), ticks.Select(i => data.Classes[i]).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Title("BN-MLP confusion matrix (multiclass, test set)");
        plot.XLabel("predicted class");
        plot.YLabel("true class");
        return plot;
    }

    /// <summary>The BN-MLP's predictions against the labels, with the y = x line.</summary>
    public static Plot PredictedVsActual(ScatterPlotData data)
    {
        var plot = new Plot();
        var points = plot.Add.ScatterPoints(data.Actual.Select(v => (double)v).ToArray(), data.Predicted.Select(v => (double)v).ToArray());
        points.MarkerSize = 3;
        double max = data.Actual.Concat(data.Predicted).DefaultIfEmpty(1).Max();
        var diagonal = plot.Add.Line(0, 0, max, max);
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.Color = Colors.Gray;
        plot.Title($"BN-MLP predicted vs actual (regression, {data.Actual.Length:N0} test rows)");
        plot.XLabel("actual");
        plot.YLabel("predicted");
        return plot;
    }

    private static void Save(Plot plot, string folder, string file, bool force, List<string> files)
    {
        SafeFileWriter.WriteBytes(Path.Combine(folder, file), plot.GetImageBytes(Width, Height, ImageFormat.Png), force);
        files.Add(file);
    }
}
