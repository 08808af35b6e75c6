namespace BnMlNet.Engine.Network;

/// <summary>A trainable batch norm: γ and β live in the flat parameter buffer; the running statistics are buffers.</summary>
internal sealed class BatchNormState(int size, ParameterSegment gamma, ParameterSegment beta)
{
    public int Size { get; } = size;
    public ParameterSegment Gamma { get; } = gamma;
    public ParameterSegment Beta { get; } = beta;
    /// <summary>Running mean, starts at 0 (PyTorch).</summary>
    public float[] RunningMean { get; } = new float[size];
    /// <summary>Running (unbiased) variance, starts at 1 (PyTorch).</summary>
    public float[] RunningVariance { get; } = Enumerable.Repeat(1f, size).ToArray();
}

/// <summary>One trainable block: its Dense views, optional bias and batch norm, placement, activation.</summary>
internal sealed class LayerState
{
    public required int Index { get; init; }
    public required int InputSize { get; init; }
    public required int OutputSize { get; init; }
    public required ParameterSegment Weights { get; init; }
    public ParameterSegment? Bias { get; init; }
    public BatchNormState? BatchNorm { get; init; }
    public required BatchNormPlacement Placement { get; init; }
    public required Activation Activation { get; init; }
    public required bool IsOutput { get; init; }
    public required bool HasDropout { get; init; }
    /// <summary>
    /// 1 for a dense layer; G &gt; 1 for a block-diagonal one (an ensemble's layers after the first): <see cref="Weights"/>
    /// then holds only the G blocks of (Out/G)×(In/G), block g at g·(Out/G)·(In/G) (see <see cref="Layers.BlockDenseLayer"/>).
    /// </summary>
    public int Groups { get; init; } = 1;
}

/// <summary>How a forward pass treats batch normalization and dropout.</summary>
internal enum ForwardMode
{
    /// <summary>Batch statistics, running statistics updated (when ≥ 2 rows), dropout on.</summary>
    Train,
    /// <summary>Frozen running statistics, no dropout.</summary>
    Inference,
    /// <summary>Batch statistics but nothing updated and no dropout: train-mode BN used for scoring (research).</summary>
    BatchStatistics,
}

/// <summary>A copy of every parameter and running statistic (for early stopping's "restore the best model").</summary>
internal sealed class NetworkState(float[] values, float[][] runningStatistics)
{
    public float[] Values { get; } = values;
    public float[][] RunningStatistics { get; } = runningStatistics;
}
