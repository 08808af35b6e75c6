using BnMlNet.Engine.Network;

namespace BnMlNet.Engine.Research;

/// <summary>
/// The research surface the experiments use: probes into a <see cref="TrainingSession"/> that read what a user of the
/// trainers never needs. None of them changes the weights, the optimizer state or the running statistics.
/// </summary>
public static class SessionProbes
{
    /// <summary>
    /// The values entering hidden layer <paramref name="hiddenLayer"/>'s activation for the given rows, [rows×width]
    /// row-major: the batch-norm output for <see cref="BatchNormPlacement.BeforeActivation"/>, the Dense output
    /// otherwise. Inference mode (frozen statistics) by default; with <paramref name="useBatchStatistics"/> the batch
    /// norms normalize with these rows' own statistics. Nothing is updated.
    /// </summary>
    public static float[] GetActivationInputs(this TrainingSession session, ReadOnlySpan<float> features, int rows, int hiddenLayer, bool useBatchStatistics = false)
    {
        session.CheckRows(features, rows, useBatchStatistics);
        if (hiddenLayer < 0 || hiddenLayer >= session.HiddenLayerCount)
            throw new ArgumentOutOfRangeException(nameof(hiddenLayer), hiddenLayer, $"There are {session.HiddenLayerCount} hidden layers.");
        session.Network.Forward(features, rows, useBatchStatistics ? ForwardMode.BatchStatistics : ForwardMode.Inference);
        return session.Network.ActivationInput(hiddenLayer).ToArray();
    }

    /// <summary>
    /// Scores rows with TRAIN-MODE batch norm: every batch norm normalizes with these rows' own mean and variance
    /// instead of the running statistics (the "wrong test-time statistics" experiment). No dropout, nothing updated.
    /// Returns [rows×OutputSize] raw outputs.
    /// </summary>
    public static float[] ScoreWithBatchStatistics(this TrainingSession session, ReadOnlySpan<float> features, int rows)
    {
        session.CheckRows(features, rows, batchStatistics: true);
        return session.Network.Forward(features, rows, ForwardMode.BatchStatistics).ToArray();
    }

    /// <summary>
    /// The gradient of hidden or output layer <paramref name="layer"/>'s Dense bias from the last <see cref="TrainingSession.Step"/>,
    /// or null when that layer has no bias (a Dense layer followed by batch norm has none unless
    /// <see cref="NetworkSpec.KeepBiasBeforeBatchNorm"/> is set; then this gradient is zero up to rounding).
    /// </summary>
    public static float[]? GetDenseBiasGradient(this TrainingSession session, int layer)
    {
        if (layer < 0 || layer >= session.Network.Layers.Length)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"There are {session.Network.Layers.Length} layers.");
        return session.Network.Layers[layer].Bias is { } b ? session.Network.Parameters.Gradient(b).ToArray() : null;
    }
}
