using Microsoft.Extensions.Logging;

namespace BnMlNet.Serving;

/// <summary>
/// Holds the model being served and swaps in a new one when the file changes. The swap is one reference write:
/// a request sees either the old <see cref="LoadedModel"/> or the new one, never a mix, and none fails during it.
/// A new file that does not load or does not pass the checks leaves the old model serving and is logged.
/// </summary>
public sealed class ModelHost
{
    private readonly ServingOptions _options;
    private readonly ILogger<ModelHost> _logger;
    private readonly TimeProvider _time;
    private readonly Lock _reloadGate = new();
    private LoadedModel _current;
    private FileSignature _seen;
    private ReloadFailure? _lastFailure;

    /// <summary>Loads the model named in <paramref name="options"/>.</summary>
    /// <exception cref="BnMlNet.Samples.Cli.UserInputException">The model or its sidecar is missing or damaged.</exception>
    public ModelHost(ServingOptions options, ILogger<ModelHost> logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger;
        _time = time;
        _seen = FileSignature.Of(options.ModelPath);
        _current = LoadedModel.Load(options.ModelPath, options.PoolSize, 1, time.GetUtcNow());
        _logger.LogInformation("Serving {Path}: {Task} model, {Features} feature columns", options.ModelPath,
            _current.Sidecar.Task, _current.Sidecar.Features.Count);
    }

    /// <summary>The model to use for a request; read it once per request.</summary>
    public LoadedModel Current => Volatile.Read(ref _current);

    /// <summary>The last refused reload since the last successful one, or null.</summary>
    public ReloadFailure? LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>
    /// When the model file or its sidecar changed since the last look, loads and checks the new model and swaps it
    /// in; on failure keeps the old one and logs why.
    /// </summary>
    /// <returns>True when a new model was swapped in.</returns>
    public bool ReloadIfChanged()
    {
        lock (_reloadGate)
        {
            var signature = FileSignature.Of(_options.ModelPath);
            if (signature == _seen) return false;
            _seen = signature;
            var old = Current;
            try
            {
                var next = LoadedModel.Load(_options.ModelPath, _options.PoolSize, old.Generation + 1, _time.GetUtcNow());
                Volatile.Write(ref _current, next);
                Volatile.Write(ref _lastFailure, null);
                _logger.LogInformation("Reloaded {Path}: generation {Generation}, {Task} model", next.Path, next.Generation,
                    next.Sidecar.Task);
                return true;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Volatile.Write(ref _lastFailure, new ReloadFailure(_time.GetUtcNow(), e.Message));
                _logger.LogError("Reload of {Path} refused, still serving generation {Generation} loaded at {LoadedAt:O}: {Message}",
                    _options.ModelPath, old.Generation, old.LoadedAt, e.Message);
                return false;
            }
        }
    }

    /// <summary>What identifies a version of the model and sidecar files: their sizes and write times.</summary>
    private readonly record struct FileSignature(long ModelLength, DateTime ModelWritten, long SidecarLength, DateTime SidecarWritten)
    {
        public static FileSignature Of(string modelPath)
        {
            var model = new FileInfo(modelPath);
            var sidecar = new FileInfo(Samples.Csv.ModelSidecar.PathFor(modelPath));
            return new FileSignature(model.Exists ? model.Length : -1, model.Exists ? model.LastWriteTimeUtc : default,
                sidecar.Exists ? sidecar.Length : -1, sidecar.Exists ? sidecar.LastWriteTimeUtc : default);
        }
    }
}
