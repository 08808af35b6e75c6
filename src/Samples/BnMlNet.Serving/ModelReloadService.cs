using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BnMlNet.Serving;

/// <summary>
/// Looks at the model file every <see cref="ServingOptions.ReloadInterval"/> and reloads it when it changed.
/// Polling rather than a file watcher: it works the same on every file system (network shares, container volumes)
/// and a file still being written is simply retried at the next change.
/// </summary>
public sealed class ModelReloadService(ModelHost host, ServingOptions options, ILogger<ModelReloadService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ReloadInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    host.ReloadIfChanged();
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    logger.LogError(e, "Checking {Path} for a new model failed", options.ModelPath);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
