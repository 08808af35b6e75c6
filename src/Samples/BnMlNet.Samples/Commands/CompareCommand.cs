using System.Diagnostics;
using System.Globalization;
using BnMlNet.Samples.Cli;
using BnMlNet.Samples.Compare;
using BnMlNet.Samples.Csv;
using BnMlNet.Samples.Reports;
using Microsoft.ML;
using Spectre.Console;

namespace BnMlNet.Samples.Commands;

/// <summary>
/// <c>compare</c> (the default command): the BN-MLP against ML.NET's built-in trainers on the three shipped datasets,
/// one comparison table, a save/load round-trip check, and a Markdown report with PNG plots.
/// </summary>
public sealed class CompareCommand(IAnsiConsole console, Invocation invocation) : AppCommand<CompareSettings>(console)
{
    /// <summary>Start of the round-trip line when every prediction survived saving and loading.</summary>
    public const string RoundTripOkPrefix = "save/load round trip:";

    /// <inheritdoc />
    protected override int Run(CompareSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Epochs < 1) throw new UserInputException("--epochs must be at least 1.");
        if (settings.ScoringCalls < 1) throw new UserInputException("--scoring-calls must be at least 1.");
        if (settings.Threads is < 1) throw new UserInputException("--threads must be at least 1.");
        var tasks = SelectTasks(settings.Tasks);
        var options = new CompareRunOptions(settings.Epochs, settings.Quick, settings.Seed, settings.Threads, settings.ScoringCalls);
        string folder = Path.GetFullPath(settings.Out ?? Path.Combine("output", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
        CheckOutputs(folder, tasks, settings.Force);
        Directory.CreateDirectory(folder);

        var started = DateTime.UtcNow;
        var watch = Stopwatch.StartNew();
        var ml = new MLContext(seed: settings.Seed);
        var results = new ProgressDisplay(Console).Run("Training and evaluating (BN-MLP first, then the built-in trainers)", progress =>
            tasks.Select(t => t.Run(ml, options, progress, Path.Combine(folder, ModelFile(t.Name)), settings.Force)).ToList());

        Console.Write(ComparisonTable.ToTable(results));
        string roundTrip = RoundTripLine(results.Select(r => r.RoundTrip).ToList());
        bool identical = results.All(r => r.RoundTrip.Identical);
        Console.MarkupLine(identical ? Markup.Escape(roundTrip) : $"[red]{Markup.Escape(roundTrip)}[/]");

        foreach (var r in results) Plots.Write(r, folder, settings.Force);
        var context = new ReportContext(invocation.CommandLine, options, started, watch.Elapsed.TotalSeconds);
        SafeFileWriter.WriteText(Path.Combine(folder, MarkdownReport.FileName), MarkdownReport.Build(context, results, roundTrip), settings.Force);
        Console.WriteLine($"Report: {Path.Combine(folder, MarkdownReport.FileName)}");
        return identical ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The one-line verdict of the save/load round trips.</summary>
    public static string RoundTripLine(IReadOnlyList<RoundTripResult> trips)
    {
        int total = trips.Sum(t => t.Predictions);
        if (trips.All(t => t.Identical))
            return $"{RoundTripOkPrefix} {total:N0} predictions identical ({string.Join(", ", trips.Select(t => $"{t.Task} {t.Predictions:N0}"))})";
        return "save/load round trip FAILED: " + string.Join("; ", trips.Where(t => !t.Identical)
            .Select(t => $"{t.Task}: {t.Mismatches:N0} of {t.Predictions:N0} predictions differ after reloading {Path.GetFileName(t.ModelPath)}"));
    }

    /// <summary>The saved BN-MLP pipeline of a task.</summary>
    public static string ModelFile(string task) => $"{task}-bnmlp.zip";

    private static List<ICompareTask> SelectTasks(string list)
    {
        var all = new ICompareTask[] { new BinaryTask(), new MulticlassTask(), new RegressionTask() };
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => all.All(t => !t.Name.Equals(n, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0 || names.Length == 0)
            throw new UserInputException($"--tasks: unknown task(s) {string.Join(", ", unknown)}; use binary, multiclass, regression.");
        return all.Where(t => names.Contains(t.Name, StringComparer.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>Refuses, before any training, to overwrite files of an earlier run without --force.</summary>
    private static void CheckOutputs(string folder, IEnumerable<ICompareTask> tasks, bool force)
    {
        var files = tasks.SelectMany(t => new[] { ModelFile(t.Name), Plots.LearningCurveFile(t.Name), Plots.TaskPlotFile(t.Name) })
            .Append(MarkdownReport.FileName);
        foreach (var f in files) SafeFileWriter.EnsureWritable(Path.Combine(folder, f), force);
    }
}
