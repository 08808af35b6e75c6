using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Serving.Tests;

/// <summary>Every kind of bad body gets HTTP 400 with a JSON error naming the row, column, value and what was expected; the service keeps serving.</summary>
[TestClass]
public sealed class BadInputTests
{
    private static ServingFactory _factory = null!;
    private static HttpClient _client = null!;

    [ClassInitialize]
    public static void Start(TestContext _)
    {
        _factory = new ServingFactory(ServingModels.Binary, new Dictionary<string, string> { ["max-request-bytes"] = "2000" });
        _client = _factory.CreateClient();
    }

    [ClassCleanup]
    public static void Stop()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [TestMethod]
    public async Task MissingColumnNamesRowAndColumn()
    {
        var error = await BadRequestAsync("""[{"x1": 1, "x2": 0.5, "color": "red"}, {"x1": 1, "color": "red"}]""");
        Assert.AreEqual(1, error.GetProperty("row").GetInt32());
        Assert.AreEqual("x2", error.GetProperty("column").GetString());
        Assert.AreEqual("a number (null for a missing value)", error.GetProperty("expected").GetString());
        Assert.Contains("Row 1 lacks the feature column 'x2'", error.GetProperty("error").GetString()!);
    }

    [TestMethod]
    [DataRow("""[{"x1": "1.5", "x2": 0.5, "color": "red"}]""", "x1", "\"1.5\"", "a number (null for a missing value)")]
    [DataRow("""[{"x1": true, "x2": 0.5, "color": "red"}]""", "x1", "true", "a number (null for a missing value)")]
    [DataRow("""[{"x1": 1, "x2": 0.5, "color": 3}]""", "color", "3", "a string")]
    [DataRow("""[{"x1": 1, "x2": 0.5, "color": null}]""", "color", "null", "a string")]
    [DataRow("""[{"x1": 1, "x2": [0.5], "color": "red"}]""", "x2", "[0.5]", "a number (null for a missing value)")]
    [DataRow("""[{"x1": 1e39, "x2": 0.5, "color": "red"}]""", "x1", "1e39", "a finite number within ±3.4e38")]
    public async Task WrongTypeNamesRowColumnValueAndExpected(string body, string column, string value, string expected)
    {
        var error = await BadRequestAsync(body);
        Assert.AreEqual(0, error.GetProperty("row").GetInt32());
        Assert.AreEqual(column, error.GetProperty("column").GetString());
        Assert.AreEqual(value, error.GetProperty("value").GetString());
        Assert.AreEqual(expected, error.GetProperty("expected").GetString());
        Assert.Contains($"column '{column}'", error.GetProperty("error").GetString()!);
    }

    [TestMethod]
    [DataRow("[{\"x1\": 1,", "not valid JSON")]
    [DataRow("x1=1&x2=2", "not valid JSON")]
    [DataRow("", "body is empty")]
    [DataRow("[]", "empty array")]
    [DataRow("""{"x1": 1, "x2": 0.5, "color": "red"}""", "is a JSON object, not an array")]
    [DataRow("[[1, 0.5, \"red\"]]", "Row 0 is a JSON array, not an object")]
    public async Task MalformedBodiesAreRefused(string body, string message)
    {
        var error = await BadRequestAsync(body);
        Assert.Contains(message, error.GetProperty("error").GetString()!);
        Assert.IsTrue(error.TryGetProperty("expected", out _));
    }

    [TestMethod]
    public async Task BodyOverTheLimitIsRefusedWithAndWithoutContentLength()
    {
        string big = "[" + string.Join(",", Enumerable.Repeat("""{"x1": 1, "x2": 0.5, "color": "red"}""", 80)) + "]";
        Assert.IsGreaterThan(2000, Encoding.UTF8.GetByteCount(big));
        var error = await BadRequestAsync(big);
        Assert.Contains("larger than the limit of 2,000 bytes", error.GetProperty("error").GetString()!);

        // Chunked: no Content-Length, the limit is enforced while reading.
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        var response = await _client.PostAsync(new Uri("/predict", UriKind.Relative), content);
        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("larger than the limit", await response.Content.ReadAsStringAsync());
    }

    [TestMethod]
    public async Task TheServiceKeepsServingAfterBadInput()
    {
        foreach (var body in new[] { "[", "[{}]", "null", "\"x\"", "[{\"x1\": {}}]", new string('[', 100) + new string(']', 100) })
            await BadRequestAsync(body);
        var response = await _client.PostAsync(new Uri("/predict", UriKind.Relative),
            new StringContent("""[{"x1": 1, "x2": 0.5, "color": "red"}]""", Encoding.UTF8, "application/json"));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, (await _client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
    }

    private static async Task<JsonElement> BadRequestAsync(string body)
    {
        var response = await _client.PostAsync(new Uri("/predict", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode, text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
