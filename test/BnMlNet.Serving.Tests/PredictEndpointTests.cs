using System.Net;
using System.Text;
using System.Text.Json;
using BnMlNet.Samples.Csv;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Serving.Tests;

/// <summary>POST /predict answers equal the predict command's output and the model's own Transform, bit for bit, on both paths.</summary>
[TestClass]
public sealed class PredictEndpointTests
{
    [TestMethod]
    [DataRow("binary")]
    [DataRow("multiclass")]
    [DataRow("regression")]
    public async Task AnswersEqualPredictCommandAndTransformBitForBit(string task)
    {
        string model = task switch { "binary" => ServingModels.Binary, "multiclass" => ServingModels.Multiclass, _ => ServingModels.Regression };
        var sidecar = ModelSidecar.Load(model);
        var fromTransform = Answers.FromTransform(model, ServingModels.Rows);
        var fromCommand = Answers.FromPredictCommand(model, ServingModels.Rows);
        Answers.AssertSameBits(fromTransform, fromCommand, "predict command vs Transform");

        using var factory = new ServingFactory(model);
        using var client = factory.CreateClient();

        // 80 rows > the batch threshold (32): one Transform over the batch.
        var batch = await PostAsync(client, Answers.RequestBody(ServingModels.Rows));
        Answers.AssertSameBits(fromTransform, Answers.FromJson(batch, sidecar), $"{task} batch path");

        // 10 rows at a time ≤ the threshold: pooled PredictionEngines, row by row.
        var each = new List<RowAnswer>();
        for (int from = 0; from < 80; from += 10)
            each.AddRange(Answers.FromJson(await PostAsync(client, Answers.RequestBody(ServingModels.Rows, from, 10)), sidecar));
        Answers.AssertSameBits(fromTransform, each, $"{task} engine path");
    }

    [TestMethod]
    public async Task AnswerShapeFollowsTheTask()
    {
        using (var factory = new ServingFactory(ServingModels.Binary))
        using (var client = factory.CreateClient())
        {
            using var row = JsonDocument.Parse(await PostAsync(client, Answers.RequestBody(ServingModels.Rows, 0, 1)));
            var only = row.RootElement.EnumerateArray().Single();
            CollectionAssert.AreEqual(new[] { "score", "probability", "predictedLabel" }, only.EnumerateObject().Select(p => p.Name).ToArray());
        }
        using (var factory = new ServingFactory(ServingModels.Multiclass))
        using (var client = factory.CreateClient())
        {
            using var row = JsonDocument.Parse(await PostAsync(client, Answers.RequestBody(ServingModels.Rows, 0, 1)));
            var only = row.RootElement.EnumerateArray().Single();
            CollectionAssert.AreEqual(new[] { "predictedLabel", "scores" }, only.EnumerateObject().Select(p => p.Name).ToArray());
            CollectionAssert.AreEqual(ModelSidecar.Load(ServingModels.Multiclass).Classes.ToArray(),
                only.GetProperty("scores").EnumerateObject().Select(p => p.Name).ToArray());
            float sum = only.GetProperty("scores").EnumerateObject().Sum(p => p.Value.GetSingle());
            Assert.AreEqual(1f, sum, 1e-5f, "multiclass scores are softmax probabilities");
        }
    }

    [TestMethod]
    public async Task LabelAndOtherKeysAreIgnoredAndNamesMatchLikeTheCsvCommands()
    {
        using var factory = new ServingFactory(ServingModels.Binary);
        using var client = factory.CreateClient();
        string plain = await PostAsync(client, """[{"x1": 0.25, "x2": 0.5, "color": "red"}]""");
        string extra = await PostAsync(client, """[{"vote": 1, "id": "A17", "X1": 0.25, "x2": 0.5, "color": "  red "}]""");
        Assert.AreEqual(plain, extra);
    }

    [TestMethod]
    public async Task HealthNamesTheModelItsTaskAndWhenItWasLoaded()
    {
        var before = DateTimeOffset.UtcNow;
        using var factory = new ServingFactory(ServingModels.Multiclass);
        using var client = factory.CreateClient();
        var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = health.RootElement;
        Assert.AreEqual(Path.GetFullPath(ServingModels.Multiclass), root.GetProperty("modelPath").GetString());
        Assert.AreEqual("multiclass", root.GetProperty("task").GetString());
        Assert.AreEqual("kind", root.GetProperty("label").GetString());
        CollectionAssert.AreEqual(new[] { "x1", "x2", "color" }, root.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToArray());
        var loadedAt = root.GetProperty("loadedAt").GetDateTimeOffset();
        Assert.IsTrue(loadedAt >= before.AddSeconds(-1) && loadedAt <= DateTimeOffset.UtcNow, $"loadedAt {loadedAt:O}");
        Assert.AreEqual(1, root.GetProperty("generation").GetInt32());
    }

    private static async Task<string> PostAsync(HttpClient client, string body)
    {
        var response = await client.PostAsync(new Uri("/predict", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, text);
        Assert.AreEqual("application/json", response.Content.Headers.ContentType?.MediaType);
        return text;
    }
}
