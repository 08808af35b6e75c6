using System.Text.Json.Serialization;

namespace BnMlNet.Serving;

/// <summary>The JSON body of an HTTP 400: what is wrong, and where.</summary>
/// <param name="Error">The message.</param>
/// <param name="Row">The row's index in the request array (from 0), when one row is at fault.</param>
/// <param name="Column">The feature column, when one column is at fault.</param>
/// <param name="Value">The value as sent (JSON text, shortened), when one value is at fault.</param>
/// <param name="Expected">What was expected instead.</param>
public sealed record ServingError(
    string Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Row = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Column = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Value = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Expected = null);
