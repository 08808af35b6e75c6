using BnMlNet.Engine;
using BnMlNet.Samples.Datasets;

namespace BnMlNet.Samples.Experiments;

/// <summary>Rows as the engine takes them: features row-major, the class index as the label.</summary>
public sealed class Split
{
    /// <summary>Wraps the arrays (not copied).</summary>
    public Split(float[] features, float[] labels)
    {
        Features = features;
        Labels = labels;
        Dataset = new DenseDataset(features, labels, null, FashionMnist.PixelCount);
    }

    /// <summary>Rows × 784 pixels in [0, 1].</summary>
    public float[] Features { get; }
    /// <summary>Class index 0-9 per row.</summary>
    public float[] Labels { get; }
    /// <summary>Number of rows.</summary>
    public int Rows => Labels.Length;
    /// <summary>The rows as an engine data source.</summary>
    public DenseDataset Dataset { get; }

    /// <summary>The features of rows [start, start + count).</summary>
    public ReadOnlySpan<float> RowFeatures(int start, int count) =>
        Features.AsSpan(start * FashionMnist.PixelCount, count * FashionMnist.PixelCount);

    /// <summary>A seeded random sample of <paramref name="count"/> rows (all rows when count ≥ Rows), in sampled order.</summary>
    public Split Sample(int count, int seed)
    {
        if (count >= Rows) return this;
        var order = Enumerable.Range(0, Rows).ToArray();
        new Random(seed).Shuffle(order);
        int f = FashionMnist.PixelCount;
        var x = new float[count * f];
        var y = new float[count];
        for (int i = 0; i < count; i++)
        {
            Array.Copy(Features, order[i] * f, x, i * f, f);
            y[i] = Labels[order[i]];
        }
        return new Split(x, y);
    }

    /// <summary>Converts loader rows.</summary>
    public static Split From(IReadOnlyList<FashionMnistImage> images)
    {
        int f = FashionMnist.PixelCount;
        var x = new float[images.Count * f];
        var y = new float[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            images[i].Features.AsSpan(0, f).CopyTo(x.AsSpan(i * f));
            y[i] = images[i].ClassIndex;
        }
        return new Split(x, y);
    }
}

/// <summary>The Fashion-MNIST rows the experiments train and test on.</summary>
/// <param name="Train">Training rows (possibly a seeded sample of the split).</param>
/// <param name="Test">The whole test split.</param>
/// <param name="IsFull">True for Debian's full set, false for the data/ subset.</param>
/// <param name="SplitTrainRows">Rows of the training split before sampling.</param>
public sealed record ExperimentData(Split Train, Split Test, bool IsFull, int SplitTrainRows)
{
    /// <summary>One line for the report.</summary>
    public string Description =>
        $"Fashion-MNIST {(IsFull ? $"full set ({FashionMnist.FullDirectory})" : $"subset (data/{FashionMnist.SubsetDirectoryName})")}: " +
        $"{Train.Rows:N0} training rows" + (Train.Rows < SplitTrainRows ? $" (a seeded sample of the {SplitTrainRows:N0})" : "") +
        $", {Test.Rows:N0} test rows, pixels / 255";

    /// <summary>Loads the chosen copy; samples the training rows down to <paramref name="trainRows"/> when given.</summary>
    /// <exception cref="FileNotFoundException">The chosen copy is missing.</exception>
    public static ExperimentData Load(ExperimentDatasetChoice choice, int? trainRows, int seed)
    {
        var source = choice switch
        {
            ExperimentDatasetChoice.Full => FashionMnistSource.Full,
            ExperimentDatasetChoice.Subset => FashionMnistSource.Subset,
            _ => FashionMnistSource.FullIfAvailable,
        };
        string directory = DatasetRequirement.Require(FashionMnist.FindDirectory(source), FashionMnist.Describe(source));
        bool full = string.Equals(Path.GetFullPath(directory), Path.GetFullPath(FashionMnist.FullDirectory), StringComparison.Ordinal);
        var train = Split.From(FashionMnist.ReadSplit(FashionMnistSplit.Train, source, directory));
        var test = Split.From(FashionMnist.ReadSplit(FashionMnistSplit.Test, source, directory));
        return new ExperimentData(trainRows is int n ? train.Sample(n, seed) : train, test, full, train.Rows);
    }
}
