using System.ComponentModel;
using Spectre.Console.Cli;

namespace BnMlNet.Samples.Commands;

/// <summary>Options of <c>compare</c> (the default command).</summary>
public sealed class CompareSettings : CommandSettings
{
    /// <summary>Output folder.</summary>
    [CommandOption("--out <DIR>"), Description("Output folder for the report, plots and models (default: output/<timestamp>)")]
    public string? Out { get; init; }

    /// <summary>BN-MLP epochs.</summary>
    [CommandOption("--epochs <N>"), Description("BN-MLP training epochs"), DefaultValue(20)]
    public int Epochs { get; init; } = 20;

    /// <summary>Quick mode.</summary>
    [CommandOption("--quick"), Description("Smaller Fashion-MNIST training set, fewer trees and iterations (smoke test)")]
    public bool Quick { get; init; }

    /// <summary>Seed.</summary>
    [CommandOption("--seed <N>"), Description("Seed of the splits and the trainers"), DefaultValue(42)]
    public int Seed { get; init; } = 42;

    /// <summary>Threads.</summary>
    [CommandOption("--threads <N>"), Description("Threads for the trainers that take a count (default: each trainer's own)")]
    public int? Threads { get; init; }

    /// <summary>Scoring calls timed.</summary>
    [CommandOption("--scoring-calls <N>"), Description("Single-row PredictionEngine calls timed per trainer"), DefaultValue(500)]
    public int ScoringCalls { get; init; } = 500;

    /// <summary>Which tasks.</summary>
    [CommandOption("--tasks <LIST>"), Description("Tasks to run, comma-separated: binary,multiclass,regression"), DefaultValue("binary,multiclass,regression")]
    public string Tasks { get; init; } = "binary,multiclass,regression";

    /// <summary>Overwrite existing files in --out.</summary>
    [CommandOption("--force"), Description("Overwrite existing files in the output folder")]
    public bool Force { get; init; }
}
