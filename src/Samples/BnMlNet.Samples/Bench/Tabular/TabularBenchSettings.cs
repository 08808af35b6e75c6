using System.ComponentModel;
using Spectre.Console.Cli;

namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>Options of <c>bench tabular</c>.</summary>
public sealed class TabularBenchSettings : CommandSettings
{
    /// <summary>Datasets to run, comma-separated; null runs every dataset found.</summary>
    [CommandOption("--datasets <LIST>"), Description("Datasets to run, comma-separated (default: every dataset found)")]
    public string? Datasets { get; init; }

    /// <summary>Quick mode: the first rows only.</summary>
    [CommandOption("--quick"), Description("Only the first 1,000 training and 1,000 test rows of each dataset; without --datasets, the image set is left out (smoke test)")]
    public bool Quick { get; init; }

    /// <summary>Seed of every trainer.</summary>
    [CommandOption("--seed <N>"), Description("Seed of every trainer"), DefaultValue(42)]
    public int Seed { get; init; } = 42;

    /// <summary>Threads for every trainer; null leaves each trainer's default.</summary>
    [CommandOption("--threads <N>"), Description("Threads for every trainer (default: each trainer's own)")]
    public int? Threads { get; init; }

    /// <summary>Output folder.</summary>
    [CommandOption("--out <DIR>"), Description("Output folder for report.md and the plot (default: output/tabular-<timestamp>)")]
    public string? Out { get; init; }

    /// <summary>Overwrite an earlier report.</summary>
    [CommandOption("--force"), Description("Overwrite report.md and the plot in the output folder")]
    public bool Force { get; init; }

    /// <summary>Run the BN-MLP ablations too.</summary>
    [CommandOption("--ablate"), Description("Also train the BN-MLP with each piece of its default recipe turned off in turn")]
    public bool Ablate { get; init; }

    /// <summary>Only these ablations (names as in the report, comma-separated); implies --ablate.</summary>
    [CommandOption("--ablations <NAMES>"), Description("Only these ablations, by their report names, comma-separated (e.g. \"+ periodic embedding\"); implies --ablate")]
    public string? Ablations { get; init; }

    /// <summary>The shared datasets folder.</summary>
    [CommandOption("--shared <DIR>"), Description("The shared datasets folder (default: BNMLNET_SHARED_DIR, else ../shared/datasets)")]
    public string? Shared { get; init; }
}
