using System.Globalization;
using System.Text;
using BnMlNet.Samples.Compare;

namespace BnMlNet.Samples.Reports;

/// <summary>What the compare report records besides the results.</summary>
/// <param name="Command">The command line as run.</param>
/// <param name="Options">The run's settings (seeds, epochs, threads).</param>
/// <param name="StartedUtc">When the run started.</param>
/// <param name="TotalSeconds">Wall-clock duration.</param>
public sealed record ReportContext(string Command, CompareRunOptions Options, DateTime StartedUtc, double TotalSeconds);

/// <summary>Writes the compare job's Markdown report (report.md).</summary>
public static class MarkdownReport
{
    /// <summary>The report file name.</summary>
    public const string FileName = "report.md";

    /// <summary>The report text.</summary>
    public static string Build(ReportContext context, IReadOnlyList<TaskResult> results, string roundTripLine)
    {
        var o = context.Options;
        var md = new StringBuilder();
        md.AppendLine("# BN-MLP vs ML.NET built-in trainers").AppendLine();
        md.AppendLine($"* Command: `{context.Command}`");
        md.AppendLine($"* Started: {context.StartedUtc:yyyy-MM-dd HH:mm:ss} UTC, took {context.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
        md.AppendLine($"* Seeds: {o.Seed} (MLContext, train/test split, validation split, BN-MLP, LightGbm)");
        md.AppendLine($"* Threads: {(o.Threads is int t ? t.ToString(CultureInfo.InvariantCulture) : "each trainer's default")}");
        md.AppendLine($"* Machine: {MachineInfo.Describe()}");
        md.AppendLine($"* BN-MLP: {o.Epochs} epochs, validation = {o.ValidationFraction.ToString("P0", CultureInfo.InvariantCulture)} of the training rows " +
            "(the built-in trainers see all training rows)" + (o.Quick ? "; quick mode (smaller Fashion-MNIST training set, fewer trees)" : ""));
        md.AppendLine($"* Scoring: median of {o.ScoringCalls} single-row PredictionEngine calls after at least {o.WarmupCalls} warm-up calls and 1 s of them");
        md.AppendLine();
        md.AppendLine("## Results (test set)").AppendLine();
        md.AppendLine(ComparisonTable.ToMarkdown(results)).AppendLine();
        md.AppendLine(roundTripLine).AppendLine();
        foreach (var r in results)
        {
            md.AppendLine($"## {r.Task}").AppendLine();
            md.AppendLine($"Dataset: {r.Dataset}; {r.TrainRows:N0} training rows, {r.TestRows:N0} test rows. " +
                $"Saved BN-MLP pipeline: `{Path.GetFileName(r.RoundTrip.ModelPath)}` " +
                $"({r.RoundTrip.Predictions:N0} predictions after reload, {r.RoundTrip.Mismatches} differ).").AppendLine();
            md.AppendLine($"![learning curves]({Plots.LearningCurveFile(r.Task)})").AppendLine();
            md.AppendLine($"![{r.Task}]({Plots.TaskPlotFile(r.Task)})").AppendLine();
            md.AppendLine("| epoch | train loss | validation loss | validation metric | seconds |");
            md.AppendLine("| ---: | ---: | ---: | ---: | ---: |");
            foreach (var h in r.History)
                md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {h.Epoch} | {h.TrainLoss:F4} | {h.ValidationLoss:F4} | {h.MetricName} {h.ValidationMetric:F4} | {h.Seconds:F2} |"));
            md.AppendLine();
        }
        return md.ToString();
    }
}
