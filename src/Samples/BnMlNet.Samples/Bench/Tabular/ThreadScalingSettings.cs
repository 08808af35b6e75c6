using System.ComponentModel;
using Spectre.Console.Cli;

namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>Options of <c>bench threads</c>.</summary>
public sealed class ThreadScalingSettings : CommandSettings
{
    /// <summary>Datasets to run, comma-separated; null runs the development suite.</summary>
    [CommandOption("--datasets <LIST>"), Description("Datasets to run, comma-separated (default: the development suite)")]
    public string? Datasets { get; init; }

    /// <summary>Interleaved rounds of one 1-thread and one multi-thread fit.</summary>
    [CommandOption("--rounds <N>"), Description("Interleaved rounds per dataset (one fit at 1 thread, one at --threads, in turn)"), DefaultValue(3)]
    public int Rounds { get; init; } = 3;

    /// <summary>The thread count compared with 1 thread.</summary>
    [CommandOption("--threads <N>"), Description("The thread count compared with 1 thread"), DefaultValue(2)]
    public int Threads { get; init; } = 2;

    /// <summary>Seed of every fit.</summary>
    [CommandOption("--seed <N>"), Description("Seed of every fit"), DefaultValue(42)]
    public int Seed { get; init; } = 42;

    /// <summary>Quick mode: the first rows only.</summary>
    [CommandOption("--quick"), Description("Only the first 1,000 training and 1,000 test rows of each dataset (smoke test)")]
    public bool Quick { get; init; }

    /// <summary>The shared datasets folder.</summary>
    [CommandOption("--shared <DIR>"), Description("The shared datasets folder (default: BNMLNET_SHARED_DIR, else ../shared/datasets)")]
    public string? Shared { get; init; }
}
