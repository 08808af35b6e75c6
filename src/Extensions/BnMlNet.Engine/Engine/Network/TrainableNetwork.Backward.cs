using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Layers;

namespace BnMlNet.Engine.Network;

// The backward pass for the last forward pass, block by block from the output.
internal sealed partial class TrainableNetwork
{
    /// <summary>
    /// Backward pass for the last forward pass (which must have used batch statistics): fills
    /// <see cref="ParameterBuffer.Gradients"/> (overwritten, not accumulated) from ∂L/∂outputs.
    /// <paramref name="x"/> is the same input the forward pass got.
    /// </summary>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dOutputs)
    {
        if (_lastMode == ForwardMode.Inference)
            throw new InvalidOperationException("Backward needs a forward pass with batch statistics.");
        var ws = _workspace!;
        var p = Parameters;
        int rows = _lastRows;
        ReadOnlySpan<float> dOut = dOutputs[..(rows * Spec.OutputSize)];
        for (int l = Layers.Length - 1; l >= 0; l--)
        {
            var layer = Layers[l];
            var b = ws.Layers[l];
            ReadOnlySpan<float> dz = layer.IsOutput ? dOut
                : IsFused(layer, rows, batchStatistics: true) ? FusedBlockBackward(layer, b, dOut, rows)
                : BlockBackward(layer, b, dOut, rows);
            ReadOnlySpan<float> layerInput = l > 0
                ? ws.Layers[l - 1].Output.AsSpan(0, rows * layer.InputSize)
                : ws.EmbeddingNorm is { } en ? NormalizedEmbedding(en, rows)
                : CategoricalEmbedding is not null ? ws.Categorical!.Output.AsSpan(0, rows * layer.InputSize)
                : Embedding is not null ? ws.Embedding!.Output.AsSpan(0, rows * layer.InputSize)
                : InputBatchNorm is not null ? ws.InputBatchNorm!.Output.AsSpan(0, rows * layer.InputSize) : x[..(rows * layer.InputSize)];
            Span<float> dx = l > 0
                ? ws.Layers[l - 1].OutputGradient.AsSpan(0, rows * layer.InputSize)
                : ws.EmbeddingNorm is not null ? ws.EmbeddingNorm.OutputGradient.AsSpan(0, rows * layer.InputSize)
                : CategoricalEmbedding is not null ? ws.Categorical!.OutputGradient.AsSpan(0, rows * layer.InputSize)
                : Embedding is not null ? ws.Embedding!.OutputGradient.AsSpan(0, rows * layer.InputSize)
                : InputBatchNorm is not null ? ws.InputGradient.AsSpan(0, rows * layer.InputSize) : default;
            Span<float> dBias = layer.Bias is { } bs ? p.Gradient(bs) : default;
            if (layer.Groups > 1)
                BlockDenseLayer.Backward(dx, p.Gradient(layer.Weights), dBias, dz, layerInput, p.Value(layer.Weights),
                    rows, layer.InputSize, layer.OutputSize, layer.Groups, Threads);
            else
                DenseLayer.Backward(dx, p.Gradient(layer.Weights), dBias, dz, layerInput, p.Value(layer.Weights),
                    rows, layer.InputSize, layer.OutputSize, Threads);
            dOut = dx;
        }
        if (EmbeddingBatchNorm is { } ebn)
        {
            // ∂L/∂(the embeddings' output): the categorical embedding's when it is on (it comes last), else the numerical one's.
            int w = Layers[0].InputSize;
            Span<float> dEmbedded = CategoricalEmbedding is not null ? ws.Categorical!.OutputGradient.AsSpan(0, rows * w)
                : ws.Embedding!.OutputGradient.AsSpan(0, rows * w);
            EmbeddingNormBackward(ebn, ws.EmbeddingNorm!, dEmbedded, rows);
            dOut = dEmbedded;
        }
        if (CategoricalEmbedding is { } cat)
        {
            // Its input is the numerical embedding's output, the input batch norm's, or the features themselves.
            int w = cat.Layout.InputWidth;
            ReadOnlySpan<float> u = Embedding is not null ? ws.Embedding!.Output.AsSpan(0, rows * w)
                : InputBatchNorm is not null ? ws.InputBatchNorm!.Output.AsSpan(0, rows * w) : x[..(rows * w)];
            Span<float> du = Embedding is not null ? ws.Embedding!.OutputGradient.AsSpan(0, rows * w)
                : InputBatchNorm is not null ? ws.InputGradient.AsSpan(0, rows * w) : default;
            CategoricalEmbeddingLayer.Backward(du, p.Gradient(cat.Table), ws.Categorical!.OutputGradient.AsSpan(0, rows * cat.Layout.OutputWidth),
                u, p.Value(cat.Table), cat.Layout, rows);
            dOut = du;
        }
        if (Embedding is { } emb)
        {
            // The embedding's input is the input batch norm's output, or the features themselves.
            ReadOnlySpan<float> embeddingInput = InputBatchNorm is not null
                ? ws.InputBatchNorm!.Output.AsSpan(0, rows * Spec.InputSize) : x[..(rows * Spec.InputSize)];
            Span<float> dEmbeddingInput = InputBatchNorm is not null ? ws.InputGradient.AsSpan(0, rows * Spec.InputSize) : default;
            PeriodicEmbeddingWork.Backward(emb, ws.Embedding!, p, embeddingInput, dEmbeddingInput, rows, Threads);
            dOut = dEmbeddingInput;
        }
        if (InputBatchNorm is { } ib)
        {
            var bb = ws.InputBatchNorm!;
            // Nothing takes the gradient of the features themselves: γ and β only (the reference path still computes it).
            Span<float> unused = ReferencePaths.Enabled ? ws.Scratch1.AsSpan(0, rows * ib.Size) : default;
            BatchNormWork.Backward(unused, p.Gradient(ib.Gamma), p.Gradient(ib.Beta),
                dOut, bb.Xhat, p.Value(ib.Gamma), bb.Rstd, rows, ib.Size, Threads);
        }
    }

    /// <summary>∂L/∂Z of a hidden block fused by <see cref="IsFused"/>: dropout, ReLU and batch norm's two sums in one pass, then batch norm's dx pass.</summary>
    private ReadOnlySpan<float> FusedBlockBackward(LayerState layer, LayerBuffers b, ReadOnlySpan<float> dOut, int rows)
    {
        var ws = _workspace!;
        var p = Parameters;
        var bb = b.BatchNorm!;
        var bn = layer.BatchNorm!;
        int n = rows * layer.OutputSize;
        bool dropout = layer.HasDropout && _lastMode == ForwardMode.Train;
        Span<float> g = ws.Scratch2.AsSpan(0, n), dz = ws.Scratch3.AsSpan(0, n), dGamma = p.Gradient(bn.Gamma), dBeta = p.Gradient(bn.Beta);
        if (BatchNormWork.IsParallel(rows, layer.OutputSize, Threads))
        {
            FusedWork.Backward(dz, g, dGamma, dBeta, dOut, dropout ? b.Mask.AsSpan(0, n) : default, bb.Output.AsSpan(0, n), bb.Xhat.AsSpan(0, n),
                p.Value(bn.Gamma), bb.Rstd, rows, layer.OutputSize, Threads);
            return dz;
        }
        FusedPasses.MaskReluGradientSums(g, dGamma, dBeta, dOut, dropout ? b.Mask.AsSpan(0, n) : default,
            bb.Output.AsSpan(0, n), bb.Xhat.AsSpan(0, n), rows, layer.OutputSize);
        BatchNormPasses.InputGradient(dz, g, bb.Xhat, p.Value(bn.Gamma), bb.Rstd, dGamma, dBeta, rows, layer.OutputSize, 0, rows);
        return dz;
    }

    /// <summary>∂L/∂Z of a hidden block from ∂L/∂(its output): dropout, then activation and batch norm in their order.</summary>
    private ReadOnlySpan<float> BlockBackward(LayerState layer, LayerBuffers b, ReadOnlySpan<float> dOut, int rows)
    {
        var ws = _workspace!;
        var p = Parameters;
        int n = rows * layer.OutputSize;
        ReadOnlySpan<float> d = dOut;
        if (layer.HasDropout && _lastMode == ForwardMode.Train)
        {
            Dropout.Backward(ws.Scratch1.AsSpan(0, n), d, b.Mask);
            d = ws.Scratch1.AsSpan(0, n);
        }
        var bn = layer.BatchNorm;
        var bb = b.BatchNorm;
        Span<float> s2 = ws.Scratch2.AsSpan(0, n), s3 = ws.Scratch3.AsSpan(0, n);
        switch (layer.Placement)
        {
            case BatchNormPlacement.BeforeActivation:
                ActivationWork.Backward(s2, d, bb!.Output.AsSpan(0, n), b.Activation.AsSpan(0, n), layer.Activation, Spec.LeakyReluSlope, Threads);
                BatchNormWork.Backward(s3, p.Gradient(bn!.Gamma), p.Gradient(bn.Beta), s2, bb.Xhat, p.Value(bn.Gamma), bb.Rstd, rows, layer.OutputSize, Threads);
                break;
            case BatchNormPlacement.AfterActivation:
                BatchNormWork.Backward(s2, p.Gradient(bn!.Gamma), p.Gradient(bn.Beta), d, bb!.Xhat, p.Value(bn.Gamma), bb.Rstd, rows, layer.OutputSize, Threads);
                ActivationWork.Backward(s3, s2, b.Z.AsSpan(0, n), b.Activation.AsSpan(0, n), layer.Activation, Spec.LeakyReluSlope, Threads);
                break;
            default:
                ActivationWork.Backward(s3, d, b.Z.AsSpan(0, n), b.Activation.AsSpan(0, n), layer.Activation, Spec.LeakyReluSlope, Threads);
                break;
        }
        return s3;
    }
}
