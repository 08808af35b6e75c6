using System.ComponentModel;
using Spectre.Console.Cli;

namespace BnMlNet.Samples.Commands;

/// <summary>Options of <c>evaluate</c>.</summary>
public sealed class EvaluateSettings : CommandSettings
{
    /// <summary>The model zip from <c>train</c>.</summary>
    [CommandOption("--model <FILE>"), Description("Model zip written by train (its .json sidecar must be next to it)")]
    public string? Model { get; init; }

    /// <summary>A labelled CSV.</summary>
    [CommandOption("--data <FILE>"), Description("Labelled CSV with the training columns (by name, any order)")]
    public string? Data { get; init; }
}
