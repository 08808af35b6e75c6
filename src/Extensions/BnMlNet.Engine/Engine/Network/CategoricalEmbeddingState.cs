using BnMlNet.Engine.Layers;

namespace BnMlNet.Engine.Network;

/// <summary>
/// A trainable categorical embedding: its layout over the first dense layer's would-be input and the view of the
/// table E in the flat parameter buffer (not decayed).
/// </summary>
internal sealed class CategoricalEmbeddingState(CategoricalLayout layout, ParameterSegment table)
{
    public CategoricalLayout Layout { get; } = layout;
    public ParameterSegment Table { get; } = table;
}

/// <summary>Per-batch buffers of the categorical embedding: output O [B×OutputWidth] and ∂L/∂O.</summary>
internal sealed class CategoricalEmbeddingBuffers(int capacity, CategoricalEmbeddingState state)
{
    public float[] Output { get; } = new float[capacity * state.Layout.OutputWidth];
    public float[] OutputGradient { get; } = new float[capacity * state.Layout.OutputWidth];
}
