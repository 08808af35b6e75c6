using BnMlNet.Engine.Layers;

namespace BnMlNet.Engine.Network;

// Freezing (to an InferenceNetwork), loading given parameters, snapshot and restore, and the finiteness checks.
internal sealed partial class TrainableNetwork
{
    /// <summary>A frozen, immutable copy: current parameters and running statistics.</summary>
    public InferenceNetwork ToInferenceNetwork()
    {
        var p = Parameters;
        var layers = new DenseLayerParameters[Layers.Length];
        foreach (var l in Layers)
        {
            if (l.Index == 0 && (CategoricalEmbedding is not null || EmbeddingBatchNorm is not null))
            {
                layers[0] = FirstLayerWithEmbeddingsFolded(l);
                continue;
            }
            // A block-diagonal layer is handed out in the stored (and saved) form: the dense wide matrix, zeros off block.
            float[] weights = l.Groups > 1 ? Ensembles.BlockDiagonal.ToDense(p.Value(l.Weights), l.InputSize, l.OutputSize, l.Groups)
                : p.Value(l.Weights).ToArray();
            layers[l.Index] = new DenseLayerParameters(l.InputSize, l.OutputSize, weights,
                l.Bias is { } b ? p.Value(b).ToArray() : null, ToParameters(l.BatchNorm), l.Placement, l.Activation);
        }
        if (Embedding is { } e)
            return new InferenceNetwork(layers, ToParameters(InputBatchNorm), Spec.LeakyReluSlope, EnsembleSize,
                EnsembleSize == 1 ? EnsembleCombination.Mean : Combination,
                new PeriodicEmbeddingParameters(e.InputSize, e.Slots, e.Frequencies, e.Dimension,
                    p.Value(e.Frequency).ToArray(), p.Value(e.Weights).ToArray(), p.Value(e.Bias).ToArray()));
        return EnsembleSize == 1
            ? new InferenceNetwork(layers, ToParameters(InputBatchNorm), Spec.LeakyReluSlope)
            : new InferenceNetwork(layers, ToParameters(InputBatchNorm), Spec.LeakyReluSlope, EnsembleSize, Combination);
    }

    /// <summary>
    /// The first dense layer with what is linear in front of it folded in (a linear map followed by a dense layer is one
    /// dense layer): the embeddings' frozen batch norm (a per-unit affine map), then the categorical embedding's table.
    /// </summary>
    private DenseLayerParameters FirstLayerWithEmbeddingsFolded(LayerState l)
    {
        var p = Parameters;
        float[] weights = p.Value(l.Weights).ToArray();
        float[]? bias = l.Bias is { } b ? p.Value(b).ToArray() : null;
        if (EmbeddingBatchNorm is { } ebn)
            (weights, bias) = FoldEmbeddingBatchNorm(weights, bias, l.OutputSize, l.InputSize, ToParameters(ebn)!);
        int width = l.InputSize;
        if (CategoricalEmbedding is { } cat)
        {
            weights = CategoricalEmbeddingLayer.FoldInto(weights, l.OutputSize, p.Value(cat.Table), cat.Layout);
            width = cat.Layout.InputWidth;
        }
        return new DenseLayerParameters(width, l.OutputSize, weights, bias, ToParameters(l.BatchNorm), l.Placement, l.Activation);
    }

    /// <summary>Overwrites the embedding's c, W and b (shapes must match), e.g. from a PyTorch fixture.</summary>
    public void LoadEmbedding(IReadOnlyList<float> frequency, IReadOnlyList<float> weights, IReadOnlyList<float> bias)
    {
        var e = Embedding ?? throw new InvalidOperationException("The network has no embedding.");
        if (frequency.Count != e.Frequency.Length || weights.Count != e.Weights.Length || bias.Count != e.Bias.Length)
            throw new ArgumentException($"The embedding expects {e.Frequency.Length}, {e.Weights.Length} and {e.Bias.Length} values for c, W and b.");
        Copy(frequency, Parameters.Value(e.Frequency));
        Copy(weights, Parameters.Value(e.Weights));
        Copy(bias, Parameters.Value(e.Bias));
    }

    /// <summary>Overwrites the categorical embedding's table E (block after block, each [levels×d]), e.g. from a PyTorch fixture.</summary>
    public void LoadCategoricalEmbedding(IReadOnlyList<float> table)
    {
        var c = CategoricalEmbedding ?? throw new InvalidOperationException("The network has no categorical embedding.");
        if (table.Count != c.Table.Length) throw new ArgumentException($"The categorical embedding expects {c.Table.Length} values, got {table.Count}.", nameof(table));
        Copy(table, Parameters.Value(c.Table));
    }

    private BatchNormParameters? ToParameters(BatchNormState? bn)
        => bn is null ? null : new BatchNormParameters(Parameters.Value(bn.Gamma).ToArray(), Parameters.Value(bn.Beta).ToArray(),
            bn.RunningMean, bn.RunningVariance, Epsilon);

    /// <summary>
    /// Overwrites every parameter and running statistic from frozen parameters of the same shape
    /// (used to start from given weights, e.g. PyTorch-parity fixtures).
    /// </summary>
    public void Load(IReadOnlyList<DenseLayerParameters> layers, BatchNormParameters? inputBatchNorm)
    {
        if (layers.Count != Layers.Length) throw new ArgumentException($"Expected {Layers.Length} layers, got {layers.Count}.", nameof(layers));
        LoadBatchNorm(InputBatchNorm, inputBatchNorm, "input batch norm");
        foreach (var l in Layers)
        {
            var src = layers[l.Index];
            if (src.InputSize != l.InputSize || src.OutputSize != l.OutputSize)
                throw new ArgumentException($"Layer {l.Index} is {src.OutputSize}×{src.InputSize}, expected {l.OutputSize}×{l.InputSize}.", nameof(layers));
            if (l.Groups > 1) Ensembles.BlockDiagonal.FromDense(src.Weights, Parameters.Value(l.Weights), l.InputSize, l.OutputSize, l.Groups, $"Layer {l.Index}");
            else Copy(src.Weights, Parameters.Value(l.Weights));
            if ((src.Bias is null) != (l.Bias is null))
                throw new ArgumentException($"Layer {l.Index}: bias presence differs.", nameof(layers));
            if (l.Bias is { } b) Copy(src.Bias!, Parameters.Value(b));
            LoadBatchNorm(l.BatchNorm, src.BatchNorm, $"layer {l.Index} batch norm");
        }
    }

    private void LoadBatchNorm(BatchNormState? dst, BatchNormParameters? src, string what)
    {
        if ((dst is null) != (src is null)) throw new ArgumentException($"The {what}: presence differs.");
        if (dst is null || src is null) return;
        if (dst.Size != src.Size) throw new ArgumentException($"The {what} has {src.Size} units, expected {dst.Size}.");
        Copy(src.Gamma, Parameters.Value(dst.Gamma));
        Copy(src.Beta, Parameters.Value(dst.Beta));
        Copy(src.RunningMean, dst.RunningMean);
        Copy(src.RunningVariance, dst.RunningVariance);
    }

    private static void Copy(IReadOnlyList<float> src, Span<float> dst)
    {
        for (int i = 0; i < dst.Length; i++) dst[i] = src[i];
    }

    /// <summary>A copy of all parameters and running statistics.</summary>
    public NetworkState Capture()
    {
        var stats = AllBatchNorms().SelectMany(b => new[] { (float[])b.RunningMean.Clone(), (float[])b.RunningVariance.Clone() }).ToArray();
        return new NetworkState((float[])Parameters.Values.Clone(), stats);
    }

    /// <summary>Puts back a state from <see cref="Capture"/>.</summary>
    public void Restore(NetworkState state)
    {
        state.Values.CopyTo(Parameters.Values, 0);
        int i = 0;
        foreach (var b in AllBatchNorms())
        {
            state.RunningStatistics[i++].CopyTo(b.RunningMean, 0);
            state.RunningStatistics[i++].CopyTo(b.RunningVariance, 0);
        }
    }

    /// <summary>Whether every parameter and running statistic is finite (one vectorized pass each).</summary>
    public bool IsFinite()
        => float.IsFinite(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude<float>(Parameters.Values)) && RunningStatisticsFinite();

    /// <summary>Whether every running statistic is finite.</summary>
    public bool RunningStatisticsFinite()
    {
        foreach (var b in AllBatchNorms())
        {
            if (!float.IsFinite(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude<float>(b.RunningMean))) return false;
            if (!float.IsFinite(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude<float>(b.RunningVariance))) return false;
        }
        return true;
    }
}
