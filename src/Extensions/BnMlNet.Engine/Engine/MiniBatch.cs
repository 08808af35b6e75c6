namespace BnMlNet.Engine;

/// <summary>A mini-batch of rows. The buffers may be reused by the source once the next batch is requested.</summary>
/// <param name="Rows">Number of rows.</param>
/// <param name="Features">Rows×FeatureCount values, row-major.</param>
/// <param name="Labels">One label per row: 0/1 (binary), the class index (multiclass), the value (regression).</param>
/// <param name="Weights">One non-negative weight per row, or null for unweighted.</param>
public readonly record struct MiniBatch(int Rows, ReadOnlyMemory<float> Features, ReadOnlyMemory<float> Labels, ReadOnlyMemory<float>? Weights);

/// <summary>Where training and validation rows come from.</summary>
public interface IMiniBatchSource
{
    /// <summary>Features per row.</summary>
    int FeatureCount { get; }
    /// <summary>Total rows.</summary>
    long RowCount { get; }
    /// <summary>
    /// One pass over all rows in batches of <paramref name="batchSize"/> (the last may be smaller), in storage order or,
    /// with <paramref name="shuffle"/>, in a random permutation drawn from it. Buffers may be reused between batches.
    /// </summary>
    IEnumerable<MiniBatch> GetBatches(int batchSize, Random? shuffle);
}
