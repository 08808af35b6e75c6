using System.ComponentModel;
using Spectre.Console.Cli;

namespace BnMlNet.Samples.Commands;

/// <summary>Options of <c>predict</c>.</summary>
public sealed class PredictSettings : CommandSettings
{
    /// <summary>The model zip from <c>train</c>.</summary>
    [CommandOption("--model <FILE>"), Description("Model zip written by train (its .json sidecar must be next to it)")]
    public string? Model { get; init; }

    /// <summary>The CSV to score (the label column may be absent).</summary>
    [CommandOption("--data <FILE>"), Description("CSV to score; needs the feature columns by name, the label may be absent")]
    public string? Data { get; init; }

    /// <summary>Where to write the predictions.</summary>
    [CommandOption("--out <FILE>"), Description("Predictions CSV to write: the input columns plus the predictions")]
    public string? Out { get; init; }

    /// <summary>Overwrite an existing file.</summary>
    [CommandOption("--force"), Description("Overwrite an existing predictions file")]
    public bool Force { get; init; }
}
