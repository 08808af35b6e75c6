using BnMlNet.Samples.Cli;
using BnMlNet.Samples.Csv;
using BnMlNet.Samples.Onnx;
using Microsoft.ML;
using Spectre.Console;

namespace BnMlNet.Samples.Commands;

/// <summary>
/// <c>export-onnx</c>: converts a model saved by <c>train</c> to ONNX with ML.NET's converter, runs the file once
/// through ONNX Runtime on the rows given, and prints the largest difference from the ML.NET model.
/// </summary>
public sealed class ExportOnnxCommand(IAnsiConsole console) : AppCommand<ExportOnnxSettings>(console)
{
    /// <summary>The largest Score/Probability difference accepted as a faithful export.</summary>
    public const double Tolerance = 1e-5;

    /// <inheritdoc />
    protected override int Run(ExportOnnxSettings settings, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(settings.Out)) throw new UserInputException("--out is required (the .onnx file to write).");
        if (settings.Opset is < 9 or > 12) throw new UserInputException($"--opset {settings.Opset} is not supported: ML.NET's ONNX converter writes opsets 9 to 12.");
        SafeFileWriter.EnsureWritable(settings.Out, settings.Force);

        var ml = new MLContext(seed: 1);
        var input = CsvModelInput.Load(ml, settings.Model, settings.Data, withLabel: false);
        byte[] onnx = OnnxExporter.Export(ml, input.Model, input.Data, settings.Opset, settings.Fold);
        SafeFileWriter.Write(settings.Out, settings.Force, temp => File.WriteAllBytes(temp, onnx));

        var check = OnnxVerifier.Compare(ml, input.Model, input.Data, onnx);
        Console.WriteLine($"Wrote {settings.Out} (opset {settings.Opset}, batch norm {(settings.Fold ? "folded into Gemm" : "as BatchNormalization nodes")}, {onnx.Length:N0} bytes)");
        Console.WriteLine($"ONNX Runtime vs ML.NET on {check.Rows:N0} rows: max |Δ| = {check.MaxAbsoluteDifference:G3} over {string.Join(", ", check.ComparedColumns)}; " +
                          $"PredictedLabel {(check.LabelsIdentical ? "identical" : "DIFFERENT")}");
        bool ok = check.MaxAbsoluteDifference <= Tolerance && check.LabelsIdentical;
        if (!ok) Console.WriteLine($"The export differs from the model by more than {Tolerance:G}.");
        return ok ? ExitCodes.Success : ExitCodes.Failure;
    }
}
