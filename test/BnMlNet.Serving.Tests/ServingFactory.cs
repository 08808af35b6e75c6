using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace BnMlNet.Serving.Tests;

/// <summary>The service in-process on ASP.NET Core's TestServer, serving <paramref name="modelPath"/>, its log captured.</summary>
public sealed class ServingFactory(string modelPath, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<ModelHost>
{
    /// <summary>Every log line written, "Level: message".</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("model", modelPath);
        builder.UseSetting("reload-interval-ms", "100");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(new QueueLoggerProvider(Log)));
    }
}

/// <summary>A logger provider that appends every line to a queue.</summary>
public sealed class QueueLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new QueueLogger(lines);

    public void Dispose()
    {
    }

    private sealed class QueueLogger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
