using BnMlNet.Samples.Cli;
using Microsoft.Extensions.Configuration;

namespace BnMlNet.Serving;

/// <summary>
/// The service's settings, read from the configuration (the command line included:
/// <c>--model model.zip --max-request-bytes 1048576 --batch-threshold 32 --reload-interval-ms 1000</c>).
/// </summary>
public sealed record ServingOptions
{
    /// <summary>The model zip written by <c>train</c>; its <c>.json</c> sidecar lies next to it.</summary>
    public required string ModelPath { get; init; }

    /// <summary>The largest request body accepted, in bytes; larger bodies get HTTP 400.</summary>
    public int MaxRequestBytes { get; init; } = 1 << 20;

    /// <summary>Requests with more rows than this are scored with one <c>Transform</c> over the batch, not row by row.</summary>
    public int BatchThreshold { get; init; } = 32;

    /// <summary>How often the model file is checked for a change.</summary>
    public TimeSpan ReloadInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>PredictionEngines kept in the pool between requests.</summary>
    public int PoolSize { get; init; } = Math.Max(4, 2 * Environment.ProcessorCount);

    /// <summary>Reads the options from <paramref name="configuration"/>.</summary>
    /// <exception cref="UserInputException">The model path is missing or a number is malformed.</exception>
    public static ServingOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? model = configuration["model"];
        if (string.IsNullOrWhiteSpace(model))
            throw new UserInputException("--model is required: the model zip written by train (its .json sidecar next to it).");
        return new ServingOptions
        {
            ModelPath = Path.GetFullPath(model),
            MaxRequestBytes = Positive(configuration, "max-request-bytes", 1 << 20),
            BatchThreshold = Positive(configuration, "batch-threshold", 32),
            ReloadInterval = TimeSpan.FromMilliseconds(Positive(configuration, "reload-interval-ms", 1000)),
            PoolSize = Positive(configuration, "pool-size", Math.Max(4, 2 * Environment.ProcessorCount)),
        };
    }

    private static int Positive(IConfiguration configuration, string key, int fallback)
    {
        string? text = configuration[key];
        if (text is null) return fallback;
        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int value) || value < 1)
            throw new UserInputException($"--{key} must be a positive integer; got '{text}'.");
        return value;
    }
}
