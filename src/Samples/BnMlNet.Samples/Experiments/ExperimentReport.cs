using System.Globalization;
using System.Text;
using BnMlNet.Samples.Reports;

namespace BnMlNet.Samples.Experiments;

/// <summary>Builds <c>experiments.md</c>: the run's provenance, then one section per experiment with claim, setup, tables, plots and verdict.</summary>
public static class ExperimentReport
{
    /// <summary>Caption prefix of a per-seed table ("seed 2: …").</summary>
    public const string SeedCaptionPrefix = "seed ";

    /// <summary>The report's file name.</summary>
    public const string FileName = "experiments.md";

    /// <summary>The 1-, 5- and 15-minute load averages from /proc/loadavg, or null where there is none (not Linux).</summary>
    public static string? LoadAverage()
    {
        try
        {
            const string path = "/proc/loadavg";
            return File.Exists(path) ? string.Join(" ", File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The Markdown text.</summary>
    public static string Build(ExperimentOptions options, ExperimentData data, IReadOnlyList<SeededSection> seeded, DateTime startedUtc, double seconds,
        IReadOnlyList<string>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(seeded);
        var sections = seeded.Select(s => s.Combined).ToList();
        var sb = new StringBuilder();
        sb.AppendLine("# Batch normalization: the seed's claims, measured").AppendLine();
        sb.AppendLine("Each section states a claim of the seed article, how it was measured with BnMlNet's training engine, the numbers, a plot, and a verdict " +
                      "on what the numbers show. Verdicts are computed from the numbers of this run, not written in advance.").AppendLine();
        sb.AppendLine($"- Command: `{options.CommandLine}`");
        sb.AppendLine($"- Mode: {(options.Quick ? "quick (CI sizes)" : "thorough (default)")}");
        sb.AppendLine($"- Seeds: {string.Join(", ", options.SeedList)} ({options.Seeds} per experiment; each sets initialization, shuffling and the experiment's own sub-samples; " +
                      $"the training rows are sampled once with seed {options.Seed})");
        sb.AppendLine($"- Threads: {options.Threads} training runs in parallel, each on 1 engine thread (the engine's results do not depend on its thread count)");
        sb.AppendLine($"- Dataset: {data.Description}");
        sb.AppendLine($"- Machine: {MachineInfo.Describe()}");
        sb.AppendLine(Format.Inv($"- Started: {startedUtc:yyyy-MM-dd HH:mm:ss} UTC; took {seconds:F0} s (wall time: it depends on the machine's load; the metrics do not)"));
        if (LoadAverage() is { } load) sb.AppendLine($"- Load average (1, 5, 15 min) when the report was written: {load}");
        sb.AppendLine();
        sb.AppendLine("Every figure is `mean ± spread` over the seeds, the spread being half the range ((max − min) / 2); plots draw the mean " +
                      "with a band from the lowest to the highest seed. " + SeedVerdict.Rule).AppendLine();
        sb.AppendLine("| # | experiment | verdict over the seeds | effects that support / are within the spread / go against | seconds |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var x in seeded)
        {
            var s = x.Combined;
            int sup = x.Effects.Count(e => e.Outcome == EffectOutcome.Supports), within = x.Effects.Count(e => e.Outcome == EffectOutcome.WithinSpread);
            int against = x.Effects.Count(e => e.Outcome == EffectOutcome.Against);
            sb.AppendLine(Format.Inv($"| {s.Number} | [{s.Title}](#{Anchor(s)}) | {x.Outcome} | {sup} / {within} / {against} | {s.Seconds:F0} |"));
        }
        sb.AppendLine();
        foreach (var x in seeded)
        {
            var s = x.Combined;
            sb.AppendLine($"## {s.Number}. {s.Title}").AppendLine();
            sb.AppendLine($"**The seed claims:** {s.Claim}").AppendLine();
            sb.AppendLine($"**Setup:** {s.Setup}").AppendLine();
            foreach (var t in s.Tables) sb.AppendLine(t.ToMarkdown());
            foreach (var p in s.Plots) sb.AppendLine($"![{Path.GetFileNameWithoutExtension(p)}]({p})").AppendLine();
            sb.AppendLine($"**Verdict:** {s.Verdict}").AppendLine();
            if (x.PerSeed.Count > 1)
            {
                sb.AppendLine("<details><summary>Each seed's tables</summary>").AppendLine();
                for (int i = 0; i < x.PerSeed.Count; i++)
                    foreach (var t in x.PerSeed[i].Tables)
                    {
                        var copy = new ResultTable($"{SeedCaptionPrefix}{x.Seeds[i]}: {t.Caption}", [.. t.Headers]);
                        foreach (var row in t.Rows) copy.Add(row);
                        sb.AppendLine(copy.ToMarkdown());
                    }
                sb.AppendLine("</details>").AppendLine();
            }
        }
        foreach (var part in extra ?? []) sb.AppendLine(part).AppendLine();
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

    /// <summary>Invariant integer text.</summary>
    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
}
