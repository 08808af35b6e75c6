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

    /// <summary>Median microseconds of <paramref name="calls"/> calls of <paramref name="action"/>(i) after <paramref name="warmup"/> untimed ones.</summary>
    public static double MedianMicros(Action<int> action, int calls, int warmup)
    {
        for (int i = 0; i < warmup; i++) action(i);
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

    /// <summary>Best rows/s of <paramref name="passes"/> timed runs of <paramref name="pass"/> over <paramref name="rows"/> rows.</summary>
    public static double BestRowsPerSecond(Action pass, int rows, int passes = 3)
    {
        double best = 0;
        for (int p = 0; p < passes; p++)
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
