using System.Globalization;
using BnMlNet.Samples.Compare;
using Spectre.Console;

namespace BnMlNet.Samples.Reports;

/// <summary>The single comparison table of the compare job, as a Spectre.Console table and as Markdown.</summary>
public static class ComparisonTable
{
    /// <summary>Column headings (metric cells hold "name value").</summary>
    public static readonly IReadOnlyList<string> Headings =
        ["task", "trainer", "metric 1", "metric 2", "metric 3", "train s", "score µs/row"];

    /// <summary>The cells of one row, formatted with the invariant culture.</summary>
    public static IReadOnlyList<string> Cells(TrainerResult r)
    {
        var cells = new List<string> { r.Task, r.Trainer };
        for (int i = 0; i < 3; i++)
            cells.Add(i < r.Metrics.Count ? $"{r.Metrics[i].Name} {Format(r.Metrics[i].Value, 4)}" : "");
        cells.Add(Format(r.TrainSeconds, 2));
        cells.Add(Format(r.ScoringMicros, 1));
        return cells;
    }

    /// <summary>The Spectre.Console table.</summary>
    public static Table ToTable(IEnumerable<TaskResult> results)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("BN-MLP vs ML.NET built-in trainers (test set)");
        foreach (var (h, i) in Headings.Select((h, i) => (h, i)))
            table.AddColumn(i >= 5 ? new TableColumn(h).RightAligned() : new TableColumn(h));
        bool first = true;
        foreach (var task in results)
        {
            if (!first) table.AddEmptyRow();
            first = false;
            foreach (var r in task.Results)
                table.AddRow(Cells(r).Select(c => Markup.Escape(c)).ToArray());
        }
        return table;
    }

    /// <summary>The Markdown table.</summary>
    public static string ToMarkdown(IEnumerable<TaskResult> results)
    {
        var lines = new List<string>
        {
            "| " + string.Join(" | ", Headings) + " |",
            "|" + string.Join("|", Headings.Select((_, i) => i >= 5 ? " ---: " : " --- ")) + "|",
        };
        lines.AddRange(results.SelectMany(t => t.Results).Select(r => "| " + string.Join(" | ", Cells(r)) + " |"));
        return string.Join(Environment.NewLine, lines);
    }

    private static string Format(double value, int decimals) =>
        double.IsFinite(value) ? value.ToString("F" + decimals, CultureInfo.InvariantCulture) : "n/a";
}
