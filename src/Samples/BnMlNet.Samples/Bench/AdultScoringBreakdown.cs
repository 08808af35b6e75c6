using BnMlNet.Engine;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Samples.Bench;

/// <summary>
/// Where one scored Adult row's time goes, apart from ML.NET's featurization and cursors: what the trained model is
/// (so the bench shows it scores the default recipe), how sparse its feature vectors are, and the per-row µs of the
/// engine's preprocessing and network on their own, and of the scoring transformer alone (our row mapper inside
/// ML.NET's cursor) over cached features.
/// </summary>
public static class AdultScoringBreakdown
{
    /// <summary>Prints the model's shape and the per-row breakdown (keys <c>model_*</c>, <c>features_*</c>, <c>row_*_us</c>).</summary>
    public static void Run(MLContext ml, BatchNormMlpModelParameters model, ITransformer scorer, IDataView featurized, BenchOutput o)
    {
        var pre = model.Preprocessing;
        o.Put("model_hidden", string.Join(",", model.Layers.Take(model.Layers.Count - 1).Select(l => l.OutputSize)));
        o.Put("model_epochs_run", model.TrainingHistory.Count, "F0");
        o.Put("model_features", model.FeatureCount, "F0");
        o.Put("model_preprocessing", pre is null ? "none" :
            $"center+scale{(pre.SmoothClip ? "+smooth-clip" : "")}+impute({pre.IndicatorInputs.Count} missing indicators)");
        o.Put("model_input_batch_norm", model.InputBatchNorm is null ? "false" : "true");

        var rows = ReadFeatures(featurized).ToArray();
        int n = rows.Length;
        o.Put("features_sparse_row_fraction", rows.Count(r => !r.IsDense) / (double)n, "F3");
        o.Put("features_mean_explicit_values", rows.Average(r => r.GetValues().Length), "F1");

        int features = model.FeatureCount;
        var dense = new float[n * features];
        for (int r = 0; r < n; r++) rows[r].CopyTo(dense, r * features);
        o.Put("row_densify_us", Micros(() => { for (int r = 0; r < n; r++) rows[r].CopyTo(dense, r * features); }, n), "F3");

        ReadOnlyMemory<float> networkInput = dense;
        int width = features;
        if (pre is not null)
        {
            width = pre.OutputSize;
            var prepared = new float[n * width];
            o.Put("row_preprocess_us", Micros(() => pre.ApplyRows(dense, prepared, n), n), "F3");
            // What the row mapper runs on a sparse VBuffer: the listed values only, from the preprocessed zero row.
            var one = new float[width];
            o.Put("row_preprocess_sparse_us", Micros(() =>
            {
                foreach (var row in rows)
                    if (row.IsDense) pre.Apply(row.GetValues(), one); else pre.ApplySparse(row.GetIndices(), row.GetValues(), one);
            }, n), "F3");
            networkInput = prepared;
        }
        if (model.EnsembleSize == 1)
        {
            var network = new InferenceNetwork(model.Layers, model.InputBatchNorm, model.LeakyReluSlope);
            var scratch = network.CreateScratch();
            var output = new float[network.OutputSize];
            o.Put("row_network_us", Micros(() =>
            {
                var x = networkInput.Span;
                for (int r = 0; r < n; r++) network.Predict(x.Slice(r * width, width), output, scratch);
            }, n), "F3");
            // The same, robust to a loaded machine: the 10th percentile of passes over 64 rows.
            var ticks = new List<long>();
            var x64 = networkInput.Span;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (int pass = 0; clock.Elapsed.TotalSeconds < 1.5 || ticks.Count < 100; pass++)
            {
                int first = pass * 64 % Math.Max(1, n - 64);
                long start = System.Diagnostics.Stopwatch.GetTimestamp();
                for (int r = first; r < first + 64 && r < n; r++) network.Predict(x64.Slice(r * width, width), output, scratch);
                long elapsed = System.Diagnostics.Stopwatch.GetTimestamp() - start;
                if (clock.Elapsed.TotalSeconds > 0.5) ticks.Add(elapsed);   // the first half second warms up
            }
            ticks.Sort();
            o.Put("row_network_p10_us", ticks[ticks.Count / 10] * 1e6 / System.Diagnostics.Stopwatch.Frequency / Math.Min(64, n), "F3");
        }
        // The scoring transformer alone (our mapper, called per row, and ML.NET's cursor around it) over cached features.
        var cached = ml.Data.Cache(featurized);
        o.Put("row_scoring_transform_us", Micros(() => AdultBench.Consume(scorer.Transform(cached)), n), "F3");
    }

    /// <summary>Copies of every row's <c>Features</c> vector of <paramref name="featurized"/> (shared by the scoring profiles).</summary>
    internal static List<VBuffer<float>> ReadFeatures(IDataView featurized)
    {
        var column = featurized.Schema["Features"];
        using var cursor = featurized.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var rows = new List<VBuffer<float>>();
        VBuffer<float> v = default;
        while (cursor.MoveNext())
        {
            getter(ref v);
            VBuffer<float> copy = default;
            v.CopyTo(ref copy);
            rows.Add(copy);
        }
        return rows;
    }

    private static double Micros(Action pass, int rows) => 1e6 / BenchOutput.BestRowsPerSecond(pass, rows, passes: 5, minSeconds: 1.0, warmupSeconds: 1.0);
}
