using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Serving.Tests;

/// <summary>The service on Kestrel, real HTTP on 127.0.0.1 with a port the system picks, its log captured.</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, HttpClient client, ConcurrentQueue<string> log)
    {
        _app = app;
        Client = client;
        Log = log;
    }

    /// <summary>A client for the server's address.</summary>
    public HttpClient Client { get; }

    /// <summary>Every log line, "Level: message".</summary>
    public ConcurrentQueue<string> Log { get; }

    /// <summary>Starts the service on <paramref name="modelPath"/>, checking the model file every 100 ms.</summary>
    public static async Task<LoopbackServer> StartAsync(string modelPath)
    {
        var log = new ConcurrentQueue<string>();
        var app = ServingApp.Build(["--model", modelPath, "--urls", "http://127.0.0.1:0", "--reload-interval-ms", "100"], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(new QueueLoggerProvider(log));
        });
        await app.StartAsync();
        string address = app.Urls.Single();
        Assert.StartsWith("http://127.0.0.1:", address, "tests serve on loopback only");
        return new LoopbackServer(app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) }, log);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
