using System.Globalization;
using BnMlNet.Samples.Cli;
using BnMlNet.Samples.Csv;
using Microsoft.ML;
using Spectre.Console;

namespace BnMlNet.Samples.Commands;

/// <summary><c>evaluate</c>: the task's metrics of a saved model on a labelled CSV.</summary>
public sealed class EvaluateCommand(IAnsiConsole console) : AppCommand<EvaluateSettings>(console)
{
    /// <inheritdoc />
    protected override int Run(EvaluateSettings settings, CancellationToken cancellationToken)
    {
        var ml = new MLContext(seed: 1);
        var input = CsvModelInput.Load(ml, settings.Model, settings.Data, withLabel: true);
        var metrics = CsvEvaluator.Evaluate(ml, input);

        Console.WriteLine($"{input.Sidecar.Task} model, label '{input.Sidecar.Label}', {input.Table.Rows.Count:N0} rows of {input.Table.Path}");
        var table = new Table()
            .AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        foreach (var m in metrics)
            table.AddRow(m.Name, m.Value.ToString("F4", CultureInfo.InvariantCulture));
        Console.Write(table);
        return ExitCodes.Success;
    }
}
