namespace BnMlNet.Engine.Training;

/// <summary>
/// Splits a training source into the rows trained on and a seeded validation hold-out. Cached data
/// (<see cref="DenseDataset"/>) gets exactly round(N·f) validation rows drawn by a seeded permutation, each side kept in
/// storage order; any other source (streamed data) sends each row by a seeded hash of its feature, label and weight
/// bits, so the split needs no row identity and costs one counting pass.
/// </summary>
internal static class HoldOut
{
    /// <exception cref="ArgumentException">The fraction leaves fewer than 2 rows on either side.</exception>
    public static (IMiniBatchSource Train, IMiniBatchSource Validation) Split(IMiniBatchSource data, double fraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data is DenseDataset dense) return SplitDense(dense, fraction, seed);
        var train = new HashedSide(data, fraction, seed, validationSide: false);
        var valid = new HashedSide(data, fraction, seed, validationSide: true);
        long counted = valid.Count();
        train.RowCount = data.RowCount - counted;
        valid.RowCount = counted;
        Check(data.RowCount, train.RowCount, valid.RowCount, fraction);
        return (train, valid);
    }

    private static (IMiniBatchSource, IMiniBatchSource) SplitDense(DenseDataset data, double fraction, int seed)
    {
        int n = checked((int)data.RowCount);
        int v = (int)Math.Round(n * fraction, MidpointRounding.AwayFromZero);
        Check(n, n - v, v, fraction);
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var rng = new Random(Mix(seed));
        for (int i = n - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var valid = order.AsSpan(0, v).ToArray();
        var train = order.AsSpan(v).ToArray();
        Array.Sort(valid);
        Array.Sort(train);
        // A dataset the trainer owns keeps both sides in its own array (training rows first): the features are then
        // held once rather than twice.
        if (data.TrainerOwnsArrays) return data.PartitionInPlace(train, valid);
        return (data.Subset(train), data.Subset(valid));
    }

    private static void Check(long total, long train, long valid, double fraction)
    {
        if (train < 2 || valid < 2)
            throw new ArgumentException(
                $"ValidationFraction {fraction} of {total} training rows leaves {train} row(s) to train on and {valid} to validate on; " +
                "each side needs at least 2. Pass a validation set to Fit, use more rows, or set ValidationFraction = 0.");
    }

    /// <summary>A seed for the hold-out that differs from the shuffle's stream drawn from the same seed.</summary>
    private static int Mix(int seed) => unchecked((int)(SplitMix((ulong)(uint)seed ^ 0x5851F42D4C957F2DUL) >> 33));

    private static ulong SplitMix(ulong z)
    {
        z = unchecked(z + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>One side of a hash split over a source that is read again on each pass.</summary>
    private sealed class HashedSide(IMiniBatchSource inner, double fraction, int seed, bool validationSide) : IMiniBatchSource
    {
        private readonly ulong _threshold = (ulong)(fraction * (1UL << 53));
        private readonly ulong _seed = SplitMix((ulong)(uint)seed ^ 0xD1B54A32D192ED03UL);

        public int FeatureCount => inner.FeatureCount;
        public long RowCount { get; set; }

        public long Count()
        {
            long count = 0;
            foreach (var b in inner.GetBatches(4096, null))
                for (int i = 0; i < b.Rows; i++)
                    if (IsValidation(b, i)) count++;
            return count;
        }

        private bool IsValidation(in MiniBatch b, int row)
        {
            int f = FeatureCount;
            ulong h = _seed;
            var x = b.Features.Span.Slice(row * f, f);
            for (int j = 0; j < f; j++) h = SplitMix(h ^ BitConverter.SingleToUInt32Bits(x[j]));
            h = SplitMix(h ^ BitConverter.SingleToUInt32Bits(b.Labels.Span[row]));
            if (b.Weights is { } w) h = SplitMix(h ^ BitConverter.SingleToUInt32Bits(w.Span[row]));
            return (h >> 11) < _threshold;
        }

        public IEnumerable<MiniBatch> GetBatches(int batchSize, Random? shuffle)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
            int f = FeatureCount;
            var xs = new float[batchSize * f];
            var ys = new float[batchSize];
            float[]? ws = null;
            int rows = 0;
            foreach (var b in inner.GetBatches(batchSize, shuffle))
            {
                for (int i = 0; i < b.Rows; i++)
                {
                    if (IsValidation(b, i) != validationSide) continue;
                    b.Features.Span.Slice(i * f, f).CopyTo(xs.AsSpan(rows * f));
                    ys[rows] = b.Labels.Span[i];
                    if (b.Weights is { } w) (ws ??= new float[batchSize])[rows] = w.Span[i];
                    if (++rows == batchSize)
                    {
                        yield return Batch(rows, xs, ys, ws);
                        rows = 0;
                    }
                }
            }
            if (rows > 0) yield return Batch(rows, xs, ys, ws);
        }

        private static MiniBatch Batch(int rows, float[] xs, float[] ys, float[]? ws) =>
            new(rows, xs.AsMemory(0, rows * (xs.Length / ys.Length)), ys.AsMemory(0, rows),
                ws is null ? (ReadOnlyMemory<float>?)null : ws.AsMemory(0, rows));
    }
}
