using BnMlNet.Engine;
using BnMlNet.Engine.Layers;
using BnMlNet.Engine.Network;
using BnMlNet.Tests.Embedding;

namespace BnMlNet.Tests.EmbeddingBatchNorm;

/// <summary>
/// Training with the batch norm on the embeddings' outputs: determinism (repeat, and 1 vs 3 threads where its passes
/// split across threads), the frozen (folded) network against the trainable network's inference forward pass, precise
/// batch norm's population statistics against an independent computation, and the documented no-op and error.
/// </summary>
[TestClass]
public sealed class EmbeddingBatchNormTrainingTests
{
    private const int Levels = CategoricalTestTable.Levels, F = CategoricalTestTable.F;

    /// <summary>The shared table (<see cref="CategoricalTestTable"/>), no NaN, slot 16 in the label's rule.</summary>
    internal static (DenseDataset Data, float[] X) Make(int rows, int seed) => CategoricalTestTable.Make(rows, seed, nanColumn: false, slope16: -0.3);

    private static readonly CategoricalBlock[] Blocks = CategoricalTestTable.Blocks;

    /// <summary>
    /// The categorical embedding (the 12-level block into <paramref name="dimension"/> values) and optionally the periodic
    /// one (<paramref name="dimension"/> values per numeric slot), with the embeddings' batch norm on.
    /// </summary>
    internal static NetworkSpec Spec(bool periodic = false, int ensemble = 1, int dimension = 4, IReadOnlyList<int>? batchNormLayers = null) =>
        new(F, [16, 8], 1, InputBatchNorm: true)
        {
            EnsembleSize = ensemble,
            CategoricalEmbedding = new CategoricalEmbeddingSettings(CategoricalEmbedding.Learned, Dimension: dimension, MinimumLevels: 10),
            CategoricalBlocks = Blocks,
            NumericEmbedding = periodic ? new NumericEmbeddingSettings(NumericEmbedding.Periodic, 4, dimension, Sigma: 0.3f) : null,
            EmbeddingBatchNorm = true,
            BatchNormLayers = batchNormLayers,
        };

    [TestMethod]
    [DataRow(false, 1, 4)]
    [DataRow(true, 1, 4)]
    [DataRow(true, 1, 16)]   // K = 16 + 3·16 = 64 units × 128 rows: the batch norm's passes split across threads
    [DataRow(false, 3, 4)]
    public void SameSeed_IsBitIdentical_ForOneAndThreeThreads(bool periodic, int ensemble, int dimension)
    {
        var (data, _) = Make(1200, 2);
        var spec = Spec(periodic, ensemble, dimension);
        float[] Run(NetworkSpec s, int threads) => EmbeddingTraining.AllValues(new NetworkTrainer(s, LossKind.BinaryLogLoss, EmbeddingTraining.Settings(threads)).Train(data).Network);
        var one = Run(spec, 1);
        Assert.IsTrue(one.All(float.IsFinite));
        CollectionAssert.AreEqual(one, Run(spec, 1), "repeat, 1 thread");
        CollectionAssert.AreEqual(one, Run(spec, 3), "1 vs 3 threads");
        CollectionAssert.AreNotEqual(Run(spec with { EmbeddingBatchNorm = false }, 1), one, "the batch norm changes the model");
    }

    [TestMethod]
    public void WithNothingToEmbed_ItDoesNothing_AndTheModelIsTheOneWithoutIt()
    {
        // The 12-level block under a threshold of 13 levels and no numerical embedding: neither embedding has anything to embed.
        var (data, _) = Make(600, 3);
        var under = Spec() with { CategoricalEmbedding = new CategoricalEmbeddingSettings(CategoricalEmbedding.Learned, 4, MinimumLevels: Levels + 1) };
        var with = new NetworkTrainer(under, LossKind.BinaryLogLoss, EmbeddingTraining.Settings(1)).Train(data);
        var without = new NetworkTrainer(under with { EmbeddingBatchNorm = false }, LossKind.BinaryLogLoss, EmbeddingTraining.Settings(1)).Train(data);
        CollectionAssert.AreEqual(EmbeddingTraining.AllValues(without.Network), EmbeddingTraining.AllValues(with.Network));
    }

    [TestMethod]
    public void WithoutAnyEmbedding_TheSpecIsAClearErrorNamingTheOption()
    {
        var spec = Spec() with { CategoricalEmbedding = new CategoricalEmbeddingSettings(CategoricalEmbedding.None) };
        var e = Assert.ThrowsExactly<ArgumentException>(() => spec.Validate());
        Assert.AreEqual(nameof(NetworkSpec.EmbeddingBatchNorm), e.ParamName);
        StringAssert.Contains(e.Message, "EmbeddingBatchNorm");
        StringAssert.Contains(e.Message, "NumericEmbedding");
        Assert.ThrowsExactly<ArgumentException>(() => new NetworkTrainer(spec with { CategoricalEmbedding = null }, LossKind.BinaryLogLoss, EmbeddingTraining.Settings(1)));
        (spec with { NumericEmbedding = new NumericEmbeddingSettings() }).Validate();   // the numerical embedding alone is enough
    }

    [TestMethod]
    [DataRow(false, 1, null)]
    [DataRow(true, 1, null)]       // every hidden layer batch-normalized: the first layer has no bias, the folded one gets one
    [DataRow(true, 1, new[] { 1 })]   // the first layer keeps its bias
    [DataRow(true, 3, null)]
    public void FrozenFoldedNetwork_ScoresLikeTheTrainableInferenceForward(bool periodic, int ensemble, int[]? batchNormLayers)
    {
        const int Rows = 300;
        var (_, x) = Make(Rows, 6);
        var spec = Spec(periodic, ensemble, batchNormLayers: batchNormLayers) with { EmbeddedSlots = periodic ? [0, 15, 16] : null };
        var net = ensemble == 1 ? new TrainableNetwork(spec, seed: 3)
            : BnMlNet.Engine.Ensembles.EnsembleTraining.CreateNetwork(spec, LossKind.BinaryLogLoss, EmbeddingTraining.Settings(1));
        var bn = net.EmbeddingBatchNorm!;
        Assert.AreEqual(4 + (periodic ? 3 * 4 : 0), bn.Size);
        var p = net.Parameters;
        var rng = new Random(4);
        for (int c = 0; c < bn.Size; c++) { p.Value(bn.Gamma)[c] = 0.5f + (float)rng.NextDouble(); p.Value(bn.Beta)[c] = (float)rng.NextDouble() - 0.5f; }
        for (int pass = 0; pass < 5; pass++) net.Forward(x, Rows, ForwardMode.Train);   // running statistics away from 0 and 1
        Assert.IsTrue(bn.RunningVariance.Any(v => Math.Abs(v - 1f) > 0.01f), "the embeddings' batch norm keeps running statistics");
        // After the input batch norm the categorical values have batch mean 0 (the map is linear): shift the means, so the fold's t is tested.
        for (int c = 0; c < bn.Size; c++) { bn.RunningMean[c] += 0.4f * ((float)rng.NextDouble() - 0.5f); bn.RunningVariance[c] *= 0.5f + (float)rng.NextDouble(); }
        var expected = net.Forward(x, Rows, ForwardMode.Inference).ToArray();
        var frozen = net.ToInferenceNetwork();
        Assert.AreEqual(periodic ? 3 * 4 + F - 3 : F, frozen.Layers[0].InputSize, "folded: the first layer takes the inputs of the embeddings");
        Assert.IsNotNull(frozen.Layers[0].Bias, "the batch norm's shift lands in the first layer's bias");
        if (ensemble > 1)
        {
            var wide = new InferenceNetwork(frozen.Layers, frozen.InputBatchNorm, frozen.LeakyReluSlope, 1, EnsembleCombination.Mean, frozen.Embedding);
            var raw = new float[Rows * ensemble];
            wide.PredictBatch(x, Rows, raw);
            for (int i = 0; i < raw.Length; i++)
                Assert.AreEqual(expected[i], raw[i], 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"row {i / ensemble}, member {i % ensemble}");
            return;
        }
        var scored = new float[Rows];
        frozen.PredictBatch(x, Rows, scored);
        var one = new float[1];
        for (int r = 0; r < Rows; r++)
        {
            Assert.AreEqual(expected[r], scored[r], 1e-4 * Math.Max(1, Math.Abs(expected[r])), $"row {r}");
            frozen.PredictUnfolded(x.AsSpan(r * F, F), one);
            Assert.AreEqual(expected[r], one[0], 1e-4 * Math.Max(1, Math.Abs(expected[r])), $"row {r}, the unfolded reference path");
        }
    }

    [TestMethod]
    public void PreciseBatchNorm_GivesTheEmbeddingsBatchNormThePopulationStatisticsOfItsInput()
    {
        // Categorical embedding alone, no input batch norm: its input over the data is the table's rows looked up, computed here apart.
        const int Rows = 700;
        var (data, x) = Make(Rows, 7);
        var spec = Spec() with { InputBatchNorm = false };
        var settings = EmbeddingTraining.Settings(1, epochs: 2);
        settings.Preprocessing = null;
        var session = new NetworkTrainer(spec, LossKind.BinaryLogLoss, settings).CreateSession(data);
        for (int e = 0; e < 2; e++) session.RunEpoch(null, CancellationToken.None);
        var net = session.Network;
        var bn = net.EmbeddingBatchNorm!;
        var before = bn.RunningMean.ToArray();
        session.RecomputePopulationStatistics(CancellationToken.None);
        var cat = net.CategoricalEmbedding!;
        var o = new float[Rows * cat.Layout.OutputWidth];
        CategoricalEmbeddingLayer.ForwardReference(o, x, net.Parameters.Value(cat.Table), cat.Layout, Rows);
        int w = cat.Layout.OutputWidth;
        for (int c = 0; c < bn.Size; c++)
        {
            double mean = 0, sq = 0;
            for (int r = 0; r < Rows; r++) mean += o[r * w + c];
            mean /= Rows;
            for (int r = 0; r < Rows; r++) sq += Math.Pow(o[r * w + c] - mean, 2);
            Assert.AreEqual(mean, bn.RunningMean[c], 1e-5, $"unit {c}: mean");
            Assert.AreEqual(sq / (Rows - 1), bn.RunningVariance[c], 1e-5 * Math.Max(1, sq / (Rows - 1)), $"unit {c}: unbiased variance");
        }
        CollectionAssert.AreNotEqual(before, bn.RunningMean, "the running averages were replaced");
    }
}
