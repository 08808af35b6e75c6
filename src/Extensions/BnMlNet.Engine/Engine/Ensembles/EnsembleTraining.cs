using BnMlNet.Engine.Network;

namespace BnMlNet.Engine.Ensembles;

/// <summary>Builds the wide trainable network of an ensemble (see <see cref="EnsembleLayout"/>).</summary>
internal static class EnsembleTraining
{
    /// <summary>The wide network for <paramref name="member"/> (whose <see cref="NetworkSpec.EnsembleSize"/> is above 1), initialized member by member.</summary>
    public static TrainableNetwork CreateNetwork(NetworkSpec member, LossKind loss, TrainingSettings settings)
    {
        ulong seed = (ulong)(long)settings.Seed;
        var network = new TrainableNetwork(EnsembleLayout.Wide(member), seed, settings.BatchNormEpsilon, settings.BatchNormMomentum,
            settings.Threads, blockMembers: member.EnsembleSize)
        {
            EnsembleSize = member.EnsembleSize,
            Combination = EnsembleCombiner.For(loss),
        };
        EnsembleLayout.InitializeMembers(network, member, seed);
        return network;
    }
}
