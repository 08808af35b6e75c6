using System.Text.Json;
using BnMlNet.Samples.Csv;
using Microsoft.AspNetCore.Http;

namespace BnMlNet.Serving;

/// <summary>The rows of a <c>POST /predict</c> body, or the reason it was refused.</summary>
/// <param name="Rows">The input rows (the model's <see cref="InputRowType"/>), when the body is valid.</param>
/// <param name="Error">Why the body was refused, otherwise.</param>
public sealed record PredictRequest(IReadOnlyList<object> Rows, ServingError? Error);

/// <summary>
/// Reads and checks a <c>POST /predict</c> body: a JSON array of objects keyed by the model's feature columns
/// (numbers as JSON numbers, <c>null</c> for a missing number; text as strings). Other keys, the label included,
/// are ignored. Names match as in the CSV commands: exactly, else ignoring case. Text is trimmed, as the CSV
/// reader does, so a row scores the same here as in <c>predict</c>.
/// </summary>
public static class PredictRequestReader
{
    private const int MaxValueEcho = 80;

    /// <summary>Reads at most <paramref name="maxBytes"/> bytes of <paramref name="request"/>'s body and checks them against <paramref name="model"/>.</summary>
    public static async Task<PredictRequest> ReadAsync(HttpRequest request, LoadedModel model, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(model);
        if (request.ContentLength > maxBytes)
            return TooLarge(maxBytes);
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > maxBytes) return TooLarge(maxBytes);
            body.Write(buffer, 0, read);
        }
        return Parse(body.GetBuffer().AsMemory(0, (int)body.Length), model);
    }

    /// <summary>Checks a body already read.</summary>
    public static PredictRequest Parse(ReadOnlyMemory<byte> body, LoadedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (body.IsEmpty) return Fail(new ServingError("The request body is empty.", Expected: "a JSON array of row objects"));
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            return Fail(new ServingError($"The request body is not valid JSON: {e.Message}", Expected: "a JSON array of row objects"));
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
                return Fail(new ServingError($"The request body is a JSON {Kind(root)}, not an array.",
                    Value: Echo(root), Expected: "a JSON array of row objects"));
            if (root.GetArrayLength() == 0)
                return Fail(new ServingError("The request body is an empty array: nothing to predict.", Expected: "at least one row object"));

            var rows = new List<object>(root.GetArrayLength());
            int index = 0;
            foreach (var element in root.EnumerateArray())
            {
                var (row, error) = ReadRow(element, index, model.Rows);
                if (error is not null) return Fail(error);
                rows.Add(row!);
                index++;
            }
            return new PredictRequest(rows, null);
        }
    }

    private static (object? Row, ServingError? Error) ReadRow(JsonElement element, int index, InputRowType rows)
    {
        if (element.ValueKind != JsonValueKind.Object)
            return (null, new ServingError($"Row {index} is a JSON {Kind(element)}, not an object.", index, Value: Echo(element),
                Expected: "an object keyed by the feature columns"));
        var row = rows.NewRow();
        for (int c = 0; c < rows.Columns.Count; c++)
        {
            var column = rows.Columns[c];
            bool numeric = column.Kind == CsvColumnKind.Numeric;
            string expected = numeric ? "a number (null for a missing value)" : "a string";
            if (!TryFind(element, column.Name, out var value))
                return (null, new ServingError($"Row {index} lacks the feature column '{column.Name}'.", index, column.Name, Expected: expected));
            if (numeric)
            {
                if (value.ValueKind == JsonValueKind.Null)
                {
                    rows.SetNumber(row, c, float.NaN);
                    continue;
                }
                if (value.ValueKind != JsonValueKind.Number)
                    return (null, WrongType(index, column.Name, value, expected));
                if (!value.TryGetSingle(out float number) || !float.IsFinite(number))
                    return (null, new ServingError($"Row {index}, column '{column.Name}': {Echo(value)} is outside the range of a float.",
                        index, column.Name, Echo(value), "a finite number within ±3.4e38"));
                rows.SetNumber(row, c, number);
            }
            else
            {
                if (value.ValueKind != JsonValueKind.String)
                    return (null, WrongType(index, column.Name, value, expected));
                rows.SetText(row, c, value.GetString()!.Trim());
            }
        }
        return (row, null);
    }

    private static bool TryFind(JsonElement row, string name, out JsonElement value)
    {
        if (row.TryGetProperty(name, out value)) return true;
        foreach (var property in row.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        return false;
    }

    private static ServingError WrongType(int index, string column, JsonElement value, string expected) =>
        new($"Row {index}, column '{column}': got a JSON {Kind(value)} ({Echo(value)}), expected {expected}.",
            index, column, Echo(value), expected);

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static string Echo(JsonElement element)
    {
        string text = element.GetRawText();
        return text.Length <= MaxValueEcho ? text : text[..MaxValueEcho] + "…";
    }

    private static PredictRequest TooLarge(int maxBytes) =>
        Fail(new ServingError($"The request body is larger than the limit of {maxBytes:N0} bytes (--max-request-bytes).",
            Expected: $"at most {maxBytes:N0} bytes; send fewer rows per request"));

    private static PredictRequest Fail(ServingError error) => new([], error);
}
