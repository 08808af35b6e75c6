using BnMlNet.Engine;
using BnMlNet.Engine.Preprocessing;

namespace BnMlNet.Tests.Embedding;

/// <summary>What the embedding training tests (categorical and periodic) share: their settings and the values they compare.</summary>
internal static class EmbeddingTraining
{
    /// <summary><paramref name="epochs"/> epochs at batch 128, seed 5, learning rate 3e-3, robust scaling, on <paramref name="threads"/> threads.</summary>
    public static TrainingSettings Settings(int threads, int epochs = 3) => new()
    {
        Epochs = epochs, BatchSize = 128, Threads = threads, Seed = 5, LearningRate = 3e-3f,
        Preprocessing = new PreprocessingSettings(NumericScaling.Robust),
    };

    /// <summary>Every value of the frozen network: each layer's weights, bias and batch norm (running statistics included), then the numerical embedding's, if any.</summary>
    public static float[] AllValues(InferenceNetwork net)
        => net.Layers.SelectMany(l => l.Weights.Concat(l.Bias ?? []).Concat(l.BatchNorm is { } b
            ? b.Gamma.Concat(b.Beta).Concat(b.RunningMean).Concat(b.RunningVariance) : []))
            .Concat(net.Embedding is { } e ? e.Frequency.Concat(e.Weights).Concat(e.Bias) : []).ToArray();
}
