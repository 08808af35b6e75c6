using BnMlNet.Samples.Cli;
using BnMlNet.Samples.Csv;
using Spectre.Console;
using Spectre.Console.Cli;

namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>
/// <c>bench ablation-summary</c>: several runs of <c>bench tabular --ablate</c> (one per seed) summarized per ablation
/// (mean change, datasets better and worse off, below-SDCA and loss counts, seconds ratios) and per dataset, as
/// Markdown with a plot.
/// </summary>
public sealed class AblationSummaryCommand(IAnsiConsole console, Invocation invocation) : Command<AblationSummarySettings>
{
    /// <inheritdoc />
    public override int Execute(CommandContext context, AblationSummarySettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            var folders = (settings.Runs ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (folders.Length == 0) throw new UserInputException("bench ablation-summary: --runs is needed: the output folders of bench tabular --ablate runs, comma-separated.");
            var runs = new List<(int Seed, IReadOnlyList<DatasetResult> Results)>();
            foreach (string folder in folders)
            {
                string path = Path.Combine(folder, TabularResultsCsv.FileName);
                if (!File.Exists(path)) throw new UserInputException($"--runs: no {TabularResultsCsv.FileName} in '{folder}' (bench tabular writes it beside report.md).");
                var run = TabularResultsCsv.Read(path);
                if (runs.Any(r => r.Seed == run.Seed)) throw new UserInputException($"--runs: '{folder}' has seed {run.Seed}, as an earlier run does; give one run per seed.");
                if (!run.Results.Any(r => r.AblationScores.Count > 0)) throw new UserInputException($"--runs: '{folder}' has no ablations (run bench tabular --ablate).");
                runs.Add(run);
            }
            var summary = AblationSummary.Compute(runs);
            string outFolder = Path.GetFullPath(settings.Out ?? ".");
            string mdPath = Path.Combine(outFolder, AblationSummaryReport.FileName), plotPath = Path.Combine(outFolder, AblationSummaryReport.PlotFileName);
            SafeFileWriter.EnsureWritable(mdPath, settings.Force);
            SafeFileWriter.EnsureWritable(plotPath, settings.Force);
            Directory.CreateDirectory(outFolder);
            SafeFileWriter.WriteBytes(plotPath, AblationSummaryReport.Render(summary), settings.Force);
            SafeFileWriter.WriteText(mdPath, AblationSummaryReport.Build(summary, invocation.CommandLine, folders), settings.Force);
            console.WriteLine($"Summary: {mdPath}");
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is UserInputException or FileNotFoundException or InvalidDataException or IOException)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return ExitCodes.BadInput;
        }
    }
}
