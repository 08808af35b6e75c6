using System.Diagnostics;
using Microsoft.ML;

namespace BnMlNet.Samples.Compare;

/// <summary>Measures single-row scoring latency through a <see cref="PredictionEngine{TSrc, TDst}"/>.</summary>
public static class ScoringTimer
{
    /// <summary>
    /// Median microseconds of one <c>Predict</c> call over <paramref name="calls"/> calls, cycling through
    /// <paramref name="rows"/>, after at least <paramref name="warmup"/> untimed calls and one second of them.
    /// </summary>
    public static double MedianMicros<TRow, TOut>(MLContext ml, ITransformer model,
        IReadOnlyList<TRow> rows, int calls, int warmup)
        where TRow : class where TOut : class, new()
    {
        if (rows.Count == 0 || calls < 1) return double.NaN;
        var engine = ml.Model.CreatePredictionEngine<TRow, TOut>(model);
        var output = new TOut();
        // Warm up for at least a second as well as `warmup` calls: the JIT's tiered compilation needs time to replace
        // first-pass code (ML.NET's and the trainers'), and timing before that is unfair to whoever tiers up last.
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < warmup || clock.ElapsedMilliseconds < 1000; i++) engine.Predict(rows[i % rows.Count], ref output);
        var ticks = new long[calls];
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            engine.Predict(rows[i % rows.Count], ref output);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
        Array.Sort(ticks);
        double median = calls % 2 == 1 ? ticks[calls / 2] : (ticks[calls / 2 - 1] + ticks[calls / 2]) / 2.0;
        return median * 1e6 / Stopwatch.Frequency;
    }
}
