using System.Diagnostics;
using System.Globalization;
using BnMlNet.Samples.Cli;
using BnMlNet.Samples.Csv;
using Spectre.Console;
using Spectre.Console.Cli;

namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>
/// <c>bench tabular</c>: the evidence for every default. The BN-MLP on its defaults beside LightGbm, FastTree and
/// SDCA on theirs, on every real dataset found, with one featurization and one split; per dataset the test metric and
/// the training seconds; a summary against the better tree and the linear baseline; a Markdown report with a plot.
/// </summary>
public sealed class TabularBenchCommand(IAnsiConsole console, Invocation invocation) : Command<TabularBenchSettings>
{
    /// <summary>Start of the line printed for each dataset that is missing.</summary>
    public const string MissingPrefix = "missing:";

    /// <inheritdoc />
    public override int Execute(CommandContext context, TabularBenchSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            var unknown = context.Remaining.Parsed.Select(p => p.Key).Concat(context.Remaining.Raw).ToList();
            if (unknown.Count > 0)
                throw new UserInputException($"bench tabular: unknown option(s) or argument(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}; see bench tabular --help.");
            return Run(settings);
        }
        catch (Exception e) when (e is UserInputException or FileNotFoundException or InvalidDataException)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return ExitCodes.BadInput;
        }
    }

    private int Run(TabularBenchSettings settings)
    {
        if (settings.Threads is < 1) throw new UserInputException($"--threads must be at least 1; got {settings.Threads}.");
        if (settings.Shared is { } shared && !Directory.Exists(shared))
            throw new UserInputException($"--shared: no folder '{shared}'.");
        var discovery = TabularDatasets.Discover(settings.Shared);
        var (datasets, missing) = Select(discovery, settings.Datasets);
        if (settings.Quick && settings.Datasets is null && datasets.Any(d => d.FeaturesReady))
        {
            // One-vs-all FastTree over 784 pixels takes minutes even on 1,000 rows; name the image set to run it in quick mode.
            console.WriteLine("quick: leaving out " + string.Join(", ", datasets.Where(d => d.FeaturesReady).Select(d => d.Name)) + " (name it in --datasets to run it)");
            datasets = datasets.Where(d => !d.FeaturesReady).ToList();
        }
        foreach (var m in missing) console.WriteLine($"{MissingPrefix} {m.Name}: {m.Message}");
        if (datasets.Count == 0)
            throw new UserInputException("bench tabular: none of the datasets is available; nothing to run (see the missing lines above).");

        string folder = Path.GetFullPath(settings.Out ?? Path.Combine("output", "tabular-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
        string reportPath = Path.Combine(folder, TabularReport.FileName), plotPath = Path.Combine(folder, TabularPlot.FileName);
        string csvPath = Path.Combine(folder, TabularResultsCsv.FileName);
        SafeFileWriter.EnsureWritable(reportPath, settings.Force);
        SafeFileWriter.EnsureWritable(plotPath, settings.Force);
        SafeFileWriter.EnsureWritable(csvPath, settings.Force);

        var ablations = Ablations.Select(settings.Ablate, settings.Ablations);
        var options = new TabularRunOptions(settings.Seed, settings.Threads, settings.Quick, ablations);
        var started = DateTime.UtcNow;
        var loadAtStart = LoadAverage.Read();
        console.WriteLine($"load average at start: {LoadAverage.Describe(loadAtStart)}");
        var watch = Stopwatch.StartNew();
        var results = new ProgressDisplay(console).Run($"bench tabular: {datasets.Count} datasets, 4 trainers" +
            (ablations.Count > 0 ? $" + {ablations.Count} BN-MLP ablations" : ""),
            progress => datasets.Select(d => TabularRunner.Run(d, options, progress)).ToList());
        var loadAtEnd = LoadAverage.Read();

        console.Write(ToTable(results));
        foreach (var (group, members) in TabularReport.Groups(results))
            console.WriteLine(SummaryLine(group, SuiteSummary.Compute(members.Select(r => r.Comparison()).ToList())));
        console.WriteLine("rule: " + SuiteSummary.Rule);
        console.WriteLine($"load average at end: {LoadAverage.Describe(loadAtEnd)}" +
            (loadAtStart?.IsHeavy == true || loadAtEnd?.IsHeavy == true ? " (heavily loaded: re-measure the time ratios on a quiet machine)" : ""));

        var context = new TabularReportContext(invocation.CommandLine, options, started, watch.Elapsed.TotalSeconds, loadAtStart, loadAtEnd, missing);
        Directory.CreateDirectory(folder);
        SafeFileWriter.WriteBytes(plotPath, TabularPlot.Render(results), settings.Force);
        SafeFileWriter.WriteText(reportPath, TabularReport.Build(context, results), settings.Force);
        SafeFileWriter.WriteText(csvPath, TabularResultsCsv.Write(settings.Seed, results), settings.Force);
        console.WriteLine($"Report: {reportPath}");
        return ExitCodes.Success;
    }

    /// <summary>One line of the console summary.</summary>
    public static string SummaryLine(string group, SuiteSummary s) => string.Create(CultureInfo.InvariantCulture,
        $"summary {group}: {s.Datasets} datasets; against the better tree {s.Wins} wins, {s.Close} close calls, {s.Losses} losses " +
        $"({s.Ahead} ahead at all); median gap {TabularTables.Gap(s.MedianGap)}; below SDCA {s.BelowLinear}; lost by > 0.05 {s.LostBig}; " +
        $"time ratio median {s.MedianTimeRatio:F3}, max {TabularTables.Ratio(s.MaxTimeRatio)} ({s.MaxTimeRatioDataset})");

    /// <summary>The datasets to run and the ones to report missing, from <c>--datasets</c> (null: all).</summary>
    /// <exception cref="UserInputException">A name is neither a known dataset nor a missing one.</exception>
    public static (IReadOnlyList<TabularDataset> Run, IReadOnlyList<MissingDataset> Missing) Select(DatasetDiscovery discovery, string? list)
    {
        ArgumentNullException.ThrowIfNull(discovery);
        if (list is null) return (discovery.Available, discovery.Missing);
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (names.Count == 0) throw new UserInputException("--datasets is empty; give dataset names separated by commas.");
        var run = new List<TabularDataset>();
        var missing = new List<MissingDataset>();
        var unknown = new List<string>();
        foreach (var name in names)
        {
            if (discovery.Available.FirstOrDefault(d => d.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } d) run.Add(d);
            else if (discovery.Missing.FirstOrDefault(m => m.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } m) missing.Add(m);
            else if (!discovery.DevSuiteFound)
                missing.Add(new MissingDataset(name, "not among the datasets found; it may belong to the development suite, which is missing: " +
                    discovery.Missing.First(x => x.Name == TabularDatasets.DevSuiteGroup).Message));
            else unknown.Add(name);
        }
        if (unknown.Count > 0)
            throw new UserInputException($"--datasets: unknown dataset(s) {string.Join(", ", unknown)}; known: " +
                string.Join(", ", discovery.Available.Select(d => d.Name).Concat(discovery.Missing.Select(m => m.Name)).Where(n => n != TabularDatasets.DevSuiteGroup)) + ".");
        return (run, missing);
    }

    private static Table ToTable(IReadOnlyList<DatasetResult> results)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("bench tabular (test set; seconds = one timed fit)");
        string[] headings = ["dataset", "metric", "BN-MLP", "LightGbm", "FastTree", "SDCA", "gap", "verdict", "BN-MLP s", "LightGbm s", "FastTree s", "SDCA s", "ratio"];
        foreach (var (h, i) in headings.Select((h, i) => (h, i)))
            table.AddColumn(i >= 2 && h != "verdict" ? new TableColumn(h).RightAligned() : new TableColumn(h));
        foreach (var r in results)
        {
            var a = TabularTables.AccuracyCells(r);
            var t = TabularTables.TimeCells(r);
            table.AddRow(new[] { a[0], a[6], a[7], a[8], a[9], a[10], a[11], a[12], t[1], t[2], t[3], t[4], t[5] }.Select(Markup.Escape).ToArray());
        }
        return table;
    }
}
