using BnMlNet.Engine.Preprocessing;
namespace BnMlNet.Engine;

public sealed partial class DenseDataset
{
    /// <summary>The same rows with each label replaced by <paramref name="map"/>(label); features and weights are shared, not copied.</summary>
    internal DenseDataset MapLabels(Func<float, float> map)
    {
        var labels = new float[_labels.Length];
        for (int i = 0; i < labels.Length; i++) labels[i] = map(_labels[i]);
        return new DenseDataset(_features, labels, _weights, FeatureCount);
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
        return new DenseDataset(x, y, w, f);
    }

    /// <summary>The same rows with their features passed through <paramref name="preprocessor"/> (a new array); labels and weights shared.</summary>
    internal DenseDataset MapFeatures(FeaturePreprocessor preprocessor)
    {
        int rows = _labels.Length;
        var x = new float[(long)rows * preprocessor.OutputSize];
        preprocessor.ApplyRows(_features, x, rows);
        return new DenseDataset(x, _labels, _weights, preprocessor.OutputSize);
    }

    /// <summary>The same rows with each weight (1 when unweighted) multiplied by <paramref name="factorOf"/>(label); features and labels shared.</summary>
    internal DenseDataset MapWeights(Func<float, float> factorOf)
    {
        var w = new float[_labels.Length];
        for (int i = 0; i < w.Length; i++) w[i] = (_weights is null ? 1f : _weights[i]) * factorOf(_labels[i]);
        return new DenseDataset(_features, _labels, w, FeatureCount);
    }
}
