using BnMlNet.Engine.Layers;

namespace BnMlNet.Engine.Network;

// The batch norm on the embeddings' outputs (NetworkSpec.EmbeddingBatchNorm): its forward and backward passes over the
// first K columns of the first dense layer's input, and its folding into that layer for the frozen network.
internal sealed partial class TrainableNetwork
{
    /// <summary>The <c>stopAtBatchNormOf</c> value of <see cref="Forward"/> that stops at the embeddings' batch norm's input.</summary>
    internal const int EmbeddingBatchNormStop = -2;

    /// <summary>Copies the first K columns of <paramref name="embedded"/> [rows×W] into the batch norm's input [rows×K].</summary>
    private static void GatherNormalized(EmbeddingNormBuffers b, ReadOnlySpan<float> embedded, int rows)
    {
        int k = b.Normalized, w = b.Width;
        for (int r = 0; r < rows; r++) embedded.Slice(r * w, k).CopyTo(b.Input.AsSpan(r * k, k));
    }

    /// <summary>
    /// The first dense layer's input from the embeddings' output <paramref name="embedded"/> [rows×W]: batch norm (as every
    /// other, by <paramref name="mode"/>) of its first K columns, the rest passed through.
    /// </summary>
    private ReadOnlySpan<float> NormalizeEmbedding(BatchNormState bn, EmbeddingNormBuffers b, ReadOnlySpan<float> embedded, int rows, ForwardMode mode)
    {
        int k = b.Normalized, w = b.Width;
        GatherNormalized(b, embedded, rows);
        ApplyBatchNorm(bn, b.BatchNorm, b.Input.AsSpan(0, rows * k), rows, mode);
        if (k == w) return b.BatchNorm.Output.AsSpan(0, rows * k);
        for (int r = 0; r < rows; r++)
        {
            b.BatchNorm.Output.AsSpan(r * k, k).CopyTo(b.Output.AsSpan(r * w, k));
            embedded.Slice(r * w + k, w - k).CopyTo(b.Output.AsSpan(r * w + k, w - k));
        }
        return b.Output.AsSpan(0, rows * w);
    }

    /// <summary>The first dense layer's input of the last forward pass when the embeddings' batch norm is on.</summary>
    private ReadOnlySpan<float> NormalizedEmbedding(EmbeddingNormBuffers b, int rows)
        => b.Normalized == b.Width ? b.BatchNorm.Output.AsSpan(0, rows * b.Width) : b.Output.AsSpan(0, rows * b.Width);

    /// <summary>
    /// From ∂L/∂(first layer's input) in <see cref="EmbeddingNormBuffers.OutputGradient"/>: γ's and β's gradients, and
    /// ∂L/∂(embeddings' output) into <paramref name="dEmbedded"/> [rows×W] (the batch norm's ∂x for the first K columns,
    /// the rest copied).
    /// </summary>
    private void EmbeddingNormBackward(BatchNormState bn, EmbeddingNormBuffers b, Span<float> dEmbedded, int rows)
    {
        int k = b.Normalized, w = b.Width;
        var p = Parameters;
        ReadOnlySpan<float> dOut = b.OutputGradient.AsSpan(0, rows * w);
        if (k == w)
        {
            BatchNormWork.Backward(dEmbedded[..(rows * k)], p.Gradient(bn.Gamma), p.Gradient(bn.Beta), dOut, b.BatchNorm.Xhat,
                p.Value(bn.Gamma), b.BatchNorm.Rstd, rows, k, Threads);
            return;
        }
        for (int r = 0; r < rows; r++) dOut.Slice(r * w, k).CopyTo(b.NormalizedGradient.AsSpan(r * k, k));
        BatchNormWork.Backward(b.InputGradient.AsSpan(0, rows * k), p.Gradient(bn.Gamma), p.Gradient(bn.Beta),
            b.NormalizedGradient.AsSpan(0, rows * k), b.BatchNorm.Xhat, p.Value(bn.Gamma), b.BatchNorm.Rstd, rows, k, Threads);
        for (int r = 0; r < rows; r++)
        {
            b.InputGradient.AsSpan(r * k, k).CopyTo(dEmbedded.Slice(r * w, k));
            dOut.Slice(r * w + k, w - k).CopyTo(dEmbedded.Slice(r * w + k, w - k));
        }
    }

    /// <summary>The input of the embeddings' batch norm in the last forward pass, [rows×K] (for precise batch norm).</summary>
    internal ReadOnlySpan<float> EmbeddingBatchNormInput()
    {
        var b = (_workspace ?? throw new InvalidOperationException("No forward pass has run.")).EmbeddingNorm
            ?? throw new InvalidOperationException("The network has no embedding batch norm.");
        return b.Input.AsSpan(0, _lastRows * b.Normalized);
    }

    /// <summary>
    /// Folds the frozen embeddings' batch norm, y_c = s_c·e_c + t_c for the first K inputs (s = γ/√(σ² + ε), t = β − s·μ,
    /// in double), into the first dense layer W [outputs×width]: W' = W·diag(s) on those columns, b' = b + W·t (the
    /// layer gets a bias when it had none). W'·e + b' = W·y for every e.
    /// </summary>
    internal static (float[] Weights, float[] Bias) FoldEmbeddingBatchNorm(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        int outputs, int width, BatchNormParameters bn)
    {
        int k = bn.Size;
        var s = new double[k];
        var t = new double[k];
        for (int c = 0; c < k; c++)
        {
            s[c] = bn.Gamma[c] / Math.Sqrt((double)bn.RunningVariance[c] + bn.Epsilon);
            t[c] = bn.Beta[c] - s[c] * bn.RunningMean[c];
        }
        var w = weights[..(outputs * width)].ToArray();
        var b = new float[outputs];
        for (int o = 0; o < outputs; o++)
        {
            var row = w.AsSpan(o * width, width);
            double acc = bias.IsEmpty ? 0.0 : bias[o];
            for (int c = 0; c < k; c++)
            {
                acc += row[c] * t[c];
                row[c] = (float)(row[c] * s[c]);
            }
            b[o] = (float)acc;
        }
        return (w, b);
    }
}
