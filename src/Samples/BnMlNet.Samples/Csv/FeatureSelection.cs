using BnMlNet.Samples.Cli;

namespace BnMlNet.Samples.Csv;

/// <summary>A column <c>train</c> leaves out of the features, and why.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Reason">"identifier" (detected) or "--ignore" (the user's choice).</param>
/// <param name="Message">The warning or note to print.</param>
public sealed record IgnoredColumn(string Name, string Reason, string Message);

/// <summary>A text column encoded by hashing instead of a one-hot.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Levels">Its distinct values in the training CSV.</param>
/// <param name="Message">The log line to print.</param>
public sealed record HashedColumn(string Name, int Levels, string Message);

/// <summary>Which columns <c>train</c> uses as features and how the text ones are encoded.</summary>
/// <param name="Features">The feature columns, in file order.</param>
/// <param name="Ignored">The columns left out (not the label).</param>
/// <param name="Hashed">The text features encoded by hashing.</param>
public sealed record FeaturePlan(IReadOnlyList<CsvColumn> Features, IReadOnlyList<IgnoredColumn> Ignored,
    IReadOnlyList<HashedColumn> Hashed);

/// <summary>
/// Picks the feature columns of a training CSV. A text column whose distinct values cover nearly all rows (an
/// <c>id</c>, a name, a timestamp) is an identifier: one-hot encoding it lets the network memorize the rows, so it
/// is left out with a warning. A text column with more levels than <see cref="MaxOneHotLevels"/> is hashed into
/// <see cref="HashSlots"/> slots instead of a one-hot that wide. <c>--ignore</c> and <c>--keep</c> overrule both.
/// </summary>
public static class FeatureSelection
{
    /// <summary>A text column is an identifier when its distinct values number at least this share of the rows.</summary>
    public const double IdentifierShare = 0.9;

    /// <summary>Below this many rows nothing is called an identifier (too few rows to tell).</summary>
    public const int MinRowsForIdentifier = 20;

    /// <summary>Text columns with more distinct values than this are hashed rather than one-hot encoded.</summary>
    public const int MaxOneHotLevels = 256;

    /// <summary>Bits of the hash for high-cardinality text columns: 2^8 = 256 slots.</summary>
    public const int HashBits = 8;

    /// <summary>Slots a hashed column is encoded into.</summary>
    public const int HashSlots = 1 << HashBits;

    /// <summary>The plan for <paramref name="table"/> with label <paramref name="label"/>.</summary>
    /// <param name="table">The sniffed training CSV.</param>
    /// <param name="label">Its label column (never a feature).</param>
    /// <param name="ignore">Columns the user left out (<c>--ignore</c>).</param>
    /// <param name="keep">Columns the user keeps even when they look like identifiers (<c>--keep</c>).</param>
    /// <exception cref="UserInputException">A named column is not in the file, is the label, or is in both lists.</exception>
    public static FeaturePlan Plan(CsvTable table, CsvColumn label, IReadOnlyList<string> ignore, IReadOnlyList<string> keep)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(label);
        var ignored = Resolve(table, label, ignore, "--ignore");
        var kept = Resolve(table, label, keep, "--keep");
        var both = ignored.Intersect(kept).FirstOrDefault();
        if (both is not null)
            throw new UserInputException($"Column '{both.Name}' is given to both --ignore and --keep; choose one.");

        var features = new List<CsvColumn>();
        var left = new List<IgnoredColumn>();
        var hashed = new List<HashedColumn>();
        foreach (var column in table.Columns)
        {
            if (column == label) continue;
            if (ignored.Contains(column))
            {
                left.Add(new IgnoredColumn(column.Name, "--ignore", $"column '{column.Name}' is left out (--ignore)."));
                continue;
            }
            if (column.Kind != CsvColumnKind.Text)
            {
                features.Add(column);
                continue;
            }
            int levels = table.DistinctValues(column).Count;
            if (!kept.Contains(column) && IsIdentifier(levels, table.Rows.Count))
            {
                left.Add(new IgnoredColumn(column.Name, "identifier",
                    $"column '{column.Name}' looks like an identifier ({levels:N0} distinct values in {table.Rows.Count:N0} rows) " +
                    $"and is left out of the features; use --keep {column.Name} to train on it."));
                continue;
            }
            features.Add(column);
            if (levels > MaxOneHotLevels)
                hashed.Add(new HashedColumn(column.Name, levels,
                    $"column '{column.Name}' has {levels:N0} distinct values: hashed into {HashSlots} slots " +
                    $"(one-hot hash encoding) instead of a one-hot {levels:N0} wide."));
        }
        return new FeaturePlan(features, left, hashed);
    }

    /// <summary>True when <paramref name="levels"/> distinct values in <paramref name="rows"/> rows make an identifier.</summary>
    public static bool IsIdentifier(int levels, int rows) =>
        rows >= MinRowsForIdentifier && levels >= IdentifierShare * rows;

    /// <summary>Splits <c>--ignore a,b</c> into names.</summary>
    public static IReadOnlyList<string> ParseList(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static HashSet<CsvColumn> Resolve(CsvTable table, CsvColumn label, IReadOnlyList<string> names, string option)
    {
        var columns = new HashSet<CsvColumn>();
        foreach (var name in names)
        {
            var column = table.Find(name) ?? throw new UserInputException(
                $"{option} names column '{name}', which is not in {table.Path}. Columns: {table.DescribeColumns()}.");
            if (column == label)
                throw new UserInputException($"{option} names the label column '{label.Name}'; the label is never a feature.");
            columns.Add(column);
        }
        return columns;
    }
}
