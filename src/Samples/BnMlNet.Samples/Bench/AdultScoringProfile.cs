using System.Diagnostics;
using BnMlNet.Engine;
using BnMlNet.Engine.Layers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Samples.Bench;

/// <summary>
/// A per-row profile of the BN-MLP's bulk scoring on Adult that a loaded machine can still read: every figure is the
/// 10th percentile of many short passes (64 rows, or a 512-row slice for the ML.NET views), so a preempted pass does
/// not count. Keys <c>profile_*_us</c> (µs per row): the featurization, the scored view over cached features less reading them (our
/// mapper plus ML.NET's cursor and getters), the preprocessing, the network cut after each layer (so each layer's cost is a difference), and the
/// scoring transformer over cached features (ML.NET's cursor and getters around the mapper).
/// </summary>
public static class AdultScoringProfile
{
    private const int PassRows = 64;

    /// <summary>Prints the <c>profile_*</c> keys.</summary>
    /// <param name="ml">The context.</param>
    /// <param name="prefix">Key prefix ("" for the BN-MLP, "fasttree_").</param>
    /// <param name="pipeline">The fitted pipeline: featurizer, then the prediction transformer.</param>
    /// <param name="test">The raw test rows.</param>
    /// <param name="o">Where the keys go.</param>
    public static void Run(MLContext ml, string prefix, ITransformer pipeline, IDataView test, BenchOutput o)
    {
        var featurizer = ((IEnumerable<ITransformer>)pipeline).First();
        var scorer = ((IEnumerable<ITransformer>)pipeline).Last();
        object? parameters = scorer is ISingleFeaturePredictionTransformer<object> t ? t.Model : null;
        var featurized = featurizer.Transform(test);
        var rows = AdultScoringBreakdown.ReadFeatures(featurized);
        int n = rows.Count;

        var slice = ml.Data.TakeRows(test, 512);
        var featurizedSlice = featurizer.Transform(slice);
        o.Put(prefix + "profile_featurize_slice_us", SliceMicros(() => ConsumeFeatures(featurizedSlice), 512), "F3");
        var cachedSlice = ml.Data.Cache(ml.Data.TakeRows(featurized, 512));
        AdultBench.Consume(scorer.Transform(cachedSlice));
        var scoredCached = scorer.Transform(cachedSlice);
        o.Put(prefix + "profile_scoring_transform_cached_slice_us", SliceMicros(() => AdultBench.Consume(scoredCached), 512), "F3");
        o.Put(prefix + "profile_read_cached_features_slice_us", SliceMicros(() => ConsumeFeatures(cachedSlice), 512), "F3");

        var model = parameters as BatchNormMlpModelParameters
            ?? (parameters as Microsoft.ML.Calibrators.CalibratedModelParametersBase<BatchNormMlpModelParameters, Microsoft.ML.Calibrators.PlattCalibrator>)?.SubModel;
        if (model is null) return;

        var pre = model.Preprocessing;
        int width = model.FeatureCount;
        var prepared = new float[n][];
        for (int r = 0; r < n; r++)
        {
            prepared[r] = new float[pre?.OutputSize ?? width];
            if (pre is null) rows[r].CopyTo(prepared[r]);
            else if (rows[r].IsDense) pre.Apply(rows[r].GetValues(), prepared[r]);
            else pre.ApplySparse(rows[r].GetIndices(), rows[r].GetValues(), prepared[r]);
        }
        if (pre is not null)
        {
            var one = new float[pre.OutputSize];
            o.Put(prefix + "profile_preprocess_sparse_us", RowMicros(r =>
            {
                var row = rows[r % n];
                if (row.IsDense) pre.Apply(row.GetValues(), one); else pre.ApplySparse(row.GetIndices(), row.GetValues(), one);
            }), "F3");
            o.Put(prefix + "profile_preprocessed_nonzero_mean", prepared.Average(p => p.Count(v => v != 0)), "F1");
        }
        if (model.EnsembleSize != 1 || model.Embedding is not null) return;
        // The network cut after layer l (the same folded layers, the same kernels): layer l's cost is the difference.
        for (int l = 1; l <= model.Layers.Count; l++)
        {
            var network = new InferenceNetwork(model.Layers.Take(l).ToArray(), model.InputBatchNorm, model.LeakyReluSlope);
            var scratch = network.CreateScratch();
            var output = new float[network.OutputSize];
            o.Put(prefix + $"profile_network_first_{l}_layers_us", RowMicros(r => network.Predict(prepared[r % n], output, scratch)), "F3");
        }
    }

    /// <summary>µs per row: the 10th percentile of passes over <see cref="PassRows"/> consecutive rows (1.5 s, the first 0.5 s warm-up).</summary>
    private static double RowMicros(Action<int> row, double seconds = 1.5)
    {
        var ticks = new List<long>();
        var clock = Stopwatch.StartNew();
        for (int pass = 0; clock.Elapsed.TotalSeconds < seconds || ticks.Count < 100; pass++)
        {
            int first = pass * PassRows % 4096;
            long start = Stopwatch.GetTimestamp();
            for (int r = first; r < first + PassRows; r++) row(r);
            long elapsed = Stopwatch.GetTimestamp() - start;
            if (clock.Elapsed.TotalSeconds > seconds / 3) ticks.Add(elapsed);
        }
        ticks.Sort();
        return ticks[ticks.Count / 10] * 1e6 / Stopwatch.Frequency / PassRows;
    }

    /// <summary>µs per row of a pass over a view of <paramref name="rows"/> rows: the 10th percentile over 1 s (after 0.5 s warm-up).</summary>
    private static double SliceMicros(Action pass, int rows)
    {
        var ticks = new List<long>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < 1.5 || ticks.Count < 30)
        {
            long start = Stopwatch.GetTimestamp();
            pass();
            long elapsed = Stopwatch.GetTimestamp() - start;
            if (clock.Elapsed.TotalSeconds > 0.5) ticks.Add(elapsed);
        }
        ticks.Sort();
        return ticks[ticks.Count / 10] * 1e6 / Stopwatch.Frequency / rows;
    }

    private static void ConsumeFeatures(IDataView featurized)
    {
        var column = featurized.Schema["Features"];
        using var cursor = featurized.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> v = default;
        while (cursor.MoveNext()) getter(ref v);
    }
}
