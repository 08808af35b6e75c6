using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Layers;

namespace BnMlNet.Engine.Network;
/// <summary>
/// The mutable training state of a BN-MLP: one flat parameter buffer (views per layer), running statistics,
/// and the workspace. This file: the parameter layout and initialization. The other concerns are in
/// TrainableNetwork.Forward.cs, TrainableNetwork.Backward.cs and TrainableNetwork.State.cs (freeze, load,
/// snapshot, finiteness); what the experiments read out of a forward pass is in <see cref="NetworkProbes"/>.
/// </summary>
/// <remarks>
/// Block l (hidden): X → Z = Dense(X) → [BeforeActivation: BN → act | AfterActivation: act → BN | None: act]
/// → dropout (train only). The output block is Dense with bias. An optional input BN normalizes X of block 0.
/// </remarks>
internal sealed partial class TrainableNetwork
{
    private readonly Xoshiro256 _dropoutRng;
    private Workspace? _workspace;
    private ForwardMode _lastMode;
    private int _lastRows;

    /// <summary>Builds the network and initializes it from <paramref name="seed"/> (He/Glorot weights, zero biases, γ = 1, β = 0).</summary>
    public TrainableNetwork(NetworkSpec spec, ulong seed, float batchNormEpsilon = 1e-5f, float batchNormMomentum = 0.1f, int threads = 1)
        : this(spec, seed, batchNormEpsilon, batchNormMomentum, threads, blockMembers: 1)
    {
    }

    /// <summary>
    /// The same, with every layer after the first block-diagonal over <paramref name="blockMembers"/> members (an
    /// ensemble's wide network, see <see cref="Ensembles.EnsembleLayout"/>): only the blocks are parameters.
    /// </summary>
    internal TrainableNetwork(NetworkSpec spec, ulong seed, float batchNormEpsilon, float batchNormMomentum, int threads, int blockMembers)
    {
        spec.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(blockMembers, 1);
        Spec = spec;
        Epsilon = batchNormEpsilon;
        Momentum = batchNormMomentum;
        Threads = threads;

        // Layout: all Dense weights first (the decayed prefix), then biases, γ and β.
        int depth = spec.HiddenSizes.Count + 1;
        int[] ins = new int[depth], outs = new int[depth];
        int[]? slots = null;
        int embK = 0, embD = 0, embeddedWidth = spec.InputSize;
        var categoricalBlocks = spec.EmbeddedCategoricalBlocks;
        if (spec.HasEmbedding)
        {
            // Without given slots every slot is embedded, except those of the categorical blocks (embedded only once).
            slots = (spec.EmbeddedSlots ?? Enumerable.Range(0, spec.InputSize)
                .Where(j => !categoricalBlocks.Any(b => j >= b.Start && j <= b.End)).ToArray()).ToArray();
            embK = spec.NumericEmbedding!.Frequencies;
            embD = spec.NumericEmbedding.Dimension;
            embeddedWidth = slots.Length * embD + spec.InputSize - slots.Length;
        }
        var categorical = categoricalBlocks.Length == 0 ? null
            : CategoricalLayoutFor(categoricalBlocks, spec.CategoricalEmbedding!.Dimension, spec.InputSize, slots, embD, embeddedWidth);
        if (categorical is not null) embeddedWidth = categorical.OutputWidth;
        for (int l = 0; l < depth; l++)
        {
            ins[l] = l == 0 ? embeddedWidth : spec.HiddenSizes[l - 1];
            outs[l] = l == depth - 1 ? spec.OutputSize : spec.HiddenSizes[l];
        }
        int weightCount = 0, otherCount = spec.InputBatchNorm ? 2 * spec.InputSize : 0;
        for (int l = 0; l < depth; l++)
        {
            if (l > 0 && (ins[l] % blockMembers != 0 || outs[l] % blockMembers != 0))
                throw new ArgumentException($"Layer {l} ({outs[l]}×{ins[l]}) does not split into {blockMembers} members.", nameof(blockMembers));
            weightCount += ins[l] * outs[l] / (l > 0 ? blockMembers : 1);
            bool isOutput = l == depth - 1;
            if (HasBias(spec, l, isOutput)) otherCount += outs[l];
            if (!isOutput && spec.HasBatchNorm(l)) otherCount += 2 * outs[l];
        }
        if (slots is not null) otherCount += slots.Length * (embK + 2 * embK * embD + embD);
        if (categorical is not null) otherCount += categorical.TableSize;
        // The embeddings' batch norm: the first layer's input starts with the categorical blocks' values, then the numerical
        // embedding's m·d values (the categorical layout passes them through first), so the normalized units are a prefix.
        int normalized = spec.EmbeddingBatchNorm ? (categorical?.Starts.Length ?? 0) * (categorical?.Dimension ?? 0) + (slots?.Length ?? 0) * embD : 0;
        if (normalized > 0) otherCount += 2 * normalized;
        Parameters = new ParameterBuffer(weightCount, otherCount);

        int wOffset = 0, pOffset = weightCount;
        ParameterSegment Next(string name, ParameterKind kind, int length)
        {
            ParameterSegment s;
            if (kind == ParameterKind.DenseWeight) { s = Parameters.Add(name, kind, wOffset, length); wOffset += length; }
            else { s = Parameters.Add(name, kind, pOffset, length); pOffset += length; }
            return s;
        }

        if (spec.InputBatchNorm)
            InputBatchNorm = new BatchNormState(spec.InputSize,
                Next("input.bn.gamma", ParameterKind.BatchNormGamma, spec.InputSize),
                Next("input.bn.beta", ParameterKind.BatchNormBeta, spec.InputSize));

        Layers = new LayerState[depth];
        for (int l = 0; l < depth; l++)
        {
            bool isOutput = l == depth - 1;
            int groups = l > 0 ? blockMembers : 1;
            var weights = Next($"layer{l}.weight", ParameterKind.DenseWeight, ins[l] * outs[l] / groups);
            bool hasBn = !isOutput && spec.HasBatchNorm(l);
            ParameterSegment? bias = HasBias(spec, l, isOutput) ? Next($"layer{l}.bias", ParameterKind.DenseBias, outs[l]) : null;
            BatchNormState? bn = hasBn
                ? new BatchNormState(outs[l], Next($"layer{l}.bn.gamma", ParameterKind.BatchNormGamma, outs[l]),
                    Next($"layer{l}.bn.beta", ParameterKind.BatchNormBeta, outs[l]))
                : null;
            Layers[l] = new LayerState
            {
                Index = l, InputSize = ins[l], OutputSize = outs[l], Weights = weights, Bias = bias, BatchNorm = bn,
                Placement = hasBn ? spec.Placement : BatchNormPlacement.None,
                Activation = isOutput ? Activation.Identity : spec.Activation,
                IsOutput = isOutput, HasDropout = !isOutput && spec.DropoutRate > 0, Groups = groups,
            };
        }

        if (slots is not null)
        {
            int m = slots.Length;
            Embedding = new EmbeddingState(spec.InputSize, slots, embK, embD,
                Next("embedding.frequency", ParameterKind.EmbeddingFrequency, m * embK),
                Next("embedding.weight", ParameterKind.EmbeddingWeight, m * 2 * embK * embD),
                Next("embedding.bias", ParameterKind.EmbeddingBias, m * embD));
        }

        if (categorical is not null)
            CategoricalEmbedding = new CategoricalEmbeddingState(categorical,
                Next("categorical.table", ParameterKind.CategoricalTable, categorical.TableSize));

        if (normalized > 0)
            EmbeddingBatchNorm = new BatchNormState(normalized, Next("embedding.bn.gamma", ParameterKind.BatchNormGamma, normalized),
                Next("embedding.bn.beta", ParameterKind.BatchNormBeta, normalized));

        // Initialization: one generator for weights, an independent stream for dropout masks. (An ensemble's members are
        // initialized again, block by block, by EnsembleLayout.InitializeMembers.)
        var init = new Xoshiro256(seed);
        _dropoutRng = new Xoshiro256(seed ^ 0x5DEECE66DUL);
        foreach (var layer in Layers)
            Initialization.InitializeWeights(Parameters.Value(layer.Weights), layer.InputSize, layer.OutputSize,
                layer.Activation, spec.LeakyReluSlope, init);
        if (Embedding is { } emb)   // its own stream, so the dense layers' draws are those of the same network without it
            Initialization.InitializeEmbedding(Parameters.Value(emb.Frequency), Parameters.Value(emb.Weights), Parameters.Value(emb.Bias),
                emb.Frequencies, spec.NumericEmbedding!.Sigma, new Xoshiro256(seed ^ 0x9E3779B97F4A7C15UL));
        if (CategoricalEmbedding is { } cat)   // its own stream too
            Initialization.InitializeCategoricalEmbedding(Parameters.Value(cat.Table), cat.Layout, new Xoshiro256(seed ^ 0xC2B2AE3D27D4EB4FUL));
        foreach (var bn in AllBatchNorms())
            Parameters.Value(bn.Gamma).Fill(1f);
    }

    /// <summary>
    /// The categorical blocks' positions in the first dense layer's would-be input: the input slots themselves, or with a
    /// numerical embedding the blocks' places among its pass-through slots (which follow its m·d embedded values).
    /// </summary>
    private static CategoricalLayout CategoricalLayoutFor(CategoricalBlock[] blocks, int dimension, int inputSize, int[]? numericSlots,
        int numericDimension, int width)
    {
        var starts = new int[blocks.Length];
        for (int b = 0; b < blocks.Length; b++)
        {
            if (numericSlots is null) { starts[b] = blocks[b].Start; continue; }
            int before = 0;
            foreach (int s in numericSlots)
            {
                if (s >= blocks[b].Start && s <= blocks[b].End)
                    throw new ArgumentException($"Slot {s} is in the categorical block [{blocks[b].Start}, {blocks[b].End}] and numerically embedded; a slot can be embedded only once.");
                if (s < blocks[b].Start) before++;
            }
            starts[b] = numericSlots.Length * numericDimension + blocks[b].Start - before;
        }
        return new CategoricalLayout(width, starts, blocks.Select(b => b.Levels).ToArray(), dimension);
    }

    /// <summary>Every layer has a bias except a hidden one batch-normalized before its activation (the mean subtraction cancels it).</summary>
    private static bool HasBias(NetworkSpec spec, int layer, bool isOutput)
        => isOutput || !spec.HasBatchNorm(layer) || spec.Placement != BatchNormPlacement.BeforeActivation || spec.KeepBiasBeforeBatchNorm;

    public NetworkSpec Spec { get; }
    public ParameterBuffer Parameters { get; }
    public LayerState[] Layers { get; }
    public BatchNormState? InputBatchNorm { get; }
    /// <summary>The numerical embedding in front of layer 0, or null.</summary>
    public EmbeddingState? Embedding { get; }
    /// <summary>The categorical embedding in front of layer 0 (after the numerical one), or null.</summary>
    public CategoricalEmbeddingState? CategoricalEmbedding { get; }
    /// <summary>
    /// The batch norm on the embeddings' outputs (<see cref="NetworkSpec.EmbeddingBatchNorm"/>), or null: it normalizes the
    /// first <see cref="BatchNormState.Size"/> values of the first dense layer's input (the categorical blocks' values, then
    /// the numerical embedding's), and passes the rest through.
    /// </summary>
    public BatchNormState? EmbeddingBatchNorm { get; }
    public float Epsilon { get; }
    public float Momentum { get; }
    public int Threads { get; set; }

    /// <summary>Members laid side by side in this (wide) network; 1 for a single network.</summary>
    public int EnsembleSize { get; init; } = 1;

    /// <summary>How the members' outputs combine into the ensemble's.</summary>
    public EnsembleCombination Combination { get; init; }

    /// <summary>Every batch norm, input first, then the embeddings', then the hidden layers in order (the order population statistics use).</summary>
    public BatchNormState[] AllBatchNorms() => _allBatchNorms ??=
        (InputBatchNorm is null ? [] : new[] { InputBatchNorm })
            .Concat(EmbeddingBatchNorm is null ? [] : new[] { EmbeddingBatchNorm })
            .Concat(Layers.Where(l => l.BatchNorm is not null).Select(l => l.BatchNorm!)).ToArray();

    private BatchNormState[]? _allBatchNorms;

    /// <summary>The workspace for at least <paramref name="rows"/> rows; reallocated only when it grows.</summary>
    public Workspace EnsureWorkspace(int rows)
    {
        if (_workspace is null || _workspace.Capacity < rows)
            _workspace = new Workspace(Math.Max(rows, _workspace?.Capacity ?? 0), Spec.InputSize, InputBatchNorm, Layers, Embedding, CategoricalEmbedding,
                EmbeddingBatchNorm);
        return _workspace;
    }

    /// <summary>The workspace of the last forward pass, or null before the first.</summary>
    internal Workspace? LastWorkspace => _workspace;

    /// <summary>The row count of the last forward pass.</summary>
    internal int LastRows => _lastRows;
}
