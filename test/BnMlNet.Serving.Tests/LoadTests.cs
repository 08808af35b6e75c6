using System.Diagnostics;
using System.Net;
using System.Text;
using BnMlNet.Samples.Csv;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Serving.Tests;

/// <summary>
/// A bounded load test over real HTTP on loopback: 8 concurrent clients × 2,000 single-row requests. Checks zero
/// errors and answers identical to the model's own Transform; prints requests/s and p50/p99 latency (never asserted:
/// the figures depend on the machine and its load).
/// </summary>
[TestClass]
public sealed class LoadTests
{
    private const int Clients = 8;
    private const int RequestsPerClient = 2_000;

    [TestMethod]
    public async Task EightClientsTimesTwoThousandRequests()
    {
        var sidecar = ModelSidecar.Load(ServingModels.Binary);
        var expected = Answers.FromTransform(ServingModels.Binary, ServingModels.Rows);
        var bodies = Enumerable.Range(0, expected.Count).Select(i => Answers.RequestBody(ServingModels.Rows, i, 1)).ToArray();

        await using var server = await LoopbackServer.StartAsync(ServingModels.Binary);
        // Warm up: JIT, the pool's first engines.
        for (int i = 0; i < 50; i++) await server.Client.PostAsync(new Uri("/predict", UriKind.Relative), new StringContent(bodies[i % bodies.Length]));

        var latencies = new double[Clients * RequestsPerClient];
        int errors = 0, wrong = 0;
        string? firstProblem = null;
        var total = Stopwatch.StartNew();
        var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            for (int n = 0; n < RequestsPerClient; n++)
            {
                int row = (c * 7 + n) % bodies.Length;
                long start = Stopwatch.GetTimestamp();
                var response = await server.Client.PostAsync(new Uri("/predict", UriKind.Relative),
                    new StringContent(bodies[row], Encoding.UTF8, "application/json"));
                string text = await response.Content.ReadAsStringAsync();
                latencies[c * RequestsPerClient + n] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstProblem, $"{(int)response.StatusCode}: {text}", null);
                }
                else if (!expected[row].SameBits(Answers.FromJson(text, sidecar).Single()))
                {
                    Interlocked.Increment(ref wrong);
                    Interlocked.CompareExchange(ref firstProblem, $"row {row}: expected {expected[row]}, got {text}", null);
                }
            }
        })).ToArray();
        await Task.WhenAll(clients);
        total.Stop();

        Array.Sort(latencies);
        double p50 = latencies[latencies.Length / 2], p99 = latencies[(int)(latencies.Length * 0.99)];
        Console.WriteLine($"load test: {Clients} clients x {RequestsPerClient:N0} requests = {latencies.Length:N0} single-row requests " +
            $"over HTTP/1.1 on 127.0.0.1 in {total.Elapsed.TotalSeconds:F1} s: {latencies.Length / total.Elapsed.TotalSeconds:F0} requests/s, " +
            $"latency p50 {p50:F2} ms, p99 {p99:F2} ms; {errors} errors, {wrong} wrong answers");
        Assert.AreEqual(0, errors, firstProblem);
        Assert.AreEqual(0, wrong, firstProblem);
    }
}
