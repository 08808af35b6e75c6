using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Layers;

namespace BnMlNet.Engine.Network;

/// <summary>Seeded weight initialization.</summary>
internal static class Initialization
{
    /// <summary>
    /// He (Kaiming) normal for ReLU-like activations: W ~ N(0, gain²/fan_in), gain = √(2/(1 + slope²))
    /// (√2 for ReLU and the smooth ReLU-likes, the leaky slope for LeakyReLU).
    /// Xavier/Glorot uniform for tanh, sigmoid and the identity: W ~ U(−a, a), a = √(6/(fan_in + fan_out)).
    /// </summary>
    public static void InitializeWeights(Span<float> weights, int inSize, int outSize, Activation activation,
        float leakySlope, Xoshiro256 rng)
    {
        if (Activations.UsesHeInitialization(activation))
        {
            double slope = activation == Activation.LeakyRelu ? leakySlope : 0.0;
            double std = Math.Sqrt(2.0 / (1.0 + slope * slope)) / Math.Sqrt(inSize);
            for (int i = 0; i < weights.Length; i++) weights[i] = (float)(std * rng.NextGaussian());
        }
        else
        {
            double a = Math.Sqrt(6.0 / (inSize + outSize));
            for (int i = 0; i < weights.Length; i++) weights[i] = (float)(a * (2.0 * rng.NextDouble() - 1.0));
        }
    }

    /// <summary>
    /// The periodic embedding: frequencies c ~ N(0, σ²); W and b ~ U(±1/√(2k)), PyTorch's Linear default for 2k inputs
    /// (as rtdl's per-feature linear layers). Drawn in that order: all of c, then W, then b.
    /// </summary>
    public static void InitializeEmbedding(Span<float> frequency, Span<float> weights, Span<float> bias, int frequencies, float sigma, Xoshiro256 rng)
    {
        for (int i = 0; i < frequency.Length; i++) frequency[i] = (float)(sigma * rng.NextGaussian());
        double bound = 1.0 / Math.Sqrt(2.0 * frequencies);
        for (int i = 0; i < weights.Length; i++) weights[i] = (float)(bound * (2.0 * rng.NextDouble() - 1.0));
        for (int i = 0; i < bias.Length; i++) bias[i] = (float)(bound * (2.0 * rng.NextDouble() - 1.0));
    }

    /// <summary>
    /// The categorical embedding's table: E_b ~ U(±1/√levels_b), PyTorch's Linear(levels, d, bias: false) default,
    /// block after block in table order (see <see cref="CategoricalEmbeddingSettings"/> for why).
    /// </summary>
    public static void InitializeCategoricalEmbedding(Span<float> table, CategoricalLayout layout, Xoshiro256 rng)
    {
        for (int b = 0; b < layout.Starts.Length; b++)
        {
            double bound = 1.0 / Math.Sqrt(layout.Levels[b]);
            var e = table.Slice(layout.TableOffset[b], layout.Levels[b] * layout.Dimension);
            for (int i = 0; i < e.Length; i++) e[i] = (float)(bound * (2.0 * rng.NextDouble() - 1.0));
        }
    }
}
