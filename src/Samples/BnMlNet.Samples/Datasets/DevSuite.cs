using System.Globalization;
using BnMlNet.Samples.Csv;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Samples.Datasets;

/// <summary>One line of the development suite's <c>manifest.tsv</c>.</summary>
/// <param name="Name">The dataset's name, also the stem of its files (<c>NAME.train.csv</c>, <c>NAME.test.csv</c>).</param>
/// <param name="Task">Binary (label 0/1), multiclass (label text) or regression (label number).</param>
/// <param name="Rows">Rows of train and test together, as the manifest states them.</param>
/// <param name="NumericColumns">Float feature columns; an empty field is a missing value (NaN).</param>
/// <param name="CategoricalColumns">Text feature columns.</param>
public sealed record DevSuiteEntry(string Name, MlTask Task, int Rows, IReadOnlyList<string> NumericColumns, IReadOnlyList<string> CategoricalColumns);

/// <summary>
/// Loader for the development tabular suite (<c>../shared/datasets/tabular</c>): ten real datasets, each with a
/// fixed 80/20 split in <c>NAME.train.csv</c> / <c>NAME.test.csv</c> (quoted CSV with a header, <c>Label</c> first)
/// and one line of <c>manifest.tsv</c> (name, task, rows, numeric columns, categorical columns).
/// </summary>
public static class DevSuite
{
    /// <summary>The suite's folder name inside the shared datasets folder.</summary>
    public const string FolderName = "tabular";

    /// <summary>The manifest's file name.</summary>
    public const string ManifestFileName = "manifest.tsv";

    /// <summary>Where the suite is expected: <c>tabular</c> under <paramref name="sharedDatasets"/> (default: the shared datasets folder).</summary>
    public static string? ExpectedDirectory(string? sharedDatasets = null)
    {
        var root = sharedDatasets ?? RepositoryPaths.ExpectedSharedDatasetsDirectory;
        return root is null ? null : Path.Combine(root, FolderName);
    }

    /// <summary>The suite's folder when its manifest exists, else <c>null</c>.</summary>
    public static string? FindDirectory(string? sharedDatasets = null)
    {
        var dir = ExpectedDirectory(sharedDatasets);
        return dir is not null && File.Exists(Path.Combine(dir, ManifestFileName)) ? dir : null;
    }

    /// <summary>Reads <c>manifest.tsv</c> in <paramref name="directory"/>.</summary>
    /// <exception cref="FileNotFoundException">The manifest is missing.</exception>
    /// <exception cref="InvalidDataException">A line does not have 5 tab-separated fields, a task or row count is invalid.</exception>
    public static IReadOnlyList<DevSuiteEntry> ReadManifest(string directory)
    {
        string path = DatasetRequirement.Require(Path.Combine(directory, ManifestFileName), $"development suite manifest {ManifestFileName}");
        var entries = new List<DevSuiteEntry>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var f = line.Split('\t');
            if (f.Length != 5)
                throw new InvalidDataException($"{path}:{lineNumber}: {f.Length} tab-separated fields, expected 5 (name, task, rows, numeric, categorical).");
            var task = f[1].Trim() switch
            {
                "binary" => MlTask.Binary,
                "multiclass" => MlTask.Multiclass,
                "regression" => MlTask.Regression,
                var t => throw new InvalidDataException($"{path}:{lineNumber}: task '{t}' is not binary, multiclass or regression."),
            };
            if (!int.TryParse(f[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int rows) || rows < 1)
                throw new InvalidDataException($"{path}:{lineNumber}: row count '{f[2]}' is not a positive integer.");
            entries.Add(new DevSuiteEntry(f[0].Trim(), task, rows, Columns(f[3]), Columns(f[4])));
        }
        return entries;
    }

    /// <summary>The path of one split's file.</summary>
    public static string SplitPath(string directory, string name, bool train) =>
        Path.Combine(directory, $"{name}.{(train ? "train" : "test")}.csv");

    /// <summary>
    /// Loads both splits of <paramref name="entry"/>: <c>Label</c> (Boolean for binary, Text for multiclass, Single for
    /// regression), the numeric columns as Single (empty field = NaN) and the categorical columns as Text.
    /// </summary>
    /// <exception cref="FileNotFoundException">A split file is missing.</exception>
    /// <exception cref="InvalidDataException">The header lacks <c>Label</c> or a column the manifest names.</exception>
    public static (IDataView Train, IDataView Test) Load(MLContext mlContext, string directory, DevSuiteEntry entry)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(entry);
        string train = DatasetRequirement.Require(SplitPath(directory, entry.Name, true), $"development suite file {entry.Name}.train.csv");
        string test = DatasetRequirement.Require(SplitPath(directory, entry.Name, false), $"development suite file {entry.Name}.test.csv");
        var loader = mlContext.Data.CreateTextLoader(new TextLoader.Options
        {
            Separators = [','],
            HasHeader = true,
            AllowQuoting = true,
            // Empty fields are the suite's missing values: NaN, not TextLoader's default 0, so the featurization can impute them.
            MissingRealsAsNaNs = true,
            Columns = LoaderColumns(train, entry),
        });
        return (loader.Load(train), loader.Load(test));
    }

    /// <summary>The TextLoader columns of <paramref name="entry"/>, placed by the header of <paramref name="csvPath"/>.</summary>
    private static TextLoader.Column[] LoaderColumns(string csvPath, DevSuiteEntry entry)
    {
        string header = File.ReadLines(csvPath).FirstOrDefault()
            ?? throw new InvalidDataException($"{csvPath}: the file is empty; expected a header line.");
        var names = header.Split(',').Select(h => h.Trim().Trim('"')).ToList();
        int Index(string column)
        {
            int i = names.IndexOf(column);
            return i >= 0 ? i : throw new InvalidDataException(
                $"{csvPath}: no column '{column}' in the header ({string.Join(", ", names)}); {ManifestFileName} names it for {entry.Name}.");
        }
        var labelKind = entry.Task switch
        {
            MlTask.Binary => DataKind.Boolean,
            MlTask.Multiclass => DataKind.String,
            _ => DataKind.Single,
        };
        var columns = new List<TextLoader.Column> { new(TabularFeaturization.LabelColumn, labelKind, Index(TabularFeaturization.LabelColumn)) };
        columns.AddRange(entry.NumericColumns.Select(c => new TextLoader.Column(c, DataKind.Single, Index(c))));
        columns.AddRange(entry.CategoricalColumns.Select(c => new TextLoader.Column(c, DataKind.String, Index(c))));
        return columns.ToArray();
    }

    private static string[] Columns(string field) =>
        field.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
