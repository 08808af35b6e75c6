namespace BnMlNet.Engine.Network;

/// <summary>
/// A trainable periodic embedding: the slot layout, and views c [m×k], W [m×2k×d], b [m×d] of the flat parameter
/// buffer (none of them decayed).
/// </summary>
internal sealed class EmbeddingState(int inputSize, int[] slots, int frequencies, int dimension,
    ParameterSegment frequency, ParameterSegment weights, ParameterSegment bias)
{
    public int InputSize { get; } = inputSize;
    public int[] Slots { get; } = slots;
    public int[] PassThrough { get; } = PeriodicEmbeddingParameters.PassThroughOf(slots, inputSize);
    public int Frequencies { get; } = frequencies;
    public int Dimension { get; } = dimension;
    public ParameterSegment Frequency { get; } = frequency;
    public ParameterSegment Weights { get; } = weights;
    public ParameterSegment Bias { get; } = bias;
    /// <summary>m·d + pass-through count: the first dense layer's input width.</summary>
    public int OutputSize => Slots.Length * Dimension + PassThrough.Length;
}

/// <summary>Per-batch buffers of the embedding: output E [B×OutputSize], v [B×m×2k], ∂L/∂E [B×OutputSize].</summary>
internal sealed class EmbeddingBuffers(int capacity, EmbeddingState embedding)
{
    public float[] Output { get; } = new float[capacity * embedding.OutputSize];
    public float[] Periodic { get; } = new float[capacity * embedding.Slots.Length * 2 * embedding.Frequencies];
    public float[] OutputGradient { get; } = new float[capacity * embedding.OutputSize];
}
