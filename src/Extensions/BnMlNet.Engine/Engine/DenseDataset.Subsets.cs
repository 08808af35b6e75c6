using BnMlNet.Engine.Preprocessing;
namespace BnMlNet.Engine;

public sealed partial class DenseDataset
{
    /// <summary>The same rows with each label replaced by <paramref name="map"/>(label); features and weights are shared, not copied.</summary>
    internal DenseDataset MapLabels(Func<float, float> map)
    {
        var labels = new float[_labels.Length];
        for (int i = 0; i < labels.Length; i++) labels[i] = map(_labels[i]);
        return new DenseDataset(_features, labels, _weights, FeatureCount, TrainerOwnsArrays);
    }

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
            Array.Copy(_features, (long)r * f, x, (long)i * f, f);
            y[i] = _labels[r];
            if (w is not null) w[i] = _weights![r];
        }
        return new DenseDataset(x, y, w, f, owned: true);
    }

    /// <summary>
    /// The rows at <paramref name="rows"/> (ascending storage indices), in that order, moved to the front of this
    /// dataset's own feature array (row rows[i] ≥ i, so each move goes forward and never overwrites a row still to be
    /// moved); labels and weights are copied. Only for a dataset the trainer owns: this one is unusable afterwards.
    /// </summary>
    internal DenseDataset CompactInPlace(IReadOnlyList<int> rows)
    {
        if (!TrainerOwnsArrays) throw new InvalidOperationException("Only a dataset the trainer owns may be compacted in place.");
        int f = FeatureCount;
        var y = new float[rows.Count];
        var w = _weights is null ? null : new float[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            int r = rows[i];
            if (r < i || (i > 0 && r <= rows[i - 1])) throw new ArgumentException("The rows must be ascending storage indices.", nameof(rows));
            if (r != i) Array.Copy(_features, (long)r * f, _features, (long)i * f, f);
            y[i] = _labels[r];
            if (w is not null) w[i] = _weights![r];
        }
        return new DenseDataset(_features, y, w, f, owned: true);
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
            preprocessor.ApplyRowsInPlace(_features, rows);
            return new DenseDataset(_features, _labels, _weights, FeatureCount, owned: true);
        }
        var x = new float[(long)rows * preprocessor.OutputSize];
        preprocessor.ApplyRows(_features, x, rows);
        return new DenseDataset(x, _labels, _weights, preprocessor.OutputSize, owned: true);
    }

    /// <summary>The same rows with each weight (1 when unweighted) multiplied by <paramref name="factorOf"/>(label); features and labels shared.</summary>
    internal DenseDataset MapWeights(Func<float, float> factorOf)
    {
        var w = new float[_labels.Length];
        for (int i = 0; i < w.Length; i++) w[i] = (_weights is null ? 1f : _weights[i]) * factorOf(_labels[i]);
        return new DenseDataset(_features, _labels, w, FeatureCount, TrainerOwnsArrays);
    }
}
