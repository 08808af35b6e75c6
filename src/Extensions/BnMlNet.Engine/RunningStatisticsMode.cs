namespace BnMlNet;

/// <summary>How the inference-time mean and variance of each batch-normalization unit are obtained.</summary>
public enum RunningStatisticsMode
{
    /// <summary>
    /// Exponential moving average during training, PyTorch's convention:
    /// running = (1 − m)·running + m·batch, with the unbiased batch variance. The default.
    /// </summary>
    ExponentialMovingAverage = 0,
    /// <summary>
    /// Population statistics ("precise BN", Ioffe &amp; Szegedy 2015, Algorithm 2): after training, with the weights
    /// frozen, each layer's mean and variance are recomputed exactly over the whole training set, layer after layer.
    /// </summary>
    Population = 1,
}
