using BnMlNet.Samples.Cli;

namespace BnMlNet.Samples.Csv;

/// <summary>Checks that a CSV's label column fits the task before anything is trained or scored.</summary>
public static class LabelChecker
{
    private static readonly string[] BinaryValues = ["0", "1", "true", "false"];

    /// <summary>The label column of <paramref name="table"/>, checked for <paramref name="task"/>.</summary>
    /// <param name="table">The sniffed CSV.</param>
    /// <param name="label">The label column name.</param>
    /// <param name="task">The task.</param>
    /// <param name="training">True when training (every class needed); false when evaluating.</param>
    /// <exception cref="UserInputException">The column is missing or its values don't fit the task.</exception>
    public static CsvColumn Check(CsvTable table, string? label, MlTask task, bool training)
    {
        if (string.IsNullOrWhiteSpace(label))
            throw new UserInputException($"--label is required. Columns in {table.Path}: {table.DescribeColumns()}.");
        var column = table.Find(label) ?? throw new UserInputException(
            $"Label column '{label}' not found in {table.Path}. Columns: {table.DescribeColumns()}.");

        int missingRow = table.Rows.ToList().FindIndex(r => CsvSchemaSniffer.IsMissing(r[column.Index]));
        if (missingRow >= 0)
            throw new UserInputException(
                $"{table.Path}: data row {missingRow + 1} has no value in the label column '{column.Name}'.");

        var values = table.DistinctValues(column);
        switch (task)
        {
            case MlTask.Binary:
                var bad = values.Where(v => !BinaryValues.Contains(v, StringComparer.OrdinalIgnoreCase)).Take(5).ToList();
                if (bad.Count > 0)
                    throw new UserInputException(
                        $"Binary label '{column.Name}' must be 0/1 or true/false; found {string.Join(", ", bad.Select(v => $"'{v}'"))}. " +
                        "Use --task multiclass for other class names.");
                if (training && values.Select(v => v is "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase)).Distinct().Count() < 2)
                    throw new UserInputException($"Binary label '{column.Name}' has only one class ({values[0]}); training needs both.");
                break;
            case MlTask.Multiclass:
                if (training && values.Count < 2)
                    throw new UserInputException($"Multiclass label '{column.Name}' has only one class ({values[0]}); training needs two or more.");
                break;
            case MlTask.Regression:
                if (column.Kind != CsvColumnKind.Numeric)
                    throw new UserInputException(
                        $"Regression label '{column.Name}' must be numeric; found '{values.First(v => !CsvSchemaSniffer.IsNumber(v))}'.");
                break;
        }
        return column;
    }
}
