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
        CategoricalEmbeddingState? categorical = null)
    {
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
    /// <summary>∂L/∂(input batch norm output), [B×InputSize].</summary>
    public float[] InputGradient { get; }
    public LayerBuffers[] Layers { get; }
    public float[] Scratch1 { get; }
    public float[] Scratch2 { get; }
    public float[] Scratch3 { get; }
}
