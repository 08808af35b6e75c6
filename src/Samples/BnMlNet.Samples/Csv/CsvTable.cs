namespace BnMlNet.Samples.Csv;

/// <summary>What a CSV column holds, as sniffed from its values.</summary>
public enum CsvColumnKind
{
    /// <summary>Every non-missing value parses as a number: used as a float feature.</summary>
    Numeric,
    /// <summary>Anything else: used as a one-hot encoded categorical feature.</summary>
    Text,
}

/// <summary>One column of a sniffed CSV file.</summary>
/// <param name="Name">The header name (or <c>Column1</c>, <c>Column2</c>, … when the file has no header).</param>
/// <param name="Index">The zero-based field index.</param>
/// <param name="Kind">Numeric or text.</param>
public sealed record CsvColumn(string Name, int Index, CsvColumnKind Kind);

/// <summary>A CSV file read and checked by <see cref="CsvSchemaSniffer"/>: its layout and its raw rows.</summary>
/// <param name="Path">The file.</param>
/// <param name="Delimiter">The field separator (detected: comma, semicolon, tab or pipe).</param>
/// <param name="HasHeader">True when the first row holds column names.</param>
/// <param name="Columns">The columns, in file order.</param>
/// <param name="Rows">The data rows (header excluded), each with exactly <c>Columns.Count</c> trimmed fields.</param>
public sealed record CsvTable(string Path, char Delimiter, bool HasHeader, IReadOnlyList<CsvColumn> Columns,
    IReadOnlyList<string[]> Rows)
{
    /// <summary>The column called <paramref name="name"/> (exact match first, then case-insensitive), or null.</summary>
    public CsvColumn? Find(string name) =>
        Columns.FirstOrDefault(c => c.Name == name)
        ?? Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The column names, comma-separated, for error messages.</summary>
    public string DescribeColumns() => string.Join(", ", Columns.Select(c => c.Name));

    /// <summary>The distinct non-missing values of a column, in order of first appearance.</summary>
    public IReadOnlyList<string> DistinctValues(CsvColumn column) =>
        Rows.Select(r => r[column.Index]).Where(v => !CsvSchemaSniffer.IsMissing(v)).Distinct(StringComparer.Ordinal).ToList();
}
