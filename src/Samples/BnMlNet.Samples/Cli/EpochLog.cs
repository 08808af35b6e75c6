using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace BnMlNet.Samples.Cli;

/// <summary>Forwards the BN-MLP trainer's "Epoch e/N: …" log lines from <see cref="MLContext.Log"/> to a progress sink.</summary>
public static class EpochLog
{
    /// <summary>Subscribes until the returned object is disposed.</summary>
    public static IDisposable Forward(MLContext ml, IProgressSink progress, string prefix = "")
    {
        void Handler(object? sender, LoggingEventArgs e)
        {
            int at = e.Message.IndexOf("Epoch ", StringComparison.Ordinal);
            if (at >= 0 && e.Message.IndexOf("train loss", at, StringComparison.Ordinal) > 0)
                progress.Detail(prefix + e.Message[at..].Trim());
        }
        ml.Log += Handler;
        return new Unsubscribe(() => ml.Log -= Handler);
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
