using System.ComponentModel;
using Spectre.Console.Cli;

namespace BnMlNet.Samples.Commands;

/// <summary>Options of <c>train</c>.</summary>
public sealed class TrainSettings : CommandSettings
{
    /// <summary>The training CSV.</summary>
    [CommandOption("--data <FILE>"), Description("Training CSV (header detected; numeric columns are features, text columns one-hot; identifier-like text columns left out)")]
    public string? Data { get; init; }

    /// <summary>The label column.</summary>
    [CommandOption("--label <COLUMN>"), Description("Label column name")]
    public string? Label { get; init; }

    /// <summary>binary, multiclass or regression.</summary>
    [CommandOption("--task <TASK>"), Description("binary (label 0/1 or true/false), multiclass or regression")]
    public string? Task { get; init; }

    /// <summary>Where to save the model (a sidecar <c>.json</c> goes next to it).</summary>
    [CommandOption("--out <FILE>"), Description("Model zip to write; its sidecar <FILE>.json is written next to it")]
    public string? Out { get; init; }

    /// <summary>Epochs.</summary>
    [CommandOption("--epochs <N>"), Description("Training epochs"), DefaultValue(20)]
    public int Epochs { get; init; } = 20;

    /// <summary>Hidden layer widths, comma-separated.</summary>
    [CommandOption("--hidden <SIZES>"), Description("Hidden layer widths, comma-separated"), DefaultValue("128,64")]
    public string Hidden { get; init; } = "128,64";

    /// <summary>Adam's learning rate.</summary>
    [CommandOption("--learning-rate <RATE>"), Description("Learning rate (Adam)"), DefaultValue(0.001f)]
    public float LearningRate { get; init; } = 0.001f;

    /// <summary>Fraction of rows held out for the validation curve.</summary>
    [CommandOption("--validation <FRACTION>"), Description("Fraction of rows held out as validation set (0 = none)"), DefaultValue(0.1)]
    public double Validation { get; init; } = 0.1;

    /// <summary>Seed of the split and of the trainer.</summary>
    [CommandOption("--seed <N>"), Description("Seed (split and training)"), DefaultValue(1)]
    public int Seed { get; init; } = 1;

    /// <summary>Columns to leave out of the features.</summary>
    [CommandOption("--ignore <COLUMNS>"), Description("Columns to leave out of the features, comma-separated (e.g. an id)")]
    public string? Ignore { get; init; }

    /// <summary>Columns to keep as features even when they look like identifiers.</summary>
    [CommandOption("--keep <COLUMNS>"), Description("Text columns to keep as features although nearly every row has its own value, comma-separated")]
    public string? Keep { get; init; }

    /// <summary>Overwrite existing files.</summary>
    [CommandOption("--force"), Description("Overwrite an existing model")]
    public bool Force { get; init; }
}
