using BnMlNet.Engine.Preprocessing;
namespace BnMlNet.Engine;

public sealed partial class DenseDataset
{
    /// <summary>The same rows with each label replaced by <paramref name="map"/>(label); features and weights are shared, not copied.</summary>
    internal DenseDataset MapLabels(Func<float, float> map)
    {
        var labels = new float[_labels.Length];
        for (int i = 0; i < labels.Length; i++) labels[i] = map(_labels[i]);
        return new DenseDataset(_features, labels, _weights, FeatureCount, TrainerOwnsArrays, _offset);
    }

    /// <summary>Feature <paramref name="feature"/> of row <paramref name="row"/> (storage order).</summary>
    internal float FeatureAt(int row, int feature) => _features[_offset + (long)row * FeatureCount + feature];

    /// <summary>A copy of the rows at <paramref name="rows"/> (ascending storage indices), in that order.</summary>
    internal DenseDataset Subset(IReadOnlyList<int> rows)
    {
        int f = FeatureCount;
        var x = new float[(long)rows.Count * f];
        var y = new float[rows.Count];
        var w = _weights is null ? null : new float[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            int r = rows[i];
            Array.Copy(_features, _offset + (long)r * f, x, (long)i * f, f);
            y[i] = _labels[r];
            if (w is not null) w[i] = _weights![r];
        }
        return new DenseDataset(x, y, w, f, owned: true);
    }

    /// <summary>
    /// Splits a dataset the trainer owns into two without copying its features: the rows of <paramref name="first"/>
    /// then those of <paramref name="second"/> (each ascending storage indices; together every row once) are
    /// rearranged inside this dataset's own array, by following the permutation's cycles with one row of scratch.
    /// Labels and weights are copied. This dataset is unusable afterwards.
    /// </summary>
    internal (DenseDataset First, DenseDataset Second) PartitionInPlace(int[] first, int[] second)
    {
        if (!TrainerOwnsArrays || _offset != 0) throw new InvalidOperationException("Only a whole dataset the trainer owns may be rearranged in place.");
        int n = _labels.Length, f = FeatureCount;
        if (first.Length + second.Length != n) throw new ArgumentException($"The two sides have {first.Length} + {second.Length} rows, the data {n}.");
        var source = new int[n];            // the row that ends up at position p
        first.CopyTo(source, 0);
        second.CopyTo(source, first.Length);
        var done = new bool[n];
        var row = new float[f];
        for (int start = 0; start < n; start++)
        {
            if (done[start]) continue;
            done[start] = true;
            if (source[start] == start) continue;
            Array.Copy(_features, (long)start * f, row, 0, f);
            int p = start;
            while (true)
            {
                int from = source[p];
                if (from == start)
                {
                    Array.Copy(row, 0, _features, (long)p * f, f);
                    break;
                }
                Array.Copy(_features, (long)from * f, _features, (long)p * f, f);
                done[from] = true;
                p = from;
            }
        }
        return (Side(first, 0), Side(second, first.Length));

        DenseDataset Side(int[] rows, int at)
        {
            var y = new float[rows.Length];
            var w = _weights is null ? null : new float[rows.Length];
            for (int i = 0; i < rows.Length; i++)
            {
                y[i] = _labels[rows[i]];
                if (w is not null) w[i] = _weights![rows[i]];
            }
            return new DenseDataset(_features, y, w, f, owned: true, offset: (long)at * f);
        }
    }

    /// <summary>
    /// The same rows with their features passed through <paramref name="preprocessor"/>; labels and weights shared. A
    /// dataset the trainer owns is preprocessed in place when the row width stays the same (no missing indicators),
    /// else into a new array.
    /// </summary>
    internal DenseDataset MapFeatures(FeaturePreprocessor preprocessor)
    {
        int rows = _labels.Length;
        if (TrainerOwnsArrays && preprocessor.OutputSize == FeatureCount)
        {
            preprocessor.ApplyRowsInPlace(_features.AsSpan((int)_offset, rows * FeatureCount), rows);
            return new DenseDataset(_features, _labels, _weights, FeatureCount, owned: true, _offset);
        }
        var x = new float[(long)rows * preprocessor.OutputSize];
        preprocessor.ApplyRows(_features.AsSpan((int)_offset, rows * FeatureCount), x, rows);
        return new DenseDataset(x, _labels, _weights, preprocessor.OutputSize, owned: true);
    }

    /// <summary>The same rows with each weight (1 when unweighted) multiplied by <paramref name="factorOf"/>(label); features and labels shared.</summary>
    internal DenseDataset MapWeights(Func<float, float> factorOf)
    {
        var w = new float[_labels.Length];
        for (int i = 0; i < w.Length; i++) w[i] = (_weights is null ? 1f : _weights[i]) * factorOf(_labels[i]);
        return new DenseDataset(_features, _labels, w, FeatureCount, TrainerOwnsArrays, _offset);
    }
}
