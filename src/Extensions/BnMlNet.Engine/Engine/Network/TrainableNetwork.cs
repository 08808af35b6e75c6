using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Layers;

namespace BnMlNet.Engine.Network;

/// <summary>
/// The mutable training state of a BN-MLP: one flat parameter buffer (views per layer), running statistics,
/// and the workspace. Forward and backward run the layer pairs over whole mini-batches.
/// </summary>
/// <remarks>
/// Block l (hidden): X → Z = Dense(X) → [BeforeActivation: BN → act | AfterActivation: act → BN | None: act]
/// → dropout (train only). The output block is Dense with bias. An optional input BN normalizes X of block 0.
/// </remarks>
internal sealed class TrainableNetwork
{
    private readonly Xoshiro256 _dropoutRng;
    private Workspace? _workspace;
    private ForwardMode _lastMode;
    private int _lastRows;

    /// <summary>Builds the network and initializes it from <paramref name="seed"/> (He/Glorot weights, zero biases, γ = 1, β = 0).</summary>
    public TrainableNetwork(NetworkSpec spec, ulong seed, float batchNormEpsilon = 1e-5f, float batchNormMomentum = 0.1f, int threads = 1)
    {
        spec.Validate();
        Spec = spec;
        Epsilon = batchNormEpsilon;
        Momentum = batchNormMomentum;
        Threads = threads;

        // Layout: all Dense weights first (the decayed prefix), then biases, γ and β.
        int depth = spec.HiddenSizes.Count + 1;
        int[] ins = new int[depth], outs = new int[depth];
        for (int l = 0; l < depth; l++)
        {
            ins[l] = l == 0 ? spec.InputSize : spec.HiddenSizes[l - 1];
            outs[l] = l == depth - 1 ? spec.OutputSize : spec.HiddenSizes[l];
        }
        bool hiddenBn = spec.Placement != BatchNormPlacement.None;
        int weightCount = 0, otherCount = spec.InputBatchNorm ? 2 * spec.InputSize : 0;
        for (int l = 0; l < depth; l++)
        {
            weightCount += ins[l] * outs[l];
            bool isOutput = l == depth - 1;
            if (HasBias(spec, isOutput)) otherCount += outs[l];
            if (!isOutput && hiddenBn) otherCount += 2 * outs[l];
        }
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
            var weights = Next($"layer{l}.weight", ParameterKind.DenseWeight, ins[l] * outs[l]);
            ParameterSegment? bias = HasBias(spec, isOutput) ? Next($"layer{l}.bias", ParameterKind.DenseBias, outs[l]) : null;
            BatchNormState? bn = !isOutput && hiddenBn
                ? new BatchNormState(outs[l], Next($"layer{l}.bn.gamma", ParameterKind.BatchNormGamma, outs[l]),
                    Next($"layer{l}.bn.beta", ParameterKind.BatchNormBeta, outs[l]))
                : null;
            Layers[l] = new LayerState
            {
                Index = l, InputSize = ins[l], OutputSize = outs[l], Weights = weights, Bias = bias, BatchNorm = bn,
                Placement = isOutput ? BatchNormPlacement.None : spec.Placement,
                Activation = isOutput ? Activation.Identity : spec.Activation,
                IsOutput = isOutput, HasDropout = !isOutput && spec.DropoutRate > 0,
            };
        }

        // Initialization: one generator for weights, an independent stream for dropout masks.
        var init = new Xoshiro256(seed);
        _dropoutRng = new Xoshiro256(seed ^ 0x5DEECE66DUL);
        foreach (var layer in Layers)
            Initialization.InitializeWeights(Parameters.Value(layer.Weights), layer.InputSize, layer.OutputSize,
                layer.Activation, spec.LeakyReluSlope, init);
        foreach (var bn in AllBatchNorms())
            Parameters.Value(bn.Gamma).Fill(1f);
    }

    private static bool HasBias(NetworkSpec spec, bool isOutput)
        => isOutput || spec.Placement != BatchNormPlacement.BeforeActivation || spec.KeepBiasBeforeBatchNorm;

    public NetworkSpec Spec { get; }
    public ParameterBuffer Parameters { get; }
    public LayerState[] Layers { get; }
    public BatchNormState? InputBatchNorm { get; }
    public float Epsilon { get; }
    public float Momentum { get; }
    public int Threads { get; set; }

    /// <summary>Every batch norm, input first, then the hidden layers in order (the order population statistics use).</summary>
    public BatchNormState[] AllBatchNorms() => _allBatchNorms ??=
        (InputBatchNorm is null ? [] : new[] { InputBatchNorm })
            .Concat(Layers.Where(l => l.BatchNorm is not null).Select(l => l.BatchNorm!)).ToArray();

    private BatchNormState[]? _allBatchNorms;

    /// <summary>The workspace for at least <paramref name="rows"/> rows; reallocated only when it grows.</summary>
    public Workspace EnsureWorkspace(int rows)
    {
        if (_workspace is null || _workspace.Capacity < rows)
            _workspace = new Workspace(Math.Max(rows, _workspace?.Capacity ?? 0), Spec.InputSize, InputBatchNorm, Layers);
        return _workspace;
    }

    /// <summary>
    /// Forward pass over <paramref name="rows"/> rows of x [rows×InputSize]; returns the raw outputs [rows×OutputSize].
    /// With <paramref name="stopAtBatchNormOf"/> = l ≥ 0 it stops once block l's batch-norm input is computed
    /// (returning an empty span); −1 stops before the input batch norm.
    /// </summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> x, int rows, ForwardMode mode, int stopAtBatchNormOf = int.MaxValue)
    {
        var ws = EnsureWorkspace(rows);
        _lastMode = mode;
        _lastRows = rows;
        var p = Parameters;
        ReadOnlySpan<float> input = x[..(rows * Spec.InputSize)];
        if (InputBatchNorm is not null)
        {
            if (stopAtBatchNormOf == -1) return default;
            ApplyBatchNorm(InputBatchNorm, ws.InputBatchNorm!, input, rows, mode);
            input = ws.InputBatchNorm!.Output.AsSpan(0, rows * Spec.InputSize);
        }
        foreach (var layer in Layers)
        {
            var b = ws.Layers[layer.Index];
            int n = rows * layer.OutputSize;
            ReadOnlySpan<float> bias = layer.Bias is { } bs ? p.Value(bs) : default;
            DenseLayer.Forward(b.Z, input, p.Value(layer.Weights), bias, rows, layer.InputSize, layer.OutputSize, Threads);
            if (layer.IsOutput)
            {
                b.Output = b.Z;
                return b.Z.AsSpan(0, n);
            }
            float[] post;
            switch (layer.Placement)
            {
                case BatchNormPlacement.BeforeActivation:
                    if (stopAtBatchNormOf == layer.Index) return default;
                    ApplyBatchNorm(layer.BatchNorm!, b.BatchNorm!, b.Z.AsSpan(0, n), rows, mode);
                    ActivationWork.Forward(b.Activation.AsSpan(0, n), b.BatchNorm!.Output.AsSpan(0, n), layer.Activation, Spec.LeakyReluSlope, Threads);
                    post = b.Activation;
                    break;
                case BatchNormPlacement.AfterActivation:
                    ActivationWork.Forward(b.Activation.AsSpan(0, n), b.Z.AsSpan(0, n), layer.Activation, Spec.LeakyReluSlope, Threads);
                    if (stopAtBatchNormOf == layer.Index) return default;
                    ApplyBatchNorm(layer.BatchNorm!, b.BatchNorm!, b.Activation.AsSpan(0, n), rows, mode);
                    post = b.BatchNorm!.Output;
                    break;
                default:
                    ActivationWork.Forward(b.Activation.AsSpan(0, n), b.Z.AsSpan(0, n), layer.Activation, Spec.LeakyReluSlope, Threads);
                    post = b.Activation;
                    break;
            }
            if (layer.HasDropout && mode == ForwardMode.Train)
            {
                Dropout.Forward(b.Dropped.AsSpan(0, n), b.Mask, post.AsSpan(0, n), Spec.DropoutRate, _dropoutRng);
                post = b.Dropped;
            }
            b.Output = post;
            input = post.AsSpan(0, n);
        }
        throw new InvalidOperationException("The network has no output layer.");
    }

    private void ApplyBatchNorm(BatchNormState bn, BatchNormBuffers b, ReadOnlySpan<float> x, int rows, ForwardMode mode)
    {
        int n = rows * bn.Size;
        var gamma = Parameters.Value(bn.Gamma);
        var beta = Parameters.Value(bn.Beta);
        if (mode == ForwardMode.Inference)
        {
            BatchNormLayer.ForwardInference(b.Output.AsSpan(0, n), x, gamma, beta, bn.RunningMean, bn.RunningVariance, rows, bn.Size, Epsilon);
            return;
        }
        BatchNormWork.ForwardTrain(b.Output.AsSpan(0, n), b.Xhat.AsSpan(0, n), b.Mean, b.Variance, b.Rstd, x, gamma, beta,
            bn.RunningMean, bn.RunningVariance, updateRunning: mode == ForwardMode.Train && rows >= 2, rows, bn.Size, Epsilon, Momentum, Threads);
    }

    /// <summary>The values entering block <paramref name="layer"/>'s activation in the last forward pass, [rows×width].</summary>
    public ReadOnlySpan<float> ActivationInput(int layer)
    {
        var ws = _workspace ?? throw new InvalidOperationException("No forward pass has run.");
        var L = Layers[layer];
        var b = ws.Layers[layer];
        var src = L.Placement == BatchNormPlacement.BeforeActivation ? b.BatchNorm!.Output : b.Z;
        return src.AsSpan(0, _lastRows * L.OutputSize);
    }

    /// <summary>The input of block <paramref name="layer"/>'s batch norm in the last forward pass (−1: the input batch norm's input is x itself).</summary>
    public ReadOnlySpan<float> BatchNormInput(int layer)
    {
        var ws = _workspace ?? throw new InvalidOperationException("No forward pass has run.");
        var L = Layers[layer];
        var b = ws.Layers[layer];
        var src = L.Placement == BatchNormPlacement.BeforeActivation ? b.Z : b.Activation;
        return src.AsSpan(0, _lastRows * L.OutputSize);
    }

    /// <summary>The batch norm's normalized values x̂ from the last batch-statistics forward pass, [rows×width].</summary>
    public ReadOnlySpan<float> NormalizedValues(int layer)
    {
        var ws = _workspace ?? throw new InvalidOperationException("No forward pass has run.");
        return ws.Layers[layer].BatchNorm!.Xhat.AsSpan(0, _lastRows * Layers[layer].OutputSize);
    }

    /// <summary>
    /// Backward pass for the last forward pass (which must have used batch statistics): fills
    /// <see cref="ParameterBuffer.Gradients"/> (overwritten, not accumulated) from ∂L/∂outputs.
    /// <paramref name="x"/> is the same input the forward pass got.
    /// </summary>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dOutputs)
    {
        if (_lastMode == ForwardMode.Inference)
            throw new InvalidOperationException("Backward needs a forward pass with batch statistics.");
        var ws = _workspace!;
        var p = Parameters;
        int rows = _lastRows;
        ReadOnlySpan<float> dOut = dOutputs[..(rows * Spec.OutputSize)];
        for (int l = Layers.Length - 1; l >= 0; l--)
        {
            var layer = Layers[l];
            var b = ws.Layers[l];
            int n = rows * layer.OutputSize;
            ReadOnlySpan<float> dz = dOut;
            if (!layer.IsOutput)
            {
                ReadOnlySpan<float> d = dOut;
                if (layer.HasDropout && _lastMode == ForwardMode.Train)
                {
                    Dropout.Backward(ws.Scratch1.AsSpan(0, n), d, b.Mask);
                    d = ws.Scratch1.AsSpan(0, n);
                }
                var bn = layer.BatchNorm;
                var bb = b.BatchNorm;
                Span<float> s2 = ws.Scratch2.AsSpan(0, n), s3 = ws.Scratch3.AsSpan(0, n);
                switch (layer.Placement)
                {
                    case BatchNormPlacement.BeforeActivation:
                        ActivationWork.Backward(s2, d, bb!.Output.AsSpan(0, n), b.Activation.AsSpan(0, n), layer.Activation, Spec.LeakyReluSlope, Threads);
                        BatchNormWork.Backward(s3, p.Gradient(bn!.Gamma), p.Gradient(bn.Beta), s2, bb.Xhat, p.Value(bn.Gamma), bb.Rstd, rows, layer.OutputSize, Threads);
                        break;
                    case BatchNormPlacement.AfterActivation:
                        BatchNormWork.Backward(s2, p.Gradient(bn!.Gamma), p.Gradient(bn.Beta), d, bb!.Xhat, p.Value(bn.Gamma), bb.Rstd, rows, layer.OutputSize, Threads);
                        ActivationWork.Backward(s3, s2, b.Z.AsSpan(0, n), b.Activation.AsSpan(0, n), layer.Activation, Spec.LeakyReluSlope, Threads);
                        break;
                    default:
                        ActivationWork.Backward(s3, d, b.Z.AsSpan(0, n), b.Activation.AsSpan(0, n), layer.Activation, Spec.LeakyReluSlope, Threads);
                        break;
                }
                dz = s3;
            }
            ReadOnlySpan<float> layerInput = l > 0
                ? ws.Layers[l - 1].Output.AsSpan(0, rows * layer.InputSize)
                : InputBatchNorm is not null ? ws.InputBatchNorm!.Output.AsSpan(0, rows * layer.InputSize) : x[..(rows * layer.InputSize)];
            Span<float> dx = l > 0
                ? ws.Layers[l - 1].OutputGradient.AsSpan(0, rows * layer.InputSize)
                : InputBatchNorm is not null ? ws.InputGradient.AsSpan(0, rows * layer.InputSize) : default;
            Span<float> dBias = layer.Bias is { } bs ? p.Gradient(bs) : default;
            DenseLayer.Backward(dx, p.Gradient(layer.Weights), dBias, dz, layerInput, p.Value(layer.Weights),
                rows, layer.InputSize, layer.OutputSize, Threads);
            dOut = dx;
        }
        if (InputBatchNorm is { } ib)
        {
            var bb = ws.InputBatchNorm!;
            BatchNormWork.Backward(ws.Scratch1.AsSpan(0, rows * ib.Size), p.Gradient(ib.Gamma), p.Gradient(ib.Beta),
                dOut, bb.Xhat, p.Value(ib.Gamma), bb.Rstd, rows, ib.Size, Threads);
        }
    }

    /// <summary>A frozen, immutable copy: current parameters and running statistics.</summary>
    public InferenceNetwork ToInferenceNetwork()
    {
        var p = Parameters;
        var layers = new DenseLayerParameters[Layers.Length];
        foreach (var l in Layers)
        {
            layers[l.Index] = new DenseLayerParameters(l.InputSize, l.OutputSize, p.Value(l.Weights).ToArray(),
                l.Bias is { } b ? p.Value(b).ToArray() : null, ToParameters(l.BatchNorm), l.Placement, l.Activation);
        }
        return new InferenceNetwork(layers, ToParameters(InputBatchNorm), Spec.LeakyReluSlope);
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
            Copy(src.Weights, Parameters.Value(l.Weights));
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
