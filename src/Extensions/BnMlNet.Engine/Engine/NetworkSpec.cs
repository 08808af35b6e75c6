namespace BnMlNet.Engine;

/// <summary>
/// The shape of a batch-normalized multilayer perceptron. Each hidden block is, by default,
/// Dense (no bias) → BatchNorm → activation (→ dropout when <see cref="DropoutRate"/> &gt; 0); the output layer is
/// Dense with bias and the identity, never batch-normalized.
/// Initialization (from <see cref="TrainingSettings.Seed"/>): He/Kaiming normal, N(0, 2/fan_in), for the ReLU-like
/// activations (ReLU, LeakyReLU with its slope, GELU, ELU, SiLU, softplus); Glorot uniform, U(±√(6/(fan_in + fan_out))),
/// for tanh, sigmoid and the identity (the output layer); biases 0, γ = 1, β = 0; running mean 0, variance 1.
/// </summary>
/// <param name="InputSize">Number of input features (≥ 1).</param>
/// <param name="HiddenSizes">Width of each hidden layer, first to last (each ≥ 1; empty gives a linear model).</param>
/// <param name="OutputSize">Number of raw outputs: 1 for binary (a logit) and regression, K ≥ 2 for multiclass.</param>
/// <param name="Activation">Hidden-layer nonlinearity.</param>
/// <param name="Placement">Where batch normalization sits in each hidden block.</param>
/// <param name="InputBatchNorm">Whether a batch-normalization layer normalizes the raw features (a learned normalization the model carries).</param>
/// <param name="LeakyReluSlope">Negative-side slope of <see cref="Activation.LeakyRelu"/> (finite, ≥ 0).</param>
/// <param name="DropoutRate">Inverted-dropout probability after each hidden block, in [0, 1); 0 turns it off.</param>
public sealed record NetworkSpec(
    int InputSize,
    IReadOnlyList<int> HiddenSizes,
    int OutputSize,
    Activation Activation = Activation.Relu,
    BatchNormPlacement Placement = BatchNormPlacement.BeforeActivation,
    bool InputBatchNorm = false,
    float LeakyReluSlope = 0.01f,
    float DropoutRate = 0f)
{
    /// <summary>
    /// Research switch (default false): keep the Dense bias in front of a <see cref="BatchNormPlacement.BeforeActivation"/>
    /// batch norm. The mean subtraction cancels it, so its gradient is zero in train mode; this exists to show that.
    /// </summary>
    public bool KeepBiasBeforeBatchNorm { get; init; }

    /// <summary>
    /// The number k of independent members trained in one pass (1 = a single network, the default). Each member has
    /// the hidden sizes and output size above, its own weights, batch-norm parameters and running statistics; they
    /// are stored side by side in one wide network (the first layer one GEMM over the shared input, deeper layers
    /// block-diagonal), each member has its own loss and the prediction is the members' mean (probabilities for
    /// classification). The input batch norm and the numerical embedding, when on, are shared. In <see cref="SettingRules.EnsembleSize"/>.
    /// </summary>
    public int EnsembleSize { get; init; } = 1;

    /// <summary>
    /// The numerical embedding in front of the first hidden layer, or null (the default) for none. It embeds the
    /// slots in <see cref="EmbeddedSlots"/>; the first dense layer then takes m·d + (InputSize − m) inputs. The input
    /// batch norm, when on, comes before it. With <see cref="EnsembleSize"/> &gt; 1 it is shared, TabM-style: one embedding
    /// feeds every member's first dense layer, and the members' gradients add up in it.
    /// </summary>
    public NumericEmbeddingSettings? NumericEmbedding { get; init; }

    /// <summary>
    /// The input slots <see cref="NumericEmbedding"/> embeds, strictly ascending; null lets
    /// <see cref="NetworkTrainer.Train"/> choose them from the training rows (after the preprocessing stage): every
    /// slot with more than two distinct finite values, so 0/1 slots (one-hot levels, missing indicators) pass through.
    /// </summary>
    public IReadOnlyList<int>? EmbeddedSlots { get; init; }

    /// <summary>
    /// The categorical embedding, or null (the default) for none. Each of <see cref="CategoricalBlocks"/> with at least
    /// <see cref="CategoricalEmbeddingSettings.MinimumLevels"/> levels is replaced by d learned values x_block·E; the
    /// others pass through. It sits where <see cref="NumericEmbedding"/> sits (after the input batch norm) and combines
    /// with it (the blocks' slots are then never numerically embedded) and with <see cref="EnsembleSize"/> &gt; 1 (the
    /// members share it). In the frozen network it is folded into the first dense layer (a linear map followed by one).
    /// </summary>
    public CategoricalEmbeddingSettings? CategoricalEmbedding { get; init; }

    /// <summary>
    /// The one-hot blocks of the input (ascending, not overlapping; slots the preprocessing appends come after them),
    /// or null. Only <see cref="CategoricalEmbedding"/> reads them.
    /// </summary>
    public IReadOnlyList<CategoricalBlock>? CategoricalBlocks { get; init; }

    /// <summary>The blocks the categorical embedding embeds (empty when it is off).</summary>
    internal CategoricalBlock[] EmbeddedCategoricalBlocks => CategoricalEmbedding is { IsOn: true } c && CategoricalBlocks is { } blocks
        ? blocks.Where(b => b.Levels >= c.MinimumLevels).ToArray() : [];

    /// <summary>
    /// Batch normalization of the embeddings' outputs (default false): every output unit of <see cref="CategoricalEmbedding"/>
    /// (x_block·E) and of <see cref="NumericEmbedding"/> (its m·d values) is batch-normalized with a learned γ and β, batch
    /// statistics in training and running statistics at scoring, as every other batch norm; the values they pass through
    /// are not. Needs one of the two embeddings on (<see cref="Validate()"/> throws otherwise); when the data gives them
    /// nothing to embed, it does nothing, as they do. The frozen network folds it into the first dense layer (a per-unit
    /// affine map followed by a dense layer is one dense layer).
    /// </summary>
    public bool EmbeddingBatchNorm { get; init; }

    /// <summary>
    /// The 0-based hidden layers that get batch normalization (at <see cref="Placement"/>), or null (the default) for
    /// every hidden layer. A hidden layer left out is Dense with bias → activation (→ dropout). Each index in
    /// [0, HiddenSizes.Count), no index twice; an empty list means no hidden batch norm. Needs a <see cref="Placement"/>
    /// other than <see cref="BatchNormPlacement.None"/>. The input batch norm (<see cref="InputBatchNorm"/>) is apart.
    /// </summary>
    public IReadOnlyList<int>? BatchNormLayers { get; init; }

    /// <summary>Whether hidden layer <paramref name="hiddenLayer"/> is batch-normalized.</summary>
    internal bool HasBatchNorm(int hiddenLayer)
        => Placement != BatchNormPlacement.None && (BatchNormLayers is null || BatchNormLayers.Contains(hiddenLayer));

    /// <summary>Whether an embedding is on.</summary>
    internal bool HasEmbedding => NumericEmbedding is { IsOn: true };

    /// <summary>Either embedding is on (what <see cref="EmbeddingBatchNorm"/> needs to normalize anything).</summary>
    internal bool HasAnyEmbedding => HasEmbedding || CategoricalEmbedding is { IsOn: true };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> (or <see cref="ArgumentNullException"/>) naming the offending field and its range (<see cref="SettingRules"/>).</summary>
    public void Validate()
    {
        SettingRules.InputSize.Check(InputSize, nameof(InputSize));
        if (HiddenSizes is null) throw new ArgumentNullException(nameof(HiddenSizes));
        for (int i = 0; i < HiddenSizes.Count; i++)
            SettingRules.HiddenSize.CheckElement(HiddenSizes[i], nameof(HiddenSizes), i);
        SettingRules.OutputSize.Check(OutputSize, nameof(OutputSize));
        SettingRules.CheckDefined(Activation, nameof(Activation));
        SettingRules.CheckDefined(Placement, nameof(Placement));
        SettingRules.CheckBatchNormLayers(BatchNormLayers, HiddenSizes.Count, Placement == BatchNormPlacement.None, nameof(BatchNormLayers), nameof(Placement));
        SettingRules.LeakyReluSlope.Check(LeakyReluSlope, nameof(LeakyReluSlope));
        SettingRules.DropoutRate.Check(DropoutRate, nameof(DropoutRate));
        SettingRules.EnsembleSize.Check(EnsembleSize, nameof(EnsembleSize));
        NumericEmbedding?.Validate();
        if (EmbeddedSlots is { } slots) PeriodicEmbeddingParameters.CheckSlots(slots, InputSize);
        CategoricalEmbedding?.Validate();
        if (EmbeddingBatchNorm && !HasAnyEmbedding)
            throw new ArgumentException($"{nameof(EmbeddingBatchNorm)} normalizes the embeddings' outputs, but neither {nameof(NumericEmbedding)} " +
                $"nor {nameof(CategoricalEmbedding)} is on; turn one of them on or set {nameof(EmbeddingBatchNorm)} = false.", nameof(EmbeddingBatchNorm));
        if (CategoricalBlocks is { } blocks)
        {
            CategoricalBlock.CheckBlocks(blocks, InputSize, nameof(CategoricalBlocks));
            if (EmbeddedSlots is { } embedded && CategoricalEmbedding is { IsOn: true })
                foreach (var b in EmbeddedCategoricalBlocks)
                    if (embedded.Any(s => s >= b.Start && s <= b.End))
                        throw new ArgumentException($"{nameof(EmbeddedSlots)} includes a slot of the categorical block [{b.Start}, {b.End}], which " +
                            $"{nameof(CategoricalEmbedding)} embeds; a slot can be embedded only once.", nameof(EmbeddedSlots));
        }
    }

    /// <summary>Also checks that <see cref="OutputSize"/> fits the head: 1 for binary and regression, ≥ 2 for multiclass.</summary>
    public void Validate(LossKind loss)
    {
        Validate();
        bool ok = loss switch
        {
            LossKind.BinaryLogLoss or LossKind.SquaredError or LossKind.Poisson or LossKind.Huber => OutputSize == 1,
            LossKind.SoftmaxCrossEntropy => OutputSize >= 2,
            _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, "Unknown loss."),
        };
        if (!ok)
            throw new ArgumentOutOfRangeException(nameof(OutputSize), OutputSize,
                $"OutputSize {OutputSize} does not fit the {loss} head (1 for binary and regression, at least 2 for multiclass).");
    }
}
