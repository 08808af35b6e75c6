using BnMlNet.Engine;
using BnMlNet.Tests.Engine;

namespace BnMlNet.Tests.Ensembles;

/// <summary>
/// The members never mix: an ensemble of k members trained together (the block-diagonal layers, one grouped GEMM per
/// layer) ends exactly where k separate networks end, each started from its member's initial weights and trained with
/// the same batches. The shapes keep every product on the same GEMM path for the wide and the single network (no
/// dropout, no clipping, whole batches), so the comparison is bit for bit.
/// </summary>
[TestClass]
public sealed class EnsembleEquivalenceTests
{
    private static float[] All(InferenceNetwork n) => n.Layers.SelectMany(l => l.Weights.Concat(l.Bias ?? [])
        .Concat(l.BatchNorm is { } b ? b.Gamma.Concat(b.Beta).Concat(b.RunningMean).Concat(b.RunningVariance) : [])).ToArray();

    [TestMethod]
    [DataRow(LossKind.BinaryLogLoss, 1, 1)]
    [DataRow(LossKind.SoftmaxCrossEntropy, 3, 2)]
    [DataRow(LossKind.SquaredError, 1, 2)]
    public void AnEnsembleTrainedTogetherEqualsItsMembersTrainedSeparately(LossKind loss, int outputs, int threads)
    {
        const int K = 3, Features = 8, Rows = 256;
        var rng = new Random(21);
        var x = TestData.Gaussian(rng, Rows * Features, 0, 1);
        var y = new float[Rows];
        for (int r = 0; r < Rows; r++)
        {
            double s = x[r * Features] - 0.7 * x[r * Features + 3] + 0.2 * rng.NextDouble();
            y[r] = loss switch
            {
                LossKind.BinaryLogLoss => s > 0 ? 1 : 0,
                LossKind.SoftmaxCrossEntropy => Math.Clamp((int)Math.Floor(s + 1.5), 0, 2),
                _ => (float)s,
            };
        }
        var data = new DenseDataset(x, y, null, Features);
        var settings = new TrainingSettings { Seed = 5, Epochs = 2, BatchSize = 64, Threads = threads, LearningRate = 0.01f, WeightDecay = 1e-4f };
        var member = new NetworkSpec(Features, [64, 32], outputs);

        var together = new TrainingSession(member with { EnsembleSize = K }, loss, settings, data);
        var initial = together.Snapshot();
        for (int e = 0; e < settings.Epochs; e++) together.RunEpoch();
        var trained = together.Snapshot();

        for (int m = 0; m < K; m++)
        {
            var alone = new TrainingSession(member, loss, settings, data);
            var start = EnsembleEngineTests.Member(initial, m, K);
            alone.Network.Load(start.Layers, start.InputBatchNorm);
            for (int e = 0; e < settings.Epochs; e++) alone.RunEpoch();
            CollectionAssert.AreEqual(All(EnsembleEngineTests.Member(trained, m, K)), All(alone.Snapshot()), $"{loss}: member {m} trained together vs alone");
        }
        CollectionAssert.AreNotEqual(All(EnsembleEngineTests.Member(trained, 0, K)), All(EnsembleEngineTests.Member(trained, 1, K)), "the members differ");
    }
}
