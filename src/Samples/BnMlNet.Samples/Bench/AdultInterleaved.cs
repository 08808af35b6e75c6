using BnMlNet.Samples.Datasets;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Samples.Bench;

/// <summary>
/// The scoring ratios of goal 2 (issue 13) measured in alternation: each round times the BN-MLP's and FastTree's bulk
/// Transform and PredictionEngine back to back, so both see the same machine state; the ratios are the medians of the
/// per-round ratios (what a loaded machine can still compare).
/// </summary>
public static class AdultInterleaved
{
    /// <summary>Prints <c>interleaved_*</c> medians and <c>ratio_*</c> keys over <paramref name="rounds"/> rounds.</summary>
    public static void Run(MLContext ml, ITransformer mlp, ITransformer fastTree, IDataView test, List<AdultRow> testRows, int rounds, BenchOutput o)
    {
        int n = testRows.Count;
        var models = new[] { mlp, fastTree };
        var engines = models.Select(m => ml.Model.CreatePredictionEngine<AdultRow, BinaryScore>(m)).ToArray();
        var results = new[] { new BinaryScore(), new BinaryScore() };
        var bulk = new List<double>[] { [], [] };
        var latency = new List<double>[] { [], [] };
        // The same bulk Transform over a 512-row slice, many short passes, their 10th percentile: a loaded machine
        // preempts some passes, and the low percentile is the undisturbed cost that a best-of-2 over the whole test set
        // (a few ms per pass) cannot see when every pass is preempted.
        const int sliceRows = 512;
        var slice = ml.Data.TakeRows(test, sliceRows);
        var scoredSlices = models.Select(m => m.Transform(slice)).ToArray();
        var sliced = new List<double>[] { [], [] };
        for (int round = 0; round < rounds; round++)
        {
            double warmup = round == 0 ? 1.5 : 0.2;
            for (int m = 0; m < 2; m++)
            {
                var model = models[m];
                bulk[m].Add(BenchOutput.BestRowsPerSecond(() => AdultBench.Consume(model.Transform(test)), n, passes: 2, minSeconds: 0.3, warmupSeconds: warmup));
            }
            for (int m = 0; m < 2; m++)
                sliced[m].Add(LowPercentileRowsPerSecond(scoredSlices[m], sliceRows, round == 0 ? 0.5 : 0.1));
            for (int m = 0; m < 2; m++)
            {
                var engine = engines[m];
                var result = results[m];
                latency[m].Add(BenchOutput.MedianMicros(i => engine.Predict(testRows[i % n], ref result), 5000, 200, warmup));
            }
        }
        o.Put("interleaved_rounds", rounds, "F0");
        o.Put("interleaved_score_rows_per_second", BenchOutput.Median(bulk[0]), "F0");
        o.Put("interleaved_fasttree_score_rows_per_second", BenchOutput.Median(bulk[1]), "F0");
        o.Put("interleaved_single_row_latency_us", BenchOutput.Median(latency[0]), "F2");
        o.Put("interleaved_fasttree_single_row_latency_us", BenchOutput.Median(latency[1]), "F2");
        o.Put("ratio_bulk_rows_per_second_vs_fasttree", BenchOutput.Median(bulk[0].Zip(bulk[1], (a, b) => a / b)), "F2");
        o.Put("interleaved_slice_p10_rows_per_second", BenchOutput.Median(sliced[0]), "F0");
        o.Put("interleaved_fasttree_slice_p10_rows_per_second", BenchOutput.Median(sliced[1]), "F0");
        o.Put("ratio_bulk_slice_p10_vs_fasttree", BenchOutput.Median(sliced[0].Zip(sliced[1], (a, b) => a / b)), "F2");
        o.Put("ratio_latency_fasttree_over_ours", BenchOutput.Median(latency[0].Zip(latency[1], (a, b) => b / a)), "F2");
    }

    /// <summary>Rows/s of the 10th-percentile pass of <see cref="AdultBench.Consume"/> over <paramref name="scored"/> (0.3 s of passes).</summary>
    private static double LowPercentileRowsPerSecond(IDataView scored, int rows, double warmupSeconds)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < warmupSeconds) AdultBench.Consume(scored);
        var ticks = new List<long>();
        clock.Restart();
        while (clock.Elapsed.TotalSeconds < 0.3 || ticks.Count < 20)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            AdultBench.Consume(scored);
            ticks.Add(System.Diagnostics.Stopwatch.GetTimestamp() - start);
        }
        ticks.Sort();
        return rows * (double)System.Diagnostics.Stopwatch.Frequency / ticks[ticks.Count / 10];
    }
}
