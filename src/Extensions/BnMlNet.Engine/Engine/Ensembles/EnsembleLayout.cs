using BnMlNet.Engine.Network;

namespace BnMlNet.Engine.Ensembles;

/// <summary>
/// Lays k independent members side by side in one wide network: hidden layer l has k·H_l units (member m's at
/// m·H_l … m·H_l + H_l − 1), the output layer k·C. The first layer is one dense GEMM over the shared input; every
/// deeper layer is block-diagonal and holds only the k blocks of H_l × H_(l−1) (<see cref="Layers.BlockDenseLayer"/>,
/// one grouped GEMM over the members), so the members never mix and the optimizer sees only real parameters.
/// Batch norm is per unit, hence per member. A numerical embedding, when on, is shared (TabM-style): its output is the
/// first layer's input, so every member reads it and the first layer's ∂X carries all the members' gradients into it.
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
    /// generator): the first layer's rows of member m, the deeper layers' block m.
    /// </summary>
    public static void InitializeMembers(TrainableNetwork network, NetworkSpec member, ulong seed)
    {
        int k = member.EnsembleSize;
        var rng = new Kernels.Xoshiro256(seed ^ 0x9E3779B97F4A7C15UL);
        foreach (var layer in network.Layers)
        {
            var w = network.Parameters.Value(layer.Weights);
            int inPer = layer.Index == 0 ? layer.InputSize : layer.InputSize / k;
            int outPer = layer.OutputSize / k;
            // Both forms keep member m's outPer rows of inPer weights contiguous at m·outPer·inPer: the first layer is
            // dense over the shared input (inPer = In), a deeper layer stores only its blocks.
            for (int m = 0; m < k; m++)
                Initialization.InitializeWeights(w.Slice(m * outPer * inPer, outPer * inPer), inPer, outPer, layer.Activation, member.LeakyReluSlope, rng);
        }
        // The shared numerical embedding: the single network seeds it from the stream the members' weights use just above,
        // so here it draws from a stream of its own (otherwise its frequencies would be a scaled copy of member 0's weights).
        if (network.Embedding is { } emb)
            Initialization.InitializeEmbedding(network.Parameters.Value(emb.Frequency), network.Parameters.Value(emb.Weights),
                network.Parameters.Value(emb.Bias), emb.Frequencies, member.NumericEmbedding!.Sigma, new Kernels.Xoshiro256(seed ^ SharedEmbeddingStream));
    }

    /// <summary>Seeds (xor the training seed) the shared embedding's initialization in an ensemble.</summary>
    internal const ulong SharedEmbeddingStream = 0xD1B54A32D192ED03UL;
}
