using BnMlNet.Samples.Cli;
using BnMlNet.Samples.Csv;
using Microsoft.ML;
using Spectre.Console;

namespace BnMlNet.Samples.Commands;

/// <summary><c>predict</c>: scores a raw CSV with a saved model and writes one prediction row per input row.</summary>
public sealed class PredictCommand(IAnsiConsole console) : AppCommand<PredictSettings>(console)
{
    /// <inheritdoc />
    protected override int Run(PredictSettings settings, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(settings.Out)) throw new UserInputException("--out is required (the predictions CSV to write).");
        SafeFileWriter.EnsureWritable(settings.Out, settings.Force);
        var ml = new MLContext(seed: 1);
        var input = CsvModelInput.Load(ml, settings.Model, settings.Data, withLabel: false);
        int rows = PredictionCsvWriter.Write(input, settings.Out, settings.Force);
        Console.WriteLine($"Wrote {rows:N0} predictions to {settings.Out}");
        return ExitCodes.Success;
    }
}
