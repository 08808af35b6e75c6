using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace BnMlNet.Samples.Bench;

/// <summary>Writes <c>key=value</c> lines (invariant culture, no markup) and small timing helpers.</summary>
public sealed class BenchOutput(IAnsiConsole console)
{
    /// <summary>One line <c>key=value</c>.</summary>
    public void Put(string key, double value, string format = "F2") =>
        console.WriteLine($"{key}={value.ToString(format, CultureInfo.InvariantCulture)}");

    /// <summary>One line <c>key=value</c>.</summary>
    public void Put(string key, string value) => console.WriteLine($"{key}={value}");

    /// <summary>The median of <paramref name="values"/> (NaN when empty).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    /// <summary>
    /// Median microseconds of <paramref name="calls"/> calls of <paramref name="action"/>(i) after a warm-up of at
    /// least <paramref name="warmup"/> untimed calls and at least <paramref name="warmupSeconds"/> seconds, so that
    /// tiered compilation has replaced the first, unoptimized code of every hot method (ours and ML.NET's) before timing.
    /// </summary>
    public static double MedianMicros(Action<int> action, int calls, int warmup, double warmupSeconds = 1.5)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < warmup || clock.Elapsed.TotalSeconds < warmupSeconds; i++) action(i);
        var ticks = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action(i);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
        return Median(ticks) * 1e6 / Stopwatch.Frequency;
    }

    /// <summary>Bytes allocated on this thread per call, over <paramref name="calls"/> calls after a warm-up.</summary>
    public static double BytesPerCall(Action<int> action, int calls)
    {
        for (int i = 0; i < 100; i++) action(i);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++) action(i);
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)calls;
    }

    /// <summary>
    /// Best rows/s of at least <paramref name="passes"/> timed runs of <paramref name="pass"/> over <paramref name="rows"/>
    /// rows, going on until <paramref name="minSeconds"/> have passed, after <paramref name="warmupSeconds"/> of untimed
    /// runs (so that tiered compilation has optimized the hot code, ours and ML.NET's, before timing).
    /// </summary>
    public static double BestRowsPerSecond(Action pass, int rows, int passes = 3, double minSeconds = 1.5, double warmupSeconds = 1.5)
    {
        var warmup = Stopwatch.StartNew();
        while (warmup.Elapsed.TotalSeconds < warmupSeconds) pass();
        double best = 0;
        var total = Stopwatch.StartNew();
        for (int p = 0; p < passes || total.Elapsed.TotalSeconds < minSeconds; p++)
        {
            var sw = Stopwatch.StartNew();
            pass();
            best = Math.Max(best, rows / sw.Elapsed.TotalSeconds);
        }
        return best;
    }
}

/// <summary>Samples the process working set every few milliseconds on a background thread and keeps the maximum.</summary>
public sealed class WorkingSetSampler : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _peak;

    /// <summary>Starts sampling.</summary>
    public WorkingSetSampler()
    {
        _peak = Environment.WorkingSet;
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                long ws = Environment.WorkingSet;
                if (ws > Interlocked.Read(ref _peak)) Interlocked.Exchange(ref _peak, ws);
                Thread.Sleep(5);
            }
        }) { IsBackground = true, Name = "working-set sampler" };
        _thread.Start();
    }

    /// <summary>The largest working set seen so far, in bytes.</summary>
    public long PeakBytes => Interlocked.Read(ref _peak);

    /// <summary>Stops sampling.</summary>
    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
