namespace BnMlNet;

/// <summary>
/// One frozen block of the network: z = W·x (+ b), then, by <see cref="Placement"/>, batch normalization before or
/// after <see cref="Activation"/>, or none. Immutable; the lists are copies.
/// </summary>
public sealed class DenseLayerParameters
{
    /// <summary>Creates the block from copies of the given values.</summary>
    /// <param name="inputSize">Inputs per row (≥ 1).</param>
    /// <param name="outputSize">Units (≥ 1).</param>
    /// <param name="weights">W, [outputSize × inputSize] row-major (PyTorch's nn.Linear layout).</param>
    /// <param name="bias">b (outputSize values), or null when batch normalization follows the Dense layer directly.</param>
    /// <param name="batchNorm">The block's batch norm (outputSize units), or null when <paramref name="placement"/> is <see cref="BatchNormPlacement.None"/>.</param>
    /// <param name="placement">Where the batch norm sits; the output layer uses <see cref="BatchNormPlacement.None"/>.</param>
    /// <param name="activation">The block's nonlinearity; the output layer uses <see cref="Activation.Identity"/>.</param>
    public DenseLayerParameters(int inputSize, int outputSize, IReadOnlyList<float> weights, IReadOnlyList<float>? bias,
        BatchNormParameters? batchNorm, BatchNormPlacement placement, Activation activation)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (inputSize < 1) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "inputSize must be at least 1.");
        if (outputSize < 1) throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "outputSize must be at least 1.");
        if (weights.Count != (long)inputSize * outputSize)
            throw new ArgumentException($"weights has {weights.Count} values, expected {outputSize}×{inputSize}.", nameof(weights));
        if (bias is not null && bias.Count != outputSize)
            throw new ArgumentException($"bias has {bias.Count} values, expected {outputSize}.", nameof(bias));
        if (!Enum.IsDefined(placement)) throw new ArgumentOutOfRangeException(nameof(placement), placement, "Unknown placement.");
        if (!Enum.IsDefined(activation)) throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        if ((batchNorm is null) != (placement == BatchNormPlacement.None))
            throw new ArgumentException($"placement {placement} needs batchNorm to be {(placement == BatchNormPlacement.None ? "null" : "given")}.", nameof(batchNorm));
        if (batchNorm is not null && batchNorm.Size != outputSize)
            throw new ArgumentException($"batchNorm has {batchNorm.Size} units, expected {outputSize}.", nameof(batchNorm));
        InputSize = inputSize;
        OutputSize = outputSize;
        Weights = Array.AsReadOnly(weights.ToArray());
        Bias = bias is null ? null : Array.AsReadOnly(bias.ToArray());
        BatchNorm = batchNorm;
        Placement = placement;
        Activation = activation;
    }

    /// <summary>Inputs per row.</summary>
    public int InputSize { get; }
    /// <summary>Units.</summary>
    public int OutputSize { get; }
    /// <summary>W, [OutputSize × InputSize] row-major.</summary>
    public IReadOnlyList<float> Weights { get; }
    /// <summary>b, or null when batch normalization follows the Dense layer (β plays the bias's role).</summary>
    public IReadOnlyList<float>? Bias { get; }
    /// <summary>The block's batch norm with its frozen statistics, or null.</summary>
    public BatchNormParameters? BatchNorm { get; }
    /// <summary>Where the batch norm sits in the block.</summary>
    public BatchNormPlacement Placement { get; }
    /// <summary>The block's nonlinearity.</summary>
    public Activation Activation { get; }
}
