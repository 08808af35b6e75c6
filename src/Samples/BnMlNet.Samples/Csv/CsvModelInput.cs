using BnMlNet.Samples.Cli;
using Microsoft.ML;

namespace BnMlNet.Samples.Csv;

/// <summary>A model saved by <c>train</c>, loaded with its sidecar, and a raw CSV loaded for it.</summary>
/// <param name="Model">The full pipeline.</param>
/// <param name="Sidecar">Task, label, feature columns, classes.</param>
/// <param name="Table">The sniffed CSV.</param>
/// <param name="Data">The CSV's columns the model needs (and the label, when loaded with one).</param>
public sealed record CsvModelInput(ITransformer Model, ModelSidecar Sidecar, CsvTable Table, IDataView Data)
{
    /// <summary>
    /// Loads <paramref name="modelPath"/> and its sidecar, then the feature columns (and the label when
    /// <paramref name="withLabel"/>) of <paramref name="csvPath"/>, by name.
    /// </summary>
    /// <exception cref="UserInputException">A file is missing or malformed, or a needed column is absent.</exception>
    public static CsvModelInput Load(MLContext ml, string? modelPath, string? csvPath, bool withLabel)
    {
        if (string.IsNullOrWhiteSpace(modelPath)) throw new UserInputException("--model is required.");
        if (string.IsNullOrWhiteSpace(csvPath)) throw new UserInputException("--data is required.");
        if (!File.Exists(modelPath)) throw new UserInputException($"Model not found: {modelPath}");
        var sidecar = ModelSidecar.Load(modelPath);
        var table = CsvSchemaSniffer.Read(csvPath);

        var missing = sidecar.Features.Where(f => table.Find(f.Name) is null).Select(f => f.Name).ToList();
        if (missing.Count > 0)
            throw new UserInputException(
                $"{csvPath} lacks the feature column(s) the model was trained on: {string.Join(", ", missing)}. " +
                $"Columns: {table.DescribeColumns()}.");

        var columns = sidecar.Features.Select(f => (f.Name, CsvDataLoader.FeatureKind(f.Kind))).ToList();
        if (withLabel)
        {
            var label = LabelChecker.Check(table, sidecar.Label, sidecar.Task, training: false);
            columns.Insert(0, (label.Name, CsvDataLoader.LabelKind(sidecar.Task)));
        }

        ITransformer model;
        try
        {
            model = ml.Model.Load(modelPath, out _);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new UserInputException($"{modelPath} is not a model this app can load: {e.Message}");
        }
        return new CsvModelInput(model, sidecar, table, CsvDataLoader.Load(ml, table, columns));
    }
}
