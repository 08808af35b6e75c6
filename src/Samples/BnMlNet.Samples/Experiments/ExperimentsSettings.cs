using System.ComponentModel;
using Spectre.Console.Cli;

namespace BnMlNet.Samples.Experiments;

/// <summary>Options of <c>experiments</c>: the seed's claims about batch normalization, measured.</summary>
public sealed class ExperimentsSettings : CommandSettings
{
    /// <summary>Output folder.</summary>
    [CommandOption("--out <DIR>"), Description("Output folder for experiments.md and the plots (default: output/experiments-<timestamp>)")]
    public string? Out { get; init; }

    /// <summary>Quick mode.</summary>
    [CommandOption("--quick"), Description("A few thousand rows and a few epochs per run (CI smoke test, ~1-3 minutes)")]
    public bool Quick { get; init; }

    /// <summary>Parallel training runs.</summary>
    [CommandOption("--threads <N>"), Description("Training runs in parallel, one thread each (default: logical cores)")]
    public int? Threads { get; init; }

    /// <summary>First seed.</summary>
    [CommandOption("--seed <N>"), Description("First seed of the initialization and shuffling (the seeds are N, N+1, …); also seeds the row sampling"), DefaultValue(1)]
    public int Seed { get; init; } = 1;

    /// <summary>How many seeds.</summary>
    [CommandOption("--seeds <N>"), Description("How many seeds every experiment runs over; tables show mean ± half the range"), DefaultValue(3)]
    public int Seeds { get; init; } = 3;

    /// <summary>Which Fashion-MNIST copy.</summary>
    [CommandOption("--dataset <WHICH>"), Description("auto (full Debian set when installed, else data/ subset), full, or subset"), DefaultValue("auto")]
    public string Dataset { get; init; } = "auto";

    /// <summary>Which experiments.</summary>
    [CommandOption("--only <LIST>"), Description("Experiments to run, comma-separated numbers 1-12, run in the order given (default: all)")]
    public string? Only { get; init; }

    /// <summary>Overwrite existing files in --out.</summary>
    [CommandOption("--force"), Description("Overwrite existing files in the output folder")]
    public bool Force { get; init; }
}
