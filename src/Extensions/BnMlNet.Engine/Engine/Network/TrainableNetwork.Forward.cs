using BnMlNet.Engine.Layers;

namespace BnMlNet.Engine.Network;

// The forward pass: every block over a whole mini-batch, switching on where its batch norm sits.
internal sealed partial class TrainableNetwork
{
    /// <summary>
    /// Forward pass over <paramref name="rows"/> rows of x [rows×InputSize]; returns the raw outputs [rows×OutputSize].
    /// With <paramref name="stopAtBatchNormOf"/> = l ≥ 0 it stops once block l's batch-norm input is computed
    /// (returning an empty span); −1 stops before the input batch norm.
    /// </summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> x, int rows, ForwardMode mode, int stopAtBatchNormOf = int.MaxValue)
    {
        var ws = EnsureWorkspace(rows);
        _lastMode = mode;
        _lastRows = rows;
        var p = Parameters;
        ReadOnlySpan<float> input = x[..(rows * Spec.InputSize)];
        if (InputBatchNorm is not null)
        {
            if (stopAtBatchNormOf == -1) return default;
            ApplyBatchNorm(InputBatchNorm, ws.InputBatchNorm!, input, rows, mode);
            input = ws.InputBatchNorm!.Output.AsSpan(0, rows * Spec.InputSize);
        }
        if (Embedding is { } emb)
        {
            PeriodicEmbeddingWork.Forward(emb, ws.Embedding!, p, input, rows, Threads);
            input = ws.Embedding!.Output.AsSpan(0, rows * emb.OutputSize);
        }
        if (CategoricalEmbedding is { } cat)
        {
            CategoricalEmbeddingLayer.Forward(ws.Categorical!.Output, input, p.Value(cat.Table), cat.Layout, rows);
            input = ws.Categorical.Output.AsSpan(0, rows * cat.Layout.OutputWidth);
        }
        foreach (var layer in Layers)
        {
            var b = ws.Layers[layer.Index];
            int n = rows * layer.OutputSize;
            ReadOnlySpan<float> bias = layer.Bias is { } bs ? p.Value(bs) : default;
            if (layer.Groups > 1)
                BlockDenseLayer.Forward(b.Z, input, p.Value(layer.Weights), bias, rows, layer.InputSize, layer.OutputSize, layer.Groups, Threads);
            else
                DenseLayer.Forward(b.Z, input, p.Value(layer.Weights), bias, rows, layer.InputSize, layer.OutputSize, Threads);
            if (layer.IsOutput)
            {
                b.Output = b.Z;
                return b.Z.AsSpan(0, n);
            }
            float[] post;
            switch (layer.Placement)
            {
                case BatchNormPlacement.BeforeActivation:
                    if (stopAtBatchNormOf == layer.Index) return default;
                    ApplyBatchNorm(layer.BatchNorm!, b.BatchNorm!, b.Z.AsSpan(0, n), rows, mode);
                    ActivationWork.Forward(b.Activation.AsSpan(0, n), b.BatchNorm!.Output.AsSpan(0, n), layer.Activation, Spec.LeakyReluSlope, Threads);
                    post = b.Activation;
                    break;
                case BatchNormPlacement.AfterActivation:
                    ActivationWork.Forward(b.Activation.AsSpan(0, n), b.Z.AsSpan(0, n), layer.Activation, Spec.LeakyReluSlope, Threads);
                    if (stopAtBatchNormOf == layer.Index) return default;
                    ApplyBatchNorm(layer.BatchNorm!, b.BatchNorm!, b.Activation.AsSpan(0, n), rows, mode);
                    post = b.BatchNorm!.Output;
                    break;
                default:
                    ActivationWork.Forward(b.Activation.AsSpan(0, n), b.Z.AsSpan(0, n), layer.Activation, Spec.LeakyReluSlope, Threads);
                    post = b.Activation;
                    break;
            }
            if (layer.HasDropout && mode == ForwardMode.Train)
            {
                Dropout.Forward(b.Dropped.AsSpan(0, n), b.Mask, post.AsSpan(0, n), Spec.DropoutRate, _dropoutRng);
                post = b.Dropped;
            }
            b.Output = post;
            input = post.AsSpan(0, n);
        }
        throw new InvalidOperationException("The network has no output layer.");
    }

    private void ApplyBatchNorm(BatchNormState bn, BatchNormBuffers b, ReadOnlySpan<float> x, int rows, ForwardMode mode)
    {
        int n = rows * bn.Size;
        var gamma = Parameters.Value(bn.Gamma);
        var beta = Parameters.Value(bn.Beta);
        if (mode == ForwardMode.Inference)
        {
            BatchNormLayer.ForwardInference(b.Output.AsSpan(0, n), x, gamma, beta, bn.RunningMean, bn.RunningVariance, rows, bn.Size, Epsilon);
            return;
        }
        BatchNormWork.ForwardTrain(b.Output.AsSpan(0, n), b.Xhat.AsSpan(0, n), b.Mean, b.Variance, b.Rstd, x, gamma, beta,
            bn.RunningMean, bn.RunningVariance, updateRunning: mode == ForwardMode.Train && rows >= 2, rows, bn.Size, Epsilon, Momentum, Threads);
    }
}
