using System.Text;
using Spectre.Console;

namespace BnMlNet.Samples.Experiments;

/// <summary>A table of text cells, rendered both as Markdown (report) and as a Spectre.Console table (console).</summary>
public sealed class ResultTable(string caption, params string[] headers)
{
    private readonly List<string[]> _rows = [];

    /// <summary>One line above the table.</summary>
    public string Caption { get; } = caption;
    /// <summary>Column headers.</summary>
    public IReadOnlyList<string> Headers { get; } = headers;
    /// <summary>The rows added so far.</summary>
    public IReadOnlyList<string[]> Rows => _rows;

    /// <summary>Adds a row; it must have one cell per header.</summary>
    public ResultTable Add(params string[] cells)
    {
        if (cells.Length != Headers.Count) throw new ArgumentException($"Expected {Headers.Count} cells, got {cells.Length}.", nameof(cells));
        _rows.Add(cells);
        return this;
    }

    /// <summary>GitHub Markdown: the caption in bold, then the table.</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append("**").Append(Caption).AppendLine("**").AppendLine();
        sb.Append("| ").Append(string.Join(" | ", Headers.Select(Escape))).AppendLine(" |");
        sb.Append('|').Append(string.Concat(Headers.Select(_ => "---|"))).AppendLine();
        foreach (var row in _rows) sb.Append("| ").Append(string.Join(" | ", row.Select(Escape))).AppendLine(" |");
        return sb.ToString();
    }

    /// <summary>The console table, numbers right-aligned.</summary>
    public Table ToSpectre()
    {
        var table = new Table { Title = new TableTitle(Markup.Escape(Caption)) };
        table.Border(TableBorder.Rounded);
        for (int c = 0; c < Headers.Count; c++)
        {
            var column = new TableColumn(Markup.Escape(Headers[c]));
            if (c > 0) column.RightAligned();
            table.AddColumn(column);
        }
        foreach (var row in _rows) table.AddRow(row.Select(cell => new Markup(Markup.Escape(cell))).ToArray());
        return table;
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);
}

/// <summary>One experiment's outcome: what the seed claims, how it was measured, the tables, plots and the verdict.</summary>
/// <param name="Number">1-8.</param>
/// <param name="Title">Short title.</param>
/// <param name="Claim">What the seed claims.</param>
/// <param name="Setup">How it was measured (network, optimizer, sizes, seeds).</param>
/// <param name="Tables">The numbers.</param>
/// <param name="Plots">PNG file names (relative to the report).</param>
/// <param name="Verdict">What the numbers show, including where the claim does not hold.</param>
/// <param name="Seconds">Wall-clock seconds the experiment took.</param>
/// <param name="Effects">The effects the claim predicts, as measured in this run; the verdict over seeds is computed from them (<see cref="SeedVerdict"/>).</param>
public sealed record ExperimentSection(int Number, string Title, string Claim, string Setup,
    IReadOnlyList<ResultTable> Tables, IReadOnlyList<string> Plots, string Verdict, double Seconds, IReadOnlyList<Effect>? Effects = null);
