namespace BnMlNet.Engine.Preprocessing;

/// <summary>
/// Learns a <see cref="FeaturePreprocessor"/> from one in-order pass over the training rows: a seeded reservoir sample of
/// at most <see cref="PreprocessingSettings.MaximumSampleRows"/> rows (and <see cref="PreprocessingSettings.MaximumSampleValues"/> values) for the quantiles, and
/// a count of NaN per feature over every row for the missing indicators. Memory is bounded, so streamed data works.
/// </summary>
public static class PreprocessorFitter
{
    /// <summary>Fits on <paramref name="data"/> (NaN and ±∞ allowed in features; they never enter the statistics).</summary>
    public static FeaturePreprocessor Fit(IMiniBatchSource data, PreprocessingSettings settings, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        int f = data.FeatureCount;
        // No more room than there are rows (a smaller reservoir than the bound changes nothing: it fills without a draw).
        long bound = Math.Min(settings.MaximumSampleRows, settings.MaximumSampleValues / f);
        if (data.RowCount > 0) bound = Math.Min(bound, data.RowCount);
        int capacity = (int)Math.Max(2, bound);
        // Cached rows stay where they are: the reservoir then holds row indices, not a copy of the values (the same
        // draws pick the same rows, so the statistics are the same bits).
        var dense = data as DenseDataset;
        var sample = dense is null ? new float[(long)capacity * f] : [];
        var picked = dense is null ? [] : new int[capacity];
        var missing = new long[f];
        var rng = new Random(seed);
        long seen = 0;
        foreach (var b in data.GetBatches(4096, null))
        {
            var x = b.Features.Span;
            for (int r = 0; r < b.Rows; r++)
            {
                var row = x.Slice(r * f, f);
                for (int j = 0; j < f; j++) if (float.IsNaN(row[j])) missing[j]++;
                long slot = seen < capacity ? seen : rng.NextInt64(seen + 1);
                if (slot < capacity)
                {
                    if (dense is null) row.CopyTo(sample.AsSpan((int)slot * f, f));
                    else picked[slot] = (int)seen;
                }
                seen++;
            }
        }
        int rows = (int)Math.Min(seen, capacity);
        var fill = new float[f];
        var min = new float[f];
        var max = new float[f];
        var center = new float[f];
        var inv = new float[f];
        var column = new float[rows];
        bool robust = settings.Scaling == NumericScaling.Robust;
        bool quantile = settings.Scaling == NumericScaling.Quantile;
        var knots = quantile ? new (float X, float Y)[f][] : null;
        for (int j = 0; j < f; j++)
        {
            int count = 0;
            for (int r = 0; r < rows; r++)
            {
                float v = dense is null ? sample[(long)r * f + j] : dense.FeatureAt(picked[r], j);
                if (float.IsFinite(v)) column[count++] = v;
            }
            inv[j] = 1f;
            if (knots is not null) knots[j] = [(0f, 0f)];
            if (count == 0) continue;   // no finite value seen: everything maps to 0
            var values = column.AsSpan(0, count);
            // The quantile map reads every rank: a full sort (the same order statistics, bit for bit).
            if (quantile) values.Sort();
            else OrderStatistics.Select(values, Ranks(count, robust), Kernels.ReferencePaths.Enabled);
            min[j] = values[0];
            max[j] = values[^1];
            fill[j] = Quantile(values, 0.5);
            if (knots is not null) knots[j] = QuantileMap.Fit(values, rows);
            if (!robust) continue;
            center[j] = fill[j];
            double spread = (double)Quantile(values, 0.75) - Quantile(values, 0.25);
            if (!(spread > 0)) spread = ((double)max[j] - min[j]) / 2;   // a zero IQR (mostly one value): half the range
            double inverse = spread > 0 ? 1 / spread : 1;                // a constant feature: left at scale 1
            inv[j] = double.IsFinite(inverse) && inverse <= float.MaxValue ? (float)inverse : 1f;
        }
        var indicators = Enumerable.Range(0, f).Where(j => missing[j] > 0).ToArray();
        return new FeaturePreprocessor(fill, min, max, center, inv, indicators, smoothClip: robust,
            knots is null ? null : new QuantileMap(knots));
    }

    /// <summary>The ranks <see cref="Fit"/> reads of <paramref name="count"/> sorted values: the ends and each quantile's two neighbours.</summary>
    private static int[] Ranks(int count, bool robust)
    {
        var ranks = new List<int> { 0, count - 1 };
        foreach (double q in robust ? [0.25, 0.5, 0.75] : (double[])[0.5])
        {
            int lo = (int)Math.Floor((count - 1) * q);
            ranks.Add(lo);
            ranks.Add(Math.Min(lo + 1, count - 1));
        }
        return [.. ranks];
    }

    /// <summary>The q-quantile of sorted values (only the ranks <see cref="Ranks"/> names need be in place), linearly interpolated (type 7, as NumPy's default).</summary>
    private static float Quantile(ReadOnlySpan<float> sorted, double q)
    {
        double h = (sorted.Length - 1) * q;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return (float)(sorted[lo] + (h - lo) * ((double)sorted[hi] - sorted[lo]));
    }
}

/// <summary>An <see cref="IMiniBatchSource"/> whose rows pass through a <see cref="FeaturePreprocessor"/>.</summary>
internal sealed class PreprocessedSource(IMiniBatchSource inner, FeaturePreprocessor preprocessor) : IMiniBatchSource
{
    public int FeatureCount => preprocessor.OutputSize;
    public long RowCount => inner.RowCount;

    public IEnumerable<MiniBatch> GetBatches(int batchSize, Random? shuffle)
    {
        float[] buffer = [];
        foreach (var b in inner.GetBatches(batchSize, shuffle))
        {
            int need = b.Rows * preprocessor.OutputSize;
            if (buffer.Length < need) buffer = new float[Math.Max(need, batchSize * preprocessor.OutputSize)];
            preprocessor.ApplyRows(b.Features.Span, buffer, b.Rows);
            yield return b with { Features = buffer.AsMemory(0, need) };
        }
    }

    /// <summary>Cached data is preprocessed once, into a new <see cref="DenseDataset"/>.</summary>
    public static IMiniBatchSource Over(IMiniBatchSource data, FeaturePreprocessor preprocessor) =>
        data is DenseDataset dense ? dense.MapFeatures(preprocessor) : new PreprocessedSource(data, preprocessor);
}
