using System.ComponentModel;
using Spectre.Console.Cli;

namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>Options of <c>bench ablation-summary</c>.</summary>
public sealed class AblationSummarySettings : CommandSettings
{
    /// <summary>The output folders of the runs to summarize, comma-separated.</summary>
    [CommandOption("--runs <DIRS>"), Description("Output folders of bench tabular --ablate runs (one per seed), comma-separated; each holds results.csv")]
    public string? Runs { get; init; }

    /// <summary>Output folder for the summary and its plot.</summary>
    [CommandOption("--out <DIR>"), Description("Output folder for ablation-summary.md and ablation.png (default: the current folder)")]
    public string? Out { get; init; }

    /// <summary>Overwrite the output files.</summary>
    [CommandOption("--force"), Description("Overwrite ablation-summary.md and ablation.png in the output folder")]
    public bool Force { get; init; }
}
