using BnMlNet.Engine.Losses;
using BnMlNet.Engine.Network;

namespace BnMlNet.Engine.Training;

/// <summary>Loss and metric of a network on a data set, in inference mode (frozen statistics, no dropout).</summary>
internal static class Evaluation
{
    /// <summary>Returns the (weighted) mean loss and the metric (accuracy or RMSE).</summary>
    public static (double Loss, double Metric) Evaluate(TrainableNetwork network, LossKind loss, IMiniBatchSource data,
        int batchSize, CancellationToken cancellationToken)
    {
        double lossSum = 0, lossWeight = 0, metricSum = 0, metricWeight = 0;
        int members = network.EnsembleSize, k = network.Spec.OutputSize / members;
        float[] combined = [];
        foreach (var batch in data.GetBatches(batchSize, null))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (batch.Rows == 0) continue;
            ReadOnlySpan<float> weights = batch.Weights is { } w ? w.Span : default;
            ReadOnlySpan<float> outputs = network.Forward(batch.Features.Span, batch.Rows, ForwardMode.Inference);
            if (members > 1)
            {
                if (combined.Length < batch.Rows * k) combined = new float[batch.Rows * k];
                Ensembles.EnsembleCombiner.Combine(network.Combination, outputs, batch.Rows, members, k, combined);
                outputs = combined.AsSpan(0, batch.Rows * k);
            }
            double l = LossFunction.Forward(loss, outputs, batch.Labels.Span, weights, batch.Rows, k, out double ws);
            lossSum += l * ws;
            lossWeight += ws;
            LossFunction.AccumulateMetric(loss, outputs, batch.Labels.Span, weights, batch.Rows, k, ref metricSum, ref metricWeight);
        }
        return (lossWeight > 0 ? lossSum / lossWeight : double.NaN, LossFunction.FinishMetric(loss, metricSum, metricWeight));
    }
}
