using BnMlNet.Engine;
using BnMlNet.Engine.Network;
using BnMlNet.Tests.Engine;

namespace BnMlNet.Tests.EmbeddingBatchNorm;

/// <summary>
/// The batch norm on the embeddings' outputs (<see cref="NetworkSpec.EmbeddingBatchNorm"/>): where it sits (exactly the
/// embedded units, normalized with the batch's statistics; the pass-through slots untouched) and the whole network's
/// gradients with it on against central finite differences, for the categorical embedding, the numerical one and both.
/// </summary>
[TestClass]
public sealed class EmbeddingBatchNormGradientTests
{
    // Slots: 0 numeric, [1, 4) a 3-level block, 4 numeric, [5, 9) a 4-level block, [9, 11) a 2-level block (one-hot, below 3 levels).
    internal const int F = 11;

    internal static NetworkSpec Spec(bool categorical, bool periodic, bool inputBatchNorm = false, IReadOnlyList<int>? batchNormLayers = null) =>
        new(F, [5, 4], 3, Activation.Tanh, BatchNormPlacement.BeforeActivation, inputBatchNorm)
        {
            CategoricalEmbedding = categorical ? new CategoricalEmbeddingSettings(CategoricalEmbedding.Learned, Dimension: 2, MinimumLevels: 3) : null,
            CategoricalBlocks = categorical ? [new(1, 3), new(5, 4), new(9, 2)] : null,
            NumericEmbedding = periodic ? new NumericEmbeddingSettings(NumericEmbedding.Periodic, Frequencies: 2, Dimension: 2, Sigma: 0.5f) : null,
            EmbeddedSlots = periodic ? (categorical ? [0, 4] : [0, 4, 9]) : null,
            EmbeddingBatchNorm = true,
            BatchNormLayers = batchNormLayers,
        };

    /// <summary>Rows with a numeric slot 0 in [−1, 1], slot 4 in [0, 3], one hot level per block (every fifth row: an all-zero 4-level block).</summary>
    internal static float[] Rows(int rows, int seed)
    {
        var rng = new Random(seed);
        var x = new float[rows * F];
        for (int r = 0; r < rows; r++)
        {
            x[r * F] = (float)rng.NextDouble() * 2 - 1;
            x[r * F + 4] = (float)rng.NextDouble() * 3;
            x[r * F + 1 + r % 3] = 1f;
            if (r % 5 != 4) x[r * F + 5 + rng.Next(4)] = 1f;
            x[r * F + 9 + r % 2] = 1f;
        }
        return x;
    }

    [TestMethod]
    [DataRow(true, false, 2 * 2)]
    [DataRow(false, true, 3 * 2)]
    [DataRow(true, true, 2 * 2 + 2 * 2)]
    public void ItNormalizesExactlyTheEmbeddedUnits_WithTheBatchStatistics(bool categorical, bool periodic, int normalized)
    {
        const int B = 12;
        var net = new TrainableNetwork(Spec(categorical, periodic), seed: 4);
        var bn = net.EmbeddingBatchNorm!;
        Assert.AreEqual(normalized, bn.Size);
        var p = net.Parameters;
        var rng = new Random(5);
        var gamma = p.Value(bn.Gamma);
        var beta = p.Value(bn.Beta);
        for (int c = 0; c < bn.Size; c++) { gamma[c] = 0.5f + (float)rng.NextDouble(); beta[c] = (float)rng.NextDouble() - 0.5f; }
        var x = Rows(B, 6);
        net.Forward(x, B, ForwardMode.BatchStatistics);
        var ws = net.LastWorkspace!;
        int w = net.Layers[0].InputSize;
        // The embeddings' output before the batch norm: the categorical embedding's when on (it comes last), else the numerical one's.
        var embedded = categorical ? ws.Categorical!.Output : ws.Embedding!.Output;
        var first = normalized == w ? ws.EmbeddingNorm!.BatchNorm.Output : ws.EmbeddingNorm!.Output;
        Assert.IsGreaterThan(normalized, w, "the pass-through slots follow the normalized units");
        for (int c = 0; c < w; c++)
        {
            double mean = 0, sq = 0;
            for (int r = 0; r < B; r++) mean += embedded[r * w + c];
            mean /= B;
            for (int r = 0; r < B; r++) sq += Math.Pow(embedded[r * w + c] - mean, 2);
            double sd = Math.Sqrt(sq / B + 1e-5);
            for (int r = 0; r < B; r++)
            {
                double expected = c < normalized ? gamma[c] * (embedded[r * w + c] - mean) / sd + beta[c] : embedded[r * w + c];
                Assert.AreEqual(expected, first[r * w + c], 1e-4 * Math.Max(1, Math.Abs(expected)), $"row {r}, column {c} of {w}");
            }
        }
    }

    [TestMethod]
    [DataRow(true, false, false)]
    [DataRow(false, true, false)]
    [DataRow(true, true, false)]
    [DataRow(true, true, true)]
    public void WholeNetwork_GradientsMatchFiniteDifferences(bool categorical, bool periodic, bool inputBatchNorm)
    {
        const int B = 10;
        var net = new TrainableNetwork(Spec(categorical, periodic, inputBatchNorm), seed: 4);
        var rng = new Random(9);
        var x = Rows(B, 9);
        var labels = Enumerable.Range(0, B).Select(i => (float)(i % 3)).ToArray();
        var weights = TestData.Uniform(rng, B, 0.5f, 1.5f);
        var p = net.Parameters;
        if (net.Embedding is { } emb)
            foreach (ref float bias in p.Value(emb.Bias)) bias = 3f + bias;   // every periodic ReLU stays active (no kink in reach of the step)
        var bn = net.EmbeddingBatchNorm!;
        var gamma = p.Value(bn.Gamma);
        var beta = p.Value(bn.Beta);
        for (int c = 0; c < bn.Size; c++) { gamma[c] = 0.6f + 0.1f * c; beta[c] = 0.2f - 0.05f * c; }   // γ ≠ 1, β ≠ 0: the gradients through both
        int checkedCount = GradientCheck.CheckWholeNetwork(net, x, B, labels, weights, $"cat {categorical}, periodic {periodic}: ",
            stride: seg => seg.Name.StartsWith("embedding.bn", StringComparison.Ordinal) || seg.Name == "categorical.table" ? 1 : Math.Max(1, seg.Length / 12));
        Assert.IsTrue(p.Gradient(bn.Gamma).ToArray().All(g => g != 0f), "every γ of the embeddings' batch norm gets a gradient");
        Assert.IsTrue(p.Gradient(bn.Beta).ToArray().All(g => g != 0f), "every β gets one");
        if (net.CategoricalEmbedding is { } cat)
            Assert.IsTrue(p.Gradient(cat.Table).ToArray().Count(g => g != 0f) > cat.Table.Length / 2, "the table gets gradients through the batch norm");
        if (net.Embedding is { } e)
            Assert.IsTrue(p.Gradient(e.Weights).ToArray().Count(g => g != 0f) > e.Weights.Length / 2, "the periodic weights get gradients through it");
        Assert.IsGreaterThan(40, checkedCount);
    }

    [TestMethod]
    public void WholeNetwork_GradientsMatchFiniteDifferences_WhenEverySlotIsEmbedded()
    {
        // No pass-through: the batch norm covers the first layer's whole input.
        const int B = 10, Inputs = 3;
        var spec = new NetworkSpec(Inputs, [4], 3, Activation.Tanh)
        {
            NumericEmbedding = new NumericEmbeddingSettings(NumericEmbedding.Periodic, Frequencies: 2, Dimension: 3, Sigma: 0.5f),
            EmbeddedSlots = [0, 1, 2],
            EmbeddingBatchNorm = true,
        };
        var net = new TrainableNetwork(spec, seed: 2);
        Assert.AreEqual(net.Layers[0].InputSize, net.EmbeddingBatchNorm!.Size);
        var rng = new Random(3);
        var x = TestData.Gaussian(rng, B * Inputs, 0, 1);
        foreach (ref float bias in net.Parameters.Value(net.Embedding!.Bias)) bias = 3f + bias;
        var labels = Enumerable.Range(0, B).Select(i => (float)(i % 3)).ToArray();
        var weights = TestData.Uniform(rng, B, 0.5f, 1.5f);
        Assert.IsGreaterThan(30, GradientCheck.CheckWholeNetwork(net, x, B, labels, weights, "every slot embedded: "));
    }
}
