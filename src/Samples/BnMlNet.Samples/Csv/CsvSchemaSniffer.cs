using System.Globalization;
using BnMlNet.Samples.Cli;
using CsvHelper;

namespace BnMlNet.Samples.Csv;

/// <summary>
/// Reads a CSV file with CsvHelper and works out its layout: the delimiter, whether the first row is a header,
/// and which columns are numeric. Rejects, with a clear message, a missing or empty file and ragged rows.
/// </summary>
public static class CsvSchemaSniffer
{
    private static readonly string[] MissingTokens = ["", "?", "NA", "N/A", "NaN", "null"];

    /// <summary>True for an empty field or a usual missing-value token (?, NA, NaN, null).</summary>
    public static bool IsMissing(string value) =>
        MissingTokens.Any(t => string.Equals(value, t, StringComparison.OrdinalIgnoreCase));

    /// <summary>True when <paramref name="value"/> parses as a number (invariant culture).</summary>
    public static bool IsNumber(string value) =>
        float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>Reads and checks <paramref name="path"/>.</summary>
    /// <exception cref="UserInputException">Missing file, empty file, no data rows, or a ragged row.</exception>
    public static CsvTable Read(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new UserInputException("No CSV file given.");
        if (!File.Exists(path))
            throw new UserInputException($"File not found: {path}");

        var options = CsvReaderOptions.Default with
        {
            HasHeader = false,
            TrimWhitespace = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
        };
        var records = new List<string[]>();
        var lines = new List<long>();
        char delimiter = ',';
        try
        {
            using var reader = CsvReader.Create(File.OpenRead(path), options, leaveOpen: false);
            while (reader.Read())
            {
                var record = reader.Current.ToArray();
                if (record.All(string.IsNullOrEmpty)) continue;
                records.Add(record);
                lines.Add(reader.LineNumber);
            }
            if (records.Count > 0) delimiter = reader.Separator;
        }
        catch (CsvFormatException e)
        {
            throw new UserInputException($"{path}: malformed CSV at line {e.LineNumber}: {e.Message}");
        }

        if (records.Count == 0)
            throw new UserInputException($"{path} is empty: no header and no rows.");

        int expected = records[0].Length;
        for (int i = 1; i < records.Count; i++)
        {
            if (records[i].Length != expected)
                throw new UserInputException(
                    $"{path}: ragged row at line {lines[i]}: {records[i].Length} fields, expected {expected} " +
                    $"(as in line {lines[0]}).");
        }

        bool hasHeader = LooksLikeHeader(records);
        string[] names = hasHeader
            ? records[0].Select((n, i) => string.IsNullOrEmpty(n) ? $"Column{i + 1}" : n).ToArray()
            : Enumerable.Range(1, expected).Select(i => $"Column{i}").ToArray();
        var duplicate = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new UserInputException($"{path}: the column name '{duplicate.Key}' appears more than once in the header.");

        var rows = hasHeader ? records.Skip(1).ToList() : records;
        if (rows.Count == 0)
            throw new UserInputException($"{path} has a header ({string.Join(", ", names)}) but no data rows.");

        var columns = names.Select((name, i) => new CsvColumn(name, i,
            rows.All(r => IsMissing(r[i]) || IsNumber(r[i])) && rows.Any(r => !IsMissing(r[i]))
                ? CsvColumnKind.Numeric
                : CsvColumnKind.Text)).ToList();
        return new CsvTable(path, delimiter, hasHeader, columns, rows);
    }

    /// <summary>
    /// The first row is a header when none of its fields is a number, or when a field is text where every value
    /// below it is a number (a numeric column with a name).
    /// </summary>
    private static bool LooksLikeHeader(List<string[]> records)
    {
        var first = records[0];
        if (first.All(f => !IsNumber(f))) return true;
        if (records.Count == 1) return false;
        for (int i = 0; i < first.Length; i++)
        {
            if (IsNumber(first[i]) || IsMissing(first[i])) continue;
            if (records.Skip(1).All(r => IsMissing(r[i]) || IsNumber(r[i]))) return true;
        }
        return false;
    }
}
