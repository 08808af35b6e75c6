using BnMlNet.Engine.Network;

namespace BnMlNet.Engine.Training;

/// <summary>
/// "Precise BN" (Ioffe &amp; Szegedy 2015, Algorithm 2, computed exactly): with the weights frozen, each batch norm's
/// mean and variance are recomputed over the whole data set, one layer after the other, so that layer L's inputs
/// are computed in inference mode with every earlier batch norm already holding its final population statistics.
/// The stored variance is the unbiased N/(N − 1)·σ² over all N rows (PyTorch's running_var convention).
/// </summary>
internal static class PopulationStatistics
{
    public static void Recompute(TrainableNetwork network, IMiniBatchSource data, int batchSize, CancellationToken cancellationToken)
    {
        if (network.InputBatchNorm is { } ib)
            RecomputeOne(network, ib, -1, data, batchSize, cancellationToken);
        if (network.EmbeddingBatchNorm is { } eb)
            RecomputeOne(network, eb, TrainableNetwork.EmbeddingBatchNormStop, data, batchSize, cancellationToken);
        foreach (var layer in network.Layers)
            if (layer.BatchNorm is { } bn)
                RecomputeOne(network, bn, layer.Index, data, batchSize, cancellationToken);
    }

    private static void RecomputeOne(TrainableNetwork network, BatchNormState bn, int layer, IMiniBatchSource data,
        int batchSize, CancellationToken cancellationToken)
    {
        int c = bn.Size;
        var mean = new double[c];
        var m2 = new double[c];
        var bMean = new double[c];
        var bM2 = new double[c];
        long n = 0;
        foreach (var batch in data.GetBatches(batchSize, null))
        {
            cancellationToken.ThrowIfCancellationRequested();
            int rows = batch.Rows;
            if (rows == 0) continue;
            ReadOnlySpan<float> x = batch.Features.Span;
            ReadOnlySpan<float> v;
            if (layer == -1) v = x[..(rows * c)];
            else if (layer == TrainableNetwork.EmbeddingBatchNormStop)
            {
                network.Forward(x, rows, ForwardMode.Inference, stopAtBatchNormOf: layer);
                v = network.EmbeddingBatchNormInput();
            }
            else
            {
                network.Forward(x, rows, ForwardMode.Inference, stopAtBatchNormOf: layer);
                v = network.BatchNormInput(layer);
            }
            // the batch's mean and sum of squared deviations, two-pass in double
            Array.Clear(bMean);
            Array.Clear(bM2);
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < c; j++) bMean[j] += v[r * c + j];
            for (int j = 0; j < c; j++) bMean[j] /= rows;
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < c; j++) { double d = v[r * c + j] - bMean[j]; bM2[j] += d * d; }
            // Chan et al.'s merge: δ = μ_b − μ; μ += δ·n_b/(n + n_b); M2 += M2_b + δ²·n·n_b/(n + n_b)
            long total = n + rows;
            for (int j = 0; j < c; j++)
            {
                double delta = bMean[j] - mean[j];
                mean[j] += delta * rows / total;
                m2[j] += bM2[j] + delta * delta * ((double)n * rows / total);
            }
            n = total;
        }
        if (n == 0) return;
        for (int j = 0; j < c; j++)
        {
            bn.RunningMean[j] = (float)mean[j];
            bn.RunningVariance[j] = (float)(n > 1 ? m2[j] / (n - 1) : 0.0);
        }
    }
}
