namespace BnMlNet.MlNet.Trainers;

/// <summary>Schema errors for the label column, in ML.NET's words plus a hint on how to fix them.</summary>
internal static class LabelErrors
{
    /// <summary>The same exception type and opening as ML.NET's own schema-mismatch errors.</summary>
    public static ArgumentOutOfRangeException Mismatch(string column, string expected, string actual, string hint) =>
        new("inputSchema", $"Schema mismatch for label column '{column}': expected {expected}, got {actual}. {hint}");
}
