using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Layers;
using BnMlNet.Engine.Network;

namespace BnMlNet.Engine;

/// <summary>
/// The frozen network a trained model carries: immutable and thread-safe. Batch norms use their frozen running
/// statistics and are folded into the dense layers for <see cref="Predict"/> and <see cref="PredictBatch"/>;
/// the unfolded parameters stay readable in <see cref="Layers"/> and <see cref="InputBatchNorm"/>.
/// Outputs are raw head values: logits for classification, the value for regression. An ensemble's layers after the
/// first are block-diagonal and are scored block by block, bit-identically to their dense form in <see cref="Layers"/>.
/// </summary>
public sealed partial class InferenceNetwork
{
    private readonly FoldedLayer[] _folded;
    /// <summary>Per folded layer, its block-diagonal form for an ensemble's deeper layers (null: use the dense one).</summary>
    private readonly Ensembles.BlockFoldedLayer?[]? _blocks;
    // Wᵀ of the folded layers the single-row path multiplies with LaneExactMatVec (same bits as RowKernels); null
    // entries (the hidden and narrow layers, or a machine without FMA) go elsewhere.
    private readonly float[]?[] _transposed;
    // The packed weights of the single-row path's layers that PairedMatVec512 multiplies (same bits as RowKernels).
    private readonly float[]?[] _paired;
    private readonly (float[] Scale, float[] Shift)? _outputAffine;
    private readonly int _maxWidth;

    /// <summary>Builds the network; validates shapes and finiteness, throwing <see cref="ArgumentException"/> naming the layer.</summary>
    /// <param name="layers">The blocks, first to last; each block's input size must equal the previous block's output size.</param>
    /// <param name="inputBatchNorm">Batch norm on the raw features, or null.</param>
    /// <param name="leakyReluSlope">Slope used by <see cref="Activation.LeakyRelu"/> blocks.</param>
    public InferenceNetwork(IReadOnlyList<DenseLayerParameters> layers, BatchNormParameters? inputBatchNorm, float leakyReluSlope)
        : this(layers, inputBatchNorm, leakyReluSlope, 1, EnsembleCombination.Mean)
    {
    }

    /// <summary>
    /// An ensemble of <paramref name="ensembleSize"/> members laid side by side in <paramref name="layers"/> (the last
    /// layer's outputs are k groups of <see cref="OutputSize"/>, member 0 first), combined by <paramref name="combination"/>.
    /// With <paramref name="ensembleSize"/> = 1 it is the single network of the other constructor.
    /// </summary>
    /// <param name="layers">The dense layers of the wide network, input side first.</param>
    /// <param name="inputBatchNorm">The (shared) input batch norm, or null.</param>
    /// <param name="leakyReluSlope">LeakyReLU's negative-side slope.</param>
    /// <param name="ensembleSize">Members k, in <see cref="SettingRules.EnsembleSize"/>; the last layer's width must be a multiple of k.</param>
    /// <param name="combination">How the members' raw outputs become the ensemble's.</param>
    public InferenceNetwork(IReadOnlyList<DenseLayerParameters> layers, BatchNormParameters? inputBatchNorm, float leakyReluSlope,
        int ensembleSize, EnsembleCombination combination)
        : this(layers, inputBatchNorm, leakyReluSlope, ensembleSize, combination, null)
    {
    }

    /// <summary>
    /// A network with a numerical embedding between the input batch norm (when any) and the first dense layer:
    /// features → input batch norm → <paramref name="embedding"/> → layers. The input batch norm is then applied
    /// on its own (it cannot fold through the embedding's cosines) and the dense layers are folded from layer 0.
    /// </summary>
    /// <param name="layers">The dense layers, input side first; layer 0 takes the embedding's output.</param>
    /// <param name="inputBatchNorm">Batch norm on the raw features (before the embedding), or null.</param>
    /// <param name="leakyReluSlope">LeakyReLU's negative-side slope.</param>
    /// <param name="ensembleSize">Members k; with k &gt; 1 the embedding is shared by the members (layer 0 is their wide first layer).</param>
    /// <param name="combination">How the members' raw outputs become the ensemble's.</param>
    /// <param name="embedding">The embedding, or null for none (the other constructors).</param>
    public InferenceNetwork(IReadOnlyList<DenseLayerParameters> layers, BatchNormParameters? inputBatchNorm, float leakyReluSlope,
        int ensembleSize, EnsembleCombination combination, PeriodicEmbeddingParameters? embedding)
    {
        SettingRules.EnsembleSize.Check(ensembleSize, nameof(ensembleSize));
        SettingRules.CheckDefined(combination, nameof(combination));
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("The network needs at least one layer.", nameof(layers));
        if (!float.IsFinite(leakyReluSlope)) throw new ArgumentException("leakyReluSlope must be finite.", nameof(leakyReluSlope));
        for (int l = 0; l < layers.Count; l++)
        {
            var p = layers[l] ?? throw new ArgumentException($"Layer {l} is null.", nameof(layers));
            if (l > 0 && p.InputSize != layers[l - 1].OutputSize)
                throw new ArgumentException($"Layer {l} takes {p.InputSize} inputs but layer {l - 1} gives {layers[l - 1].OutputSize}.", nameof(layers));
            CheckFinite(p.Weights, $"Layer {l} weights");
            if (p.Bias is not null) CheckFinite(p.Bias, $"Layer {l} bias");
            if (p.BatchNorm is not null) CheckBatchNorm(p.BatchNorm, $"Layer {l} batch norm");
        }
        if (embedding is not null)
        {
            if (embedding.OutputSize != layers[0].InputSize)
                throw new ArgumentException($"The embedding gives {embedding.OutputSize} values but layer 0 takes {layers[0].InputSize} inputs.", nameof(embedding));
        }
        int rawInputSize = embedding?.InputSize ?? layers[0].InputSize;
        if (inputBatchNorm is not null)
        {
            if (inputBatchNorm.Size != rawInputSize)
                throw new ArgumentException($"The input batch norm has {inputBatchNorm.Size} units but the network takes {rawInputSize} inputs.", nameof(inputBatchNorm));
            CheckBatchNorm(inputBatchNorm, "The input batch norm");
        }
        Layers = layers.ToArray();
        InputBatchNorm = inputBatchNorm;
        LeakyReluSlope = leakyReluSlope;
        Embedding = embedding;
        _inputAffine = embedding is not null && inputBatchNorm is not null ? InputAffine(inputBatchNorm) : null;
        _folded = FoldedLayer.Fold(Layers, embedding is null ? inputBatchNorm : null, out _outputAffine);
        if (Layers[^1].OutputSize % ensembleSize != 0)
            throw new ArgumentException($"The last layer's {Layers[^1].OutputSize} outputs do not split into {ensembleSize} members.", nameof(ensembleSize));
        EnsembleSize = ensembleSize;
        Combination = combination;
        _blocks = ensembleSize > 1 ? Ensembles.BlockFoldedLayer.For(_folded, ensembleSize) : null;
        _maxWidth = Math.Max(Math.Max(InputSize, Layers[0].InputSize), Layers.Max(p => p.OutputSize));
        InputGuard = OverflowGuard.InputBound(_folded, _outputAffine, leakyReluSlope);
        _transposed = _folded.Select((f, l) => LaneExactMatVec.IsSupported && l == 0 && f.OutputSize >= LaneExactMinimumOutputs
            && f.InputSize * f.OutputSize <= LaneExactMaximumWeights ? LaneExactMatVec.Transpose(f.Weights, f.InputSize, f.OutputSize) : null).ToArray();
        _paired = _folded.Select((f, l) => PairedMatVec512.IsSupported && _transposed[l] is null && _blocks?[l] is null
            && f.InputSize * f.OutputSize > LaneExactMaximumWeights
            && f.OutputSize >= PairedMinimumOutputs ? PairedMatVec512.Pack(f.Weights, f.Bias, f.InputSize, f.OutputSize) : null).ToArray();
    }

    // Only the first layer, whose input is the sparse one (one-hot slots), skips its zero inputs: on Adult's hidden
    // layer (ReLU outputs) skipping, and PairedMatVec512, measured no faster than RowKernels inside the whole network
    // on real rows (docs/performance/bulk.md); below 8 outputs RowKernels is faster. Above 128 Ki weights (Fashion-
    // MNIST's 784×256) the strided reads of Wᵀ measured slower than RowKernels' streaming ones, and PairedMatVec512
    // (AVX-512, two outputs per register, the same bits) measured 1.33× RowKernels on that layer alone.
    private const int PairedMinimumOutputs = 16;

    private const int LaneExactMinimumOutputs = 8, LaneExactMaximumWeights = 1 << 17;

    /// <summary>
    /// Every feature is clamped to ±InputGuard before the first layer (a no-op for any value within it, so ordinary
    /// rows score exactly as without it). Derived from the folded weights so that no layer's value can exceed 1e30 in
    /// magnitude: finite input, even ±float.MaxValue, never overflows into ±∞ or ∞ − ∞ = NaN. NaN is not clamped.
    /// </summary>
    public float InputGuard { get; }

    private static void CheckFinite(IReadOnlyList<float> values, string what)
    {
        for (int i = 0; i < values.Count; i++)
            if (!float.IsFinite(values[i])) throw new ArgumentException($"{what}: value {i} is {values[i]}, not finite.");
    }

    private static void CheckBatchNorm(BatchNormParameters bn, string what)
    {
        CheckFinite(bn.Gamma, what + " gamma");
        CheckFinite(bn.Beta, what + " beta");
        CheckFinite(bn.RunningMean, what + " running mean");
        CheckFinite(bn.RunningVariance, what + " running variance");
        if (!(bn.Epsilon >= 0) || !float.IsFinite(bn.Epsilon)) throw new ArgumentException($"{what}: epsilon {bn.Epsilon} must be finite and non-negative.");
        for (int i = 0; i < bn.Size; i++)
            if (bn.RunningVariance[i] + bn.Epsilon <= 0)
                throw new ArgumentException($"{what}: running variance {i} plus epsilon is {bn.RunningVariance[i] + bn.Epsilon}, must be positive.");
    }

    /// <summary>The blocks, first to last, with unfolded parameters and frozen statistics.</summary>
    public IReadOnlyList<DenseLayerParameters> Layers { get; }
    /// <summary>Batch norm on the raw features, or null.</summary>
    public BatchNormParameters? InputBatchNorm { get; }
    /// <summary>Slope used by <see cref="Activation.LeakyRelu"/> blocks.</summary>
    public float LeakyReluSlope { get; }
    /// <summary>Features per row.</summary>
    public int InputSize => Embedding?.InputSize ?? Layers[0].InputSize;
    /// <summary>Raw outputs per row.</summary>
    public int OutputSize => Layers[^1].OutputSize / EnsembleSize;

    /// <summary>Members laid side by side in <see cref="Layers"/> (1 for a single network).</summary>
    public int EnsembleSize { get; }

    /// <summary>How the members' raw outputs become the ensemble's (only read when <see cref="EnsembleSize"/> &gt; 1).</summary>
    public EnsembleCombination Combination { get; }

    /// <summary>Per-thread buffers for <see cref="Predict"/>.</summary>
    public InferenceScratch CreateScratch() => new(_maxWidth);

    /// <summary>
    /// Scores one row with the folded network; allocation-free. The result for a row does not depend on which
    /// other rows are scored (<see cref="PredictBatch"/> runs this same path row by row).
    /// </summary>
    /// <param name="features">InputSize features.</param>
    /// <param name="output">Receives OutputSize raw outputs.</param>
    /// <param name="scratch">Buffers from <see cref="CreateScratch"/>, used by one thread at a time.</param>
    public void Predict(ReadOnlySpan<float> features, Span<float> output, InferenceScratch scratch)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        if (features.Length < InputSize) throw new ArgumentException($"Expected {InputSize} features, got {features.Length}.", nameof(features));
        if (output.Length < OutputSize) throw new ArgumentException($"Expected room for {OutputSize} outputs, got {output.Length}.", nameof(output));
        if (scratch.A.Length < _maxWidth) throw new ArgumentException("The scratch belongs to another network.", nameof(scratch));
        PredictRow(features, output, scratch);
    }

    private const int BlockRows = 64;

    private void PredictRow(ReadOnlySpan<float> features, Span<float> output, InferenceScratch scratch)
        => PredictRows(features, 1, output, scratch.A, scratch.B, scratch.Lanes);

    /// <summary>
    /// Scores up to a block of rows through the folded layers; a and b hold rows×max width each. With
    /// <paramref name="lanes"/> (one row) the first layer goes through <see cref="LaneExactMatVec"/>, which skips exactly-zero
    /// inputs (one-hot slots), and layers above 128 Ki weights through <see cref="PairedMatVec512"/>; both give
    /// <see cref="RowKernels"/>' bits, so both paths score a row alike.
    /// </summary>
    private void PredictRows(ReadOnlySpan<float> features, int rows, Span<float> output, float[] a, float[] b, int[]? lanes = null)
    {
        // The guard goes into b: the first layer writes a, the second b, so the clamped features are read before b is reused.
        Span<float> guarded = b.AsSpan(0, rows * InputSize);
        var input = features[..(rows * InputSize)];
        RowKernels.Clamp(input, guarded, InputGuard);
        ReadOnlySpan<float> x = guarded;
        float[] next = a, other = b;
        if (Embedding is not null)
        {
            x = EmbedRows(guarded, rows, a);   // b → a
            (next, other) = (b, a);
        }
        for (int l = 0; l < _folded.Length; l++)
        {
            var layer = _folded[l];
            Span<float> y = next.AsSpan(0, rows * layer.OutputSize);
            if (_blocks?[l] is { } block) block.MatMulRows(y, x, rows);   // an ensemble's members, block by block
            else if (lanes is not null && rows == 1 && _transposed[l] is { } weightsT)
                LaneExactMatVec.Multiply(y, weightsT, layer.Bias, x, layer.InputSize, layer.OutputSize, lanes);
            else if (lanes is not null && rows == 1 && _paired[l] is { } packed)
                PairedMatVec512.Multiply(y, packed, x, layer.InputSize, layer.OutputSize);
            else
                RowKernels.MatMulRows(y, layer.Weights, layer.Bias, x, rows, layer.InputSize, layer.OutputSize);
            Activations.Forward(y, y, layer.Activation, LeakyReluSlope);
            x = y;
            (next, other) = (other, next);
        }
        Span<float> o = output[..(rows * OutputSize)];
        if (EnsembleSize > 1)
        {
            int wide = Layers[^1].OutputSize;
            if (_outputAffine is { } wa)
            {
                Span<float> raw = next.AsSpan(0, rows * wide);
                for (int r = 0; r < rows; r++)
                    for (int i = 0; i < wide; i++)
                        raw[r * wide + i] = wa.Scale[i] * x[r * wide + i] + wa.Shift[i];
                x = raw;
            }
            Ensembles.EnsembleCombiner.Combine(Combination, x, rows, EnsembleSize, OutputSize, o);
        }
        else if (_outputAffine is { } aff)
        {
            for (int r = 0; r < rows; r++)
                for (int i = 0; i < OutputSize; i++)
                    o[r * OutputSize + i] = aff.Scale[i] * x[r * OutputSize + i] + aff.Shift[i];
        }
        else
        {
            x.CopyTo(o);
        }
    }

    private void PredictRange(ReadOnlySpan<float> features, Span<float> output, int start, int end)
    {
        var a = new float[BlockRows * _maxWidth];
        var b = new float[BlockRows * _maxWidth];
        for (int r = start; r < end; r += BlockRows)
        {
            int n = Math.Min(BlockRows, end - r);
            PredictRows(features.Slice(r * InputSize, n * InputSize), n, output.Slice(r * OutputSize, n * OutputSize), a, b);
        }
    }

    /// <summary>
    /// Scores <paramref name="rows"/> rows (features row-major [rows×InputSize], output [rows×OutputSize]) on up to
    /// <paramref name="threads"/> threads. Bit-identical to <see cref="Predict"/> row by row, whatever the thread count.
    /// </summary>
    public void PredictBatch(ReadOnlySpan<float> features, int rows, Span<float> output, int threads = 1)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "rows must be non-negative.");
        if (features.Length < (long)rows * InputSize) throw new ArgumentException($"Expected {rows}×{InputSize} features.", nameof(features));
        if (output.Length < (long)rows * OutputSize) throw new ArgumentException($"Expected room for {rows}×{OutputSize} outputs.", nameof(output));
        int workers = Math.Clamp(threads, 1, Math.Max(1, rows / BlockRows));
        if (workers == 1)
        {
            PredictRange(features, output, 0, rows);
            return;
        }
        unsafe
        {
            fixed (float* fp = features)
            fixed (float* op = output)
            {
                nint f = (nint)fp, o = (nint)op;
                int chunk = (rows + workers - 1) / workers;
                Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
                {
                    int start = w * chunk, end = Math.Min(rows, start + chunk);
                    PredictRange(new ReadOnlySpan<float>((float*)f, rows * InputSize), new Span<float>((float*)o, rows * OutputSize), start, end);
                });
            }
        }
    }
}
