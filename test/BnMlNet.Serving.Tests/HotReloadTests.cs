using System.Net;
using System.Text;
using System.Text.Json;
using BnMlNet.Samples.Csv;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Serving.Tests;

/// <summary>A new model file is swapped in under concurrent requests without a failed or mixed answer; a damaged one is refused.</summary>
[TestClass]
public sealed class HotReloadTests
{
    [TestMethod]
    public async Task ReloadUnderConcurrentRequestsThenDamagedFileKeepsServing()
    {
        string dir = Path.Combine(ServingModels.Folder, $"reload-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        string served = Path.Combine(dir, "model.zip");
        File.Copy(ServingModels.Binary, served);
        File.Copy(ModelSidecar.PathFor(ServingModels.Binary), ModelSidecar.PathFor(served));
        var sidecar = ModelSidecar.Load(served);

        // Two bodies: 10 rows (pooled engines) and 60 rows (one Transform); the references from each model's own Transform.
        string small = Answers.RequestBody(ServingModels.Rows, 0, 10), large = Answers.RequestBody(ServingModels.Rows, 10, 60);
        var oldAnswers = Answers.FromTransform(ServingModels.Binary, ServingModels.Rows);
        var newAnswers = Answers.FromTransform(ServingModels.BinaryOther, ServingModels.Rows);
        Assert.IsFalse(oldAnswers[0].SameBits(newAnswers[0]), "the two models must answer differently for the test to see the swap");

        await using var server = await LoopbackServer.StartAsync(served);
        int failures = 0, mixed = 0, fromOld = 0, fromNew = 0;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        async Task Client(int id)
        {
            for (int n = 0; !stop.IsCancellationRequested && n < 20_000; n++)
            {
                bool useSmall = (n + id) % 2 == 0;
                var response = await server.Client.PostAsync(new Uri("/predict", UriKind.Relative),
                    new StringContent(useSmall ? small : large, Encoding.UTF8, "application/json"));
                string text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref failures);
                    errors.Enqueue(text);
                    continue;
                }
                var got = Answers.FromJson(text, sidecar);
                var (o, w) = useSmall ? (oldAnswers[..10], newAnswers[..10]) : (oldAnswers[10..70], newAnswers[10..70]);
                if (Same(o, got)) Interlocked.Increment(ref fromOld);
                else if (Same(w, got)) Interlocked.Increment(ref fromNew);
                else Interlocked.Increment(ref mixed);
            }
        }
        var clients = Enumerable.Range(0, 4).Select(i => Task.Run(() => Client(i))).ToArray();

        // Let the clients get answers from the old model first (bounded wait).
        for (int wait = 0; wait < 600 && Volatile.Read(ref fromOld) < 20 && failures == 0; wait++) await Task.Delay(50);
        // Replace the files the way train --force does: written beside, then renamed over the served ones.
        Replace(ModelSidecar.PathFor(ServingModels.BinaryOther), ModelSidecar.PathFor(served));
        Replace(ServingModels.BinaryOther, served);
        await WaitForAsync(server, h => h.GetProperty("generation").GetInt32() == 2, "the new model to be swapped in");
        await Task.Delay(500);
        stop.Cancel();
        await Task.WhenAll(clients);

        Assert.AreEqual(0, failures, string.Join("\n", errors.Take(3)));
        Assert.AreEqual(0, mixed, "every answer must come wholly from one model");
        Assert.IsGreaterThan(0, fromOld, "answers before the swap");
        Assert.IsGreaterThan(0, fromNew, "answers after the swap");
        Console.WriteLine($"hot reload under 4 clients: {fromOld} answers from the old model, {fromNew} from the new, 0 failed, 0 mixed");

        // A damaged file (written in place, not a zip): refused, logged, the new model keeps serving.
        await File.WriteAllBytesAsync(served, Encoding.UTF8.GetBytes("not a zip at all"));
        var health = await WaitForAsync(server, h => h.GetProperty("lastReloadFailure").ValueKind == JsonValueKind.Object,
            "the damaged file to be refused");
        Assert.AreEqual(2, health.GetProperty("generation").GetInt32());
        Assert.Contains("is not a model this service can load", health.GetProperty("lastReloadFailure").GetProperty("message").GetString()!);
        Assert.IsTrue(server.Log.Any(l => l.StartsWith("Error: Reload of", StringComparison.Ordinal) && l.Contains("refused, still serving generation 2")),
            string.Join("\n", server.Log));
        var after = await server.Client.PostAsync(new Uri("/predict", UriKind.Relative), new StringContent(small, Encoding.UTF8, "application/json"));
        Assert.AreEqual(HttpStatusCode.OK, after.StatusCode);
        Answers.AssertSameBits(newAnswers[..10], Answers.FromJson(await after.Content.ReadAsStringAsync(), sidecar), "after the damaged file");
    }

    private static bool Same(List<RowAnswer> expected, List<RowAnswer> actual) =>
        expected.Count == actual.Count && expected.Zip(actual).All(p => p.First.SameBits(p.Second));

    private static void Replace(string source, string target)
    {
        string temp = target + ".incoming";
        File.Copy(source, temp, overwrite: true);
        File.Move(temp, target, overwrite: true);
    }

    /// <summary>Polls /health until <paramref name="condition"/> holds (bounded: fails after 60 s, a hang guard, not a timing).</summary>
    private static async Task<JsonElement> WaitForAsync(LoopbackServer server, Func<JsonElement, bool> condition, string what)
    {
        for (int attempt = 0; attempt < 600; attempt++)
        {
            using var health = JsonDocument.Parse(await server.Client.GetStringAsync(new Uri("/health", UriKind.Relative)));
            if (condition(health.RootElement)) return health.RootElement.Clone();
            await Task.Delay(100);
        }
        Assert.Fail($"Gave up waiting for {what}. Log:\n{string.Join("\n", server.Log)}");
        throw new InvalidOperationException();
    }
}
