using System.ComponentModel;
using Spectre.Console.Cli;

namespace BnMlNet.Samples.Commands;

/// <summary>Options of <c>export-onnx</c>.</summary>
public sealed class ExportOnnxSettings : CommandSettings
{
    /// <summary>The model zip from <c>train</c>.</summary>
    [CommandOption("--model <FILE>"), Description("Model zip written by train (its .json sidecar must be next to it)")]
    public string? Model { get; init; }

    /// <summary>Rows to verify the export on (and to take the input schema from).</summary>
    [CommandOption("--data <FILE>"), Description("CSV with the model's feature columns: the export is checked on these rows with ONNX Runtime")]
    public string? Data { get; init; }

    /// <summary>Where to write the ONNX file.</summary>
    [CommandOption("--out <FILE>"), Description("ONNX file to write")]
    public string? Out { get; init; }

    /// <summary>The ONNX opset (ML.NET's converter accepts 9–12).</summary>
    [CommandOption("--opset <N>"), Description("ONNX opset, 9 to 12 (default 12)"), DefaultValue(12)]
    public int Opset { get; init; } = 12;

    /// <summary>Fold batch normalization into the Gemm nodes.</summary>
    [CommandOption("--fold"), Description("Fold batch normalization into the Gemm nodes (default: keep BatchNormalization nodes)")]
    public bool Fold { get; init; }

    /// <summary>Overwrite an existing file.</summary>
    [CommandOption("--force"), Description("Overwrite an existing ONNX file")]
    public bool Force { get; init; }
}
