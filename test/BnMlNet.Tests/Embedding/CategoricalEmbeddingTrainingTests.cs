using BnMlNet.Engine;
using BnMlNet.Engine.Network;

namespace BnMlNet.Tests.Embedding;

/// <summary>
/// Training with the categorical embedding: determinism (repeat and 1 vs 2 threads, alone, with the numerical embedding
/// and with an ensemble), that small blocks pass through unchanged, and that the frozen (folded) network scores what the
/// unfolded inference forward pass computes (for an ensemble, member by member).
/// </summary>
[TestClass]
public sealed class CategoricalEmbeddingTrainingTests
{
    private const int Levels = CategoricalTestTable.Levels, F = CategoricalTestTable.F;

    /// <summary>The shared table (<see cref="CategoricalTestTable"/>), slot 15 with NaN.</summary>
    private static (DenseDataset Data, float[] X) Make(int rows, int seed) => CategoricalTestTable.Make(rows, seed, nanColumn: true, slope16: 0);

    private static readonly CategoricalBlock[] Blocks = CategoricalTestTable.Blocks;

    private static NetworkSpec Spec(int ensemble = 1, bool periodic = false, int minimumLevels = 10) => new(F, [16, 8], 1, InputBatchNorm: true)
    {
        EnsembleSize = ensemble,
        CategoricalEmbedding = new CategoricalEmbeddingSettings(CategoricalEmbedding.Learned, Dimension: 4, MinimumLevels: minimumLevels),
        CategoricalBlocks = Blocks,
        NumericEmbedding = periodic ? new NumericEmbeddingSettings(NumericEmbedding.Periodic, 4, 3, Sigma: 0.3f) : null,
    };

    [TestMethod]
    [DataRow(1, false)]
    [DataRow(1, true)]
    [DataRow(3, false)]
    public void SameSeed_IsBitIdentical_ForOneAndTwoThreads(int ensemble, bool periodic)
    {
        var (data, _) = Make(1200, 2);
        float[] Run(int threads) => EmbeddingTraining.AllValues(new NetworkTrainer(Spec(ensemble, periodic), LossKind.BinaryLogLoss, EmbeddingTraining.Settings(threads)).Train(data).Network);
        var one = Run(1);
        CollectionAssert.AreEqual(one, Run(1), "repeat, 1 thread");
        CollectionAssert.AreEqual(one, Run(2), "1 vs 2 threads");
        var off = EmbeddingTraining.AllValues(new NetworkTrainer(Spec(ensemble, periodic) with { CategoricalEmbedding = null }, LossKind.BinaryLogLoss, EmbeddingTraining.Settings(1)).Train(data).Network);
        CollectionAssert.AreNotEqual(off, one, "the embedding changes the model");
    }

    [TestMethod]
    public void BlocksUnderTheThreshold_PassThrough_AndTheModelIsTheOneWithoutTheOption()
    {
        var (data, _) = Make(600, 3);
        var without = new NetworkTrainer(Spec() with { CategoricalEmbedding = null, CategoricalBlocks = null }, LossKind.BinaryLogLoss, EmbeddingTraining.Settings(1)).Train(data);
        var under = new NetworkTrainer(Spec(minimumLevels: Levels + 1), LossKind.BinaryLogLoss, EmbeddingTraining.Settings(1)).Train(data);
        var off = new NetworkTrainer(Spec() with { CategoricalEmbedding = new CategoricalEmbeddingSettings(CategoricalEmbedding.None) }, LossKind.BinaryLogLoss, EmbeddingTraining.Settings(1)).Train(data);
        CollectionAssert.AreEqual(EmbeddingTraining.AllValues(without.Network), EmbeddingTraining.AllValues(under.Network), "no block reaches the threshold");
        CollectionAssert.AreEqual(EmbeddingTraining.AllValues(without.Network), EmbeddingTraining.AllValues(off.Network), "Kind None");
    }

    [TestMethod]
    public void WithThePeriodicEmbedding_TheBlocksSlotsAreNeverNumericallyEmbedded()
    {
        var (data, x) = Make(600, 4);
        for (int r = 0; r < 600; r += 3) x[r * F + 2] *= 2f;   // a block slot with three values: the selector alone would embed it
        var result = new NetworkTrainer(Spec(periodic: true), LossKind.BinaryLogLoss, EmbeddingTraining.Settings(1)).Train(data);
        // After preprocessing: 17 slots and one missing indicator (slot 17) for slot 15.
        CollectionAssert.AreEqual(new[] { 0, 15, 16 }, result.Network.Embedding!.Slots.ToArray());
        Assert.AreEqual(3 * 3 + 18 - 3, result.Network.Layers[0].InputSize, "folded: the first layer takes the numerical embedding's output");
        var bad = Spec(periodic: true) with { EmbeddedSlots = [0, 5] };
        var e = Assert.ThrowsExactly<ArgumentException>(() => bad.Validate());
        StringAssert.Contains(e.Message, "CategoricalEmbedding");
    }

    [TestMethod]
    [DataRow(1, false)]
    [DataRow(1, true)]
    [DataRow(3, false)]
    public void FrozenFoldedNetwork_ScoresLikeTheUnfoldedInferenceForward(int ensemble, bool periodic)
    {
        var (_, x) = Make(300, 6);
        for (int i = 0; i < x.Length; i++) if (float.IsNaN(x[i])) x[i] = 0.5f;
        var spec = Spec(ensemble, periodic) with { EmbeddedSlots = periodic ? [0, 15, 16] : null };
        var net = ensemble == 1 ? new TrainableNetwork(spec, seed: 3)
            : BnMlNet.Engine.Ensembles.EnsembleTraining.CreateNetwork(spec, LossKind.BinaryLogLoss, EmbeddingTraining.Settings(1));
        for (int pass = 0; pass < 5; pass++) net.Forward(x, 300, ForwardMode.Train);   // running statistics away from 0 and 1
        var unfolded = net.Forward(x, 300, ForwardMode.Inference).ToArray();
        var frozen = net.ToInferenceNetwork();
        Assert.AreEqual(F, frozen.Layers[0].InputSize - (periodic ? 3 * 3 - 3 : 0), "folded: the first layer takes the input slots");
        if (ensemble > 1)
        {
            // The members' raw outputs: the same dense layers read as one wide network (k outputs per row).
            var wide = new InferenceNetwork(frozen.Layers, frozen.InputBatchNorm, frozen.LeakyReluSlope);
            var raw = new float[300 * ensemble];
            wide.PredictBatch(x, 300, raw);
            for (int i = 0; i < raw.Length; i++)
                Assert.AreEqual(unfolded[i], raw[i], 1e-4 * Math.Max(1, Math.Abs(unfolded[i])), $"row {i / ensemble}, member {i % ensemble}");
            return;
        }
        var scored = new float[300];
        frozen.PredictBatch(x, 300, scored);
        for (int r = 0; r < 300; r++)
            Assert.AreEqual(unfolded[r], scored[r], 1e-4 * Math.Max(1, Math.Abs(unfolded[r])), $"row {r}");
        var one = new float[1];
        var scratch = frozen.CreateScratch();
        for (int r = 0; r < 300; r++)
        {
            frozen.Predict(x.AsSpan(r * F, F), one, scratch);
            Assert.AreEqual(scored[r], one[0], $"row {r}: Predict vs PredictBatch, bit for bit");
        }
    }
}
