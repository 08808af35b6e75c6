using Spectre.Console;

namespace BnMlNet.Samples.Cli;

/// <summary>Where a running job reports progress. Thread-safe: epoch lines arrive on the training thread.</summary>
public interface IProgressSink
{
    /// <summary>A finished step, kept in the output ("binary  FastTree  0.4 s").</summary>
    void Step(string message);

    /// <summary>Transient detail (the trainer's epoch lines): the live status on a terminal, a plain line otherwise.</summary>
    void Detail(string message);
}

/// <summary>
/// Live progress while training: a Spectre.Console status spinner on a terminal; plain lines when the output is
/// redirected or not a TTY (CI has no terminal), so logs stay readable and nothing is redrawn.
/// </summary>
public sealed class ProgressDisplay(IAnsiConsole console)
{
    /// <summary>True when the spinner is drawn (the console is interactive).</summary>
    public bool IsLive { get; } = console.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="work"/> with a sink for its progress and returns its result.</summary>
    public T Run<T>(string title, Func<IProgressSink, T> work)
    {
        if (!IsLive)
        {
            console.WriteLine(title);
            return work(new PlainSink(console));
        }

        T result = default!;
        console.Status().Spinner(Spinner.Known.Dots).Start(Markup.Escape(title), ctx =>
            result = work(new LiveSink(console, ctx, title)));
        return result;
    }

    private sealed class PlainSink(IAnsiConsole console) : IProgressSink
    {
        private readonly Lock _gate = new();
        public void Step(string message) { lock (_gate) console.WriteLine("  " + message); }
        public void Detail(string message) { lock (_gate) console.WriteLine("    " + message); }
    }

    private sealed class LiveSink(IAnsiConsole console, StatusContext ctx, string title) : IProgressSink
    {
        private readonly Lock _gate = new();
        public void Step(string message) { lock (_gate) console.MarkupLine("  " + Markup.Escape(message)); }
        public void Detail(string message) { lock (_gate) ctx.Status(Markup.Escape($"{title}  {message}")); }
    }
}
