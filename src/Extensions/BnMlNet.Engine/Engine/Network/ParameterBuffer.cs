namespace BnMlNet.Engine.Network;

/// <summary>What a parameter segment holds; decides whether weight decay applies.</summary>
internal enum ParameterKind { DenseWeight, DenseBias, BatchNormGamma, BatchNormBeta, EmbeddingFrequency, EmbeddingWeight, EmbeddingBias, CategoricalTable }

/// <summary>A named view [Offset, Offset + Length) of the flat parameter buffer.</summary>
internal readonly record struct ParameterSegment(string Name, ParameterKind Kind, int Offset, int Length);

/// <summary>
/// All learned parameters in one flat float buffer, with a gradient buffer of the same layout; layers see views.
/// Every Dense weight comes first, in [0, <see cref="DecayedCount"/>): weight decay applies to exactly that prefix,
/// never to biases, γ or β. The optimizer is one loop over the buffer.
/// </summary>
internal sealed class ParameterBuffer
{
    private readonly List<ParameterSegment> _segments = [];

    public ParameterBuffer(int weightCount, int otherCount)
    {
        Values = new float[weightCount + otherCount];
        Gradients = new float[weightCount + otherCount];
        DecayedCount = weightCount;
    }

    /// <summary>The parameter values.</summary>
    public float[] Values { get; }
    /// <summary>∂L/∂parameter from the last backward pass, same layout as <see cref="Values"/>.</summary>
    public float[] Gradients { get; }
    /// <summary>Length of the Dense-weight prefix (the only decayed parameters).</summary>
    public int DecayedCount { get; }
    /// <summary>All segments in allocation order.</summary>
    public IReadOnlyList<ParameterSegment> Segments => _segments;

    public int Length => Values.Length;

    /// <summary>Records a segment; weights must lie in the decayed prefix and nothing else may.</summary>
    public ParameterSegment Add(string name, ParameterKind kind, int offset, int length)
    {
        bool decayed = kind == ParameterKind.DenseWeight;
        if (decayed != (offset < DecayedCount) || offset + length > Values.Length)
            throw new InvalidOperationException($"Segment {name} is misplaced in the parameter buffer.");
        var s = new ParameterSegment(name, kind, offset, length);
        _segments.Add(s);
        return s;
    }

    public Span<float> Value(ParameterSegment s) => Values.AsSpan(s.Offset, s.Length);
    public Span<float> Gradient(ParameterSegment s) => Gradients.AsSpan(s.Offset, s.Length);
}
