using System.Globalization;
using System.Text;
using BnMlNet.Samples.Reports;

namespace BnMlNet.Samples.Experiments;

/// <summary>Builds <c>experiments.md</c>: the run's provenance, then one section per experiment with claim, setup, tables, plots and verdict.</summary>
public static class ExperimentReport
{
    /// <summary>The report's file name.</summary>
    public const string FileName = "experiments.md";

    /// <summary>The Markdown text.</summary>
    public static string Build(ExperimentOptions options, ExperimentData data, IReadOnlyList<ExperimentSection> sections, DateTime startedUtc, double seconds)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Batch normalization: the seed's claims, measured").AppendLine();
        sb.AppendLine("Each section states a claim of the seed article, how it was measured with BnMlNet's training engine, the numbers, a plot, and a verdict " +
                      "on what the numbers show. Verdicts are computed from the numbers of this run, not written in advance.").AppendLine();
        sb.AppendLine($"- Command: `{options.CommandLine}`");
        sb.AppendLine($"- Mode: {(options.Quick ? "quick (CI sizes)" : "thorough (default)")}");
        sb.AppendLine($"- Seeds: {options.Seed} (initialization, shuffling and row sampling; every run uses it)");
        sb.AppendLine($"- Threads: {options.Threads} training runs in parallel, each on 1 engine thread (the engine's results do not depend on its thread count)");
        sb.AppendLine($"- Dataset: {data.Description}");
        sb.AppendLine($"- Machine: {MachineInfo.Describe()}");
        sb.AppendLine(Format.Inv($"- Started: {startedUtc:yyyy-MM-dd HH:mm:ss} UTC; took {seconds:F0} s"));
        sb.AppendLine();
        sb.AppendLine("| # | experiment | verdict (first sentence) | seconds |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var s in sections)
            sb.AppendLine(Format.Inv($"| {s.Number} | [{s.Title}](#{Anchor(s)}) | {FirstSentence(s.Verdict)} | {s.Seconds:F0} |"));
        sb.AppendLine();
        foreach (var s in sections)
        {
            sb.AppendLine($"## {s.Number}. {s.Title}").AppendLine();
            sb.AppendLine($"**The seed claims:** {s.Claim}").AppendLine();
            sb.AppendLine($"**Setup:** {s.Setup}").AppendLine();
            foreach (var t in s.Tables) sb.AppendLine(t.ToMarkdown());
            foreach (var p in s.Plots) sb.AppendLine($"![{Path.GetFileNameWithoutExtension(p)}]({p})").AppendLine();
            sb.AppendLine($"**Verdict:** {s.Verdict}").AppendLine();
        }
        return sb.ToString();
    }

    private static string Anchor(ExperimentSection s)
    {
        var text = $"{s.Number}. {s.Title}".ToLowerInvariant();
        var sb = new StringBuilder();
        foreach (char c in text)
        {
            if (char.IsLetterOrDigit(c) || c == '-') sb.Append(c);
            else if (c == ' ') sb.Append('-');
        }
        return sb.ToString();
    }

    private static string FirstSentence(string verdict)
    {
        string plain = verdict.Replace("**", "", StringComparison.Ordinal);
        int end = plain.IndexOf(". ", StringComparison.Ordinal);
        string first = end < 0 ? plain : plain[..(end + 1)];
        return first.Replace("|", "\\|", StringComparison.Ordinal);
    }

    /// <summary>Invariant integer text.</summary>
    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
}
