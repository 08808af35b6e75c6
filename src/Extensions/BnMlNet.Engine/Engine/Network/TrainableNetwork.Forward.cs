using System.Buffers;
using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Layers;

namespace BnMlNet.Engine.Network;

// The forward pass: every block over a whole mini-batch, switching on where its batch norm sits.
internal sealed partial class TrainableNetwork
{
    /// <summary>
    /// Forward pass over <paramref name="rows"/> rows of x [rows×InputSize]; returns the raw outputs [rows×OutputSize].
    /// With <paramref name="stopAtBatchNormOf"/> = l ≥ 0 it stops once block l's batch-norm input is computed
    /// (returning an empty span); −1 stops before the input batch norm, <see cref="EmbeddingBatchNormStop"/> once the
    /// embeddings' batch norm's input is gathered.
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
        if (EmbeddingBatchNorm is { } ebn)
        {
            if (stopAtBatchNormOf == EmbeddingBatchNormStop)
            {
                GatherNormalized(ws.EmbeddingNorm!, input, rows);
                return default;
            }
            input = NormalizeEmbedding(ebn, ws.EmbeddingNorm!, input, rows, mode);
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
            bool dropout = layer.HasDropout && mode == ForwardMode.Train;
            if (IsFused(layer, rows, mode != ForwardMode.Inference))
            {
                if (stopAtBatchNormOf == layer.Index) return default;
                post = FusedBlock(layer, b, rows, mode, dropout);
                b.Output = post;
                input = post.AsSpan(0, n);
                continue;
            }
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
            if (dropout)
            {
                Dropout.Forward(b.Dropped.AsSpan(0, n), b.Mask, post.AsSpan(0, n), Spec.DropoutRate, _dropoutRng);
                post = b.Dropped;
            }
            b.Output = post;
            input = post.AsSpan(0, n);
        }
        throw new InvalidOperationException("The network has no output layer.");
    }

    /// <summary>
    /// Whether block <paramref name="layer"/> runs as one fused pass (<see cref="FusedPasses"/>): batch norm before a
    /// ReLU, batch statistics; on several threads (<see cref="FusedWork"/>) where batch norm's passes would be split.
    /// </summary>
    private bool IsFused(LayerState layer, int rows, bool batchStatistics)
        => batchStatistics && !ReferencePaths.Enabled && layer.Placement == BatchNormPlacement.BeforeActivation
            && layer.Activation == Activation.Relu;

    /// <summary>Batch norm (batch statistics) → ReLU → dropout of one block in one pass over its rows; returns its output buffer.</summary>
    private float[] FusedBlock(LayerState layer, LayerBuffers b, int rows, ForwardMode mode, bool dropout)
    {
        var bn = layer.BatchNorm!;
        var bb = b.BatchNorm!;
        int c = layer.OutputSize;
        if (BatchNormWork.IsParallel(rows, c, Threads))
        {
            FusedWork.Forward(bb.Output, bb.Xhat, b.Activation, b.Dropped, b.Mask, b.Z.AsSpan(0, rows * c), bb.Mean, bb.Variance, bb.Rstd,
                Parameters.Value(bn.Gamma), Parameters.Value(bn.Beta), bn.RunningMean, bn.RunningVariance,
                updateRunning: mode == ForwardMode.Train && rows >= 2, rows, c, Epsilon, Momentum, dropout ? _dropoutRng : null,
                Spec.DropoutRate, Threads);
            return dropout ? b.Dropped : b.Activation;
        }
        double[] centre = ArrayPool<double>.Shared.Rent(c);
        try
        {
            BatchNormPasses.Statistics(centre, bb.Mean, bb.Variance, bb.Rstd, b.Z.AsSpan(0, rows * c), rows, c, Epsilon, 0, c);
            if (mode == ForwardMode.Train && rows >= 2)
                BatchNormLayer.UpdateRunning(bn.RunningMean, bn.RunningVariance, bb.Mean, bb.Variance, rows, Momentum);
            FusedPasses.NormalizeReluDropout(bb.Output, bb.Xhat, b.Activation, b.Dropped, b.Mask, b.Z.AsSpan(0, rows * c), centre,
                bb.Rstd, Parameters.Value(bn.Gamma), Parameters.Value(bn.Beta), rows, c, dropout ? _dropoutRng : null, Spec.DropoutRate);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(centre);
        }
        return dropout ? b.Dropped : b.Activation;
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
