namespace BnMlNet.Engine.Network;

/// <summary>Per-batch buffers of one batch norm: x̂ [B×C], output [B×C], batch mean/variance/rstd [C].</summary>
internal sealed class BatchNormBuffers(int capacity, int channels)
{
    public float[] Xhat { get; } = new float[capacity * channels];
    public float[] Output { get; } = new float[capacity * channels];
    public float[] Mean { get; } = new float[channels];
    public float[] Variance { get; } = new float[channels];
    public float[] Rstd { get; } = new float[channels];
}

/// <summary>
/// Per-batch buffers of one block: Dense output Z, batch norm, activation output, dropout mask and output, and the
/// gradient with respect to the block's output. <see cref="Output"/> points at whichever buffer the last forward
/// pass ended in.
/// </summary>
internal sealed class LayerBuffers
{
    public LayerBuffers(int capacity, LayerState layer)
    {
        int n = capacity * layer.OutputSize;
        Z = new float[n];
        Activation = layer.IsOutput ? [] : new float[n];
        BatchNorm = layer.BatchNorm is null ? null : new BatchNormBuffers(capacity, layer.OutputSize);
        Mask = layer.HasDropout ? new float[n] : [];
        Dropped = layer.HasDropout ? new float[n] : [];
        OutputGradient = new float[n];
        Output = Z;
    }

    public float[] Z { get; }
    public float[] Activation { get; }
    public BatchNormBuffers? BatchNorm { get; }
    public float[] Mask { get; }
    public float[] Dropped { get; }
    public float[] OutputGradient { get; }
    public float[] Output { get; set; }
}

/// <summary>
/// Every buffer a forward and backward pass needs, for up to <see cref="Capacity"/> rows. Allocated once per
/// capacity, so the training loop does not allocate in steady state.
/// </summary>
internal sealed class Workspace
{
    public Workspace(int capacity, int inputSize, BatchNormState? inputBatchNorm, IReadOnlyList<LayerState> layers, EmbeddingState? embedding = null,
        CategoricalEmbeddingState? categorical = null, BatchNormState? embeddingBatchNorm = null)
    {
        EmbeddingNorm = embeddingBatchNorm is null ? null : new EmbeddingNormBuffers(capacity, embeddingBatchNorm.Size, layers[0].InputSize);
        Embedding = embedding is null ? null : new EmbeddingBuffers(capacity, embedding);
        Categorical = categorical is null ? null : new CategoricalEmbeddingBuffers(capacity, categorical);
        Capacity = capacity;
        InputBatchNorm = inputBatchNorm is null ? null : new BatchNormBuffers(capacity, inputSize);
        InputGradient = inputBatchNorm is null ? [] : new float[capacity * inputSize];
        Layers = layers.Select(l => new LayerBuffers(capacity, l)).ToArray();
        int width = Math.Max(inputSize, layers.Max(l => l.OutputSize));
        Scratch1 = new float[capacity * width];
        Scratch2 = new float[capacity * width];
        Scratch3 = new float[capacity * width];
    }

    public int Capacity { get; }
    public BatchNormBuffers? InputBatchNorm { get; }
    /// <summary>The embedding's buffers, or null.</summary>
    public EmbeddingBuffers? Embedding { get; }
    /// <summary>The categorical embedding's buffers, or null.</summary>
    public CategoricalEmbeddingBuffers? Categorical { get; }
    /// <summary>The embeddings' batch norm's buffers, or null.</summary>
    public EmbeddingNormBuffers? EmbeddingNorm { get; }
    /// <summary>∂L/∂(input batch norm output), [B×InputSize].</summary>
    public float[] InputGradient { get; }
    public LayerBuffers[] Layers { get; }
    public float[] Scratch1 { get; }
    public float[] Scratch2 { get; }
    public float[] Scratch3 { get; }
}

/// <summary>
/// Per-batch buffers of the embeddings' batch norm, which normalizes the first K of the first dense layer's W inputs:
/// its input (those K columns, gathered) [B×K], the batch norm's own buffers, the first layer's input [B×W] (the K
/// normalized values, then the rest passed through) and ∂L/∂ of it [B×W], and the gathered ∂L/∂ of the K and ∂L/∂ of
/// the batch norm's input, [B×K] each.
/// </summary>
internal sealed class EmbeddingNormBuffers(int capacity, int normalized, int width)
{
    public int Normalized { get; } = normalized;
    public int Width { get; } = width;
    public float[] Input { get; } = new float[capacity * normalized];
    public BatchNormBuffers BatchNorm { get; } = new(capacity, normalized);
    public float[] Output { get; } = new float[capacity * width];
    public float[] OutputGradient { get; } = new float[capacity * width];
    public float[] NormalizedGradient { get; } = new float[capacity * normalized];
    public float[] InputGradient { get; } = new float[capacity * normalized];
}
