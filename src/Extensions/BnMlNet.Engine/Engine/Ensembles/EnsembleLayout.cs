using BnMlNet.Engine.Network;

namespace BnMlNet.Engine.Ensembles;

/// <summary>
/// Lays k independent members side by side in one wide network: hidden layer l has k·H_l units (member m's at
/// m·H_l … m·H_l + H_l − 1), the output layer k·C. The first layer is one dense GEMM over the shared input; every
/// deeper layer is block-diagonal, its off-block weights zero at the start and kept zero by masking their gradients
/// (so Adam's moments and weight decay leave them at exactly 0). Batch norm is per unit, hence per member.
/// </summary>
internal static class EnsembleLayout
{
    /// <summary>The wide network's shape for <paramref name="member"/>'s shape and its <see cref="NetworkSpec.EnsembleSize"/>.</summary>
    public static NetworkSpec Wide(NetworkSpec member)
    {
        int k = member.EnsembleSize;
        return member with
        {
            HiddenSizes = member.HiddenSizes.Select(h => h * k).ToArray(),
            OutputSize = member.OutputSize * k,
            EnsembleSize = 1,
        };
    }

    /// <summary>
    /// Re-initializes every Dense weight member by member (fan-in and fan-out of one member, member 0 first, one seeded
    /// generator) and zeroes the off-block weights.
    /// </summary>
    public static void InitializeMembers(TrainableNetwork network, NetworkSpec member, ulong seed)
    {
        int k = member.EnsembleSize;
        var rng = new Kernels.Xoshiro256(seed ^ 0x9E3779B97F4A7C15UL);
        foreach (var layer in network.Layers)
        {
            var w = network.Parameters.Value(layer.Weights);
            w.Clear();
            int inPer = layer.Index == 0 ? layer.InputSize : layer.InputSize / k;
            int outPer = layer.OutputSize / k;
            var block = new float[inPer * outPer];
            for (int m = 0; m < k; m++)
            {
                Initialization.InitializeWeights(block, inPer, outPer, layer.Activation, member.LeakyReluSlope, rng);
                int inStart = layer.Index == 0 ? 0 : m * inPer;
                for (int o = 0; o < outPer; o++)
                    block.AsSpan(o * inPer, inPer).CopyTo(w.Slice((m * outPer + o) * layer.InputSize + inStart, inPer));
            }
        }
    }

    /// <summary>Zeroes the gradient of every off-block weight of the layers after the first.</summary>
    public static void MaskGradients(TrainableNetwork network, int k)
    {
        foreach (var layer in network.Layers)
        {
            if (layer.Index == 0) continue;
            var g = network.Parameters.Gradient(layer.Weights);
            int inPer = layer.InputSize / k, outPer = layer.OutputSize / k;
            for (int o = 0; o < layer.OutputSize; o++)
            {
                int m = o / outPer;
                var row = g.Slice(o * layer.InputSize, layer.InputSize);
                row[..(m * inPer)].Clear();
                row[((m + 1) * inPer)..].Clear();
            }
        }
    }
}
