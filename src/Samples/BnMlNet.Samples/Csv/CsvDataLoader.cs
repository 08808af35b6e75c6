using BnMlNet.Samples.Cli;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Samples.Csv;

/// <summary>Loads a sniffed CSV into an ML.NET <see cref="IDataView"/> with ML.NET's TextLoader, columns by name.</summary>
public static class CsvDataLoader
{
    /// <summary>
    /// Loads <paramref name="columns"/> (name → type) from <paramref name="table"/>'s file; numeric fields that are
    /// empty or not numbers load as NaN.
    /// </summary>
    /// <exception cref="UserInputException">A requested column is not in the file.</exception>
    public static IDataView Load(MLContext mlContext, CsvTable table, IEnumerable<(string Name, DataKind Kind)> columns)
    {
        var loaderColumns = new List<TextLoader.Column>();
        foreach (var (name, kind) in columns)
        {
            var column = table.Find(name) ?? throw new UserInputException(
                $"Column '{name}' not found in {table.Path}. Columns: {table.DescribeColumns()}.");
            loaderColumns.Add(new TextLoader.Column(name, kind, column.Index));
        }
        var loader = mlContext.Data.CreateTextLoader(new TextLoader.Options
        {
            Columns = loaderColumns.ToArray(),
            Separators = [table.Delimiter],
            HasHeader = table.HasHeader,
            AllowQuoting = true,
            TrimWhitespace = true,
            MissingRealsAsNaNs = true,
        });
        return loader.Load(table.Path);
    }

    /// <summary>The ML.NET type of a feature column of the given kind.</summary>
    public static DataKind FeatureKind(CsvColumnKind kind) =>
        kind == CsvColumnKind.Numeric ? DataKind.Single : DataKind.String;

    /// <summary>The ML.NET type the label of <paramref name="task"/> loads as.</summary>
    public static DataKind LabelKind(MlTask task) => task switch
    {
        MlTask.Binary => DataKind.Boolean,
        MlTask.Multiclass => DataKind.String,
        _ => DataKind.Single,
    };
}
