using System.Diagnostics;
using Microsoft.ML;

namespace BnMlNet.Samples.Compare;

/// <summary>Measures single-row scoring latency through a <see cref="PredictionEngine{TSrc, TDst}"/>.</summary>
public static class ScoringTimer
{
    /// <summary>
    /// Median microseconds of one <c>Predict</c> call over <paramref name="calls"/> calls, cycling through
    /// <paramref name="rows"/>, after <paramref name="warmup"/> untimed calls.
    /// </summary>
    public static double MedianMicros<TRow, TOut>(MLContext ml, ITransformer model,
        IReadOnlyList<TRow> rows, int calls, int warmup)
        where TRow : class where TOut : class, new()
    {
        if (rows.Count == 0 || calls < 1) return double.NaN;
        var engine = ml.Model.CreatePredictionEngine<TRow, TOut>(model);
        var output = new TOut();
        for (int i = 0; i < warmup; i++) engine.Predict(rows[i % rows.Count], ref output);
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
