using BnMlNet.Engine;
using BnMlNet.Engine.Layers;
using BnMlNet.Engine.Losses;
using BnMlNet.Engine.Network;
using BnMlNet.Tests.Engine;

namespace BnMlNet.Tests.Embedding;

/// <summary>The categorical embedding's forward pass (a lookup for one-hot rows) and backward pass against central finite differences, alone and inside a network.</summary>
[TestClass]
public sealed class CategoricalEmbeddingGradientTests
{
    // u has 9 positions: block 0 = [1, 4) (3 levels), block 1 = [5, 9) (4 levels); 0 and 4 pass through.
    private static CategoricalLayout Layout(int d) => new(9, [1, 5], [3, 4], d);

    [TestMethod]
    public void Forward_IsTheLookupOfTheHotLevel_ZeroForAnAllZeroBlock_AndPassesTheRestThrough()
    {
        const int D = 2;
        var layout = Layout(D);
        Assert.AreEqual(2 * D + 2, layout.OutputWidth);
        CollectionAssert.AreEqual(new[] { 0, 4 }, layout.PassThrough);
        var table = Enumerable.Range(0, layout.TableSize).Select(i => 0.5f + i).ToArray();
        float[] u = [7f, 0f, 1f, 0f, -3f, 0f, 0f, 0f, 0f];   // block 0: level 1 hot; block 1: all zero (an unseen level)
        var o = new float[layout.OutputWidth];
        CategoricalEmbeddingLayer.Forward(o, u, table, layout, 1);
        CollectionAssert.AreEqual(new[] { table[1 * D], table[1 * D + 1], 0f, 0f, 7f, -3f }, o);
    }

    [TestMethod]
    public void Layer_GradientsMatchFiniteDifferences()
    {
        const int B = 6, D = 3;
        var layout = Layout(D);
        var rng = new Random(3);
        var u = TestData.Gaussian(rng, B * 9, 0.1, 1.0);   // any values, not only one-hot: the layer is linear in u
        var table = TestData.Gaussian(rng, layout.TableSize, 0, 0.7);
        var r = TestData.Uniform(rng, B * layout.OutputWidth);
        var o = new float[B * layout.OutputWidth];
        double Objective()
        {
            CategoricalEmbeddingLayer.Forward(o, u, table, layout, B);
            return GradientCheck.Project(o, r);
        }
        Objective();
        var du = new float[B * 9];
        var dTable = new float[table.Length];
        CategoricalEmbeddingLayer.Backward(du, dTable, r, u, table, layout, B);
        GradientCheck.Check("du", u, du, Objective, h: 1e-3, maxChecks: 60);
        GradientCheck.Check("dE", table, dTable, Objective, h: 1e-3, maxChecks: 60);
        Assert.IsTrue(dTable.All(g => g != 0f) && du.All(g => g != 0f), "every table entry and input gets a gradient");
    }

    [TestMethod]
    public void Fold_GivesTheSameLayerOutputAsEmbeddingThenDense()
    {
        const int B = 5, D = 3, Out = 4;
        var layout = Layout(D);
        var rng = new Random(8);
        var u = TestData.Gaussian(rng, B * 9);
        var table = TestData.Gaussian(rng, layout.TableSize);
        var w = TestData.Gaussian(rng, Out * layout.OutputWidth);
        var o = new float[B * layout.OutputWidth];
        CategoricalEmbeddingLayer.Forward(o, u, table, layout, B);
        var folded = CategoricalEmbeddingLayer.FoldInto(w, Out, table, layout);
        for (int row = 0; row < B; row++)
            for (int k = 0; k < Out; k++)
            {
                double two = 0, one = 0;
                for (int i = 0; i < layout.OutputWidth; i++) two += (double)w[k * layout.OutputWidth + i] * o[row * layout.OutputWidth + i];
                for (int i = 0; i < 9; i++) one += (double)folded[k * 9 + i] * u[row * 9 + i];
                Assert.AreEqual(two, one, 1e-4 * Math.Max(1, Math.Abs(two)), $"row {row}, unit {k}");
            }
    }

    [TestMethod]
    [DataRow(false, false)]
    [DataRow(true, false)]
    [DataRow(false, true)]
    [DataRow(true, true)]
    public void WholeNetwork_WithCategoricalEmbedding_GradientsMatchFiniteDifferences(bool inputBatchNorm, bool periodic)
    {
        // Slots: 0 numeric, [1, 4) a 3-level block, 4 numeric, [5, 9) a 4-level block, [9, 11) a 2-level block (below 3 levels: one-hot).
        const int F = 11, B = 10;
        var spec = new NetworkSpec(F, [5, 4], 3, Activation.Tanh, BatchNormPlacement.BeforeActivation, inputBatchNorm)
        {
            CategoricalEmbedding = new CategoricalEmbeddingSettings(CategoricalEmbedding.Learned, Dimension: 2, MinimumLevels: 3),
            CategoricalBlocks = [new(1, 3), new(5, 4), new(9, 2)],
            NumericEmbedding = periodic ? new NumericEmbeddingSettings(NumericEmbedding.Periodic, Frequencies: 2, Dimension: 2, Sigma: 0.5f) : null,
            EmbeddedSlots = periodic ? [0, 4] : null,
        };
        var net = new TrainableNetwork(spec, seed: 4);
        var cat = net.CategoricalEmbedding!;
        Assert.AreEqual(2, cat.Layout.Starts.Length, "the 2-level block is not embedded");
        int expectedWidth = (periodic ? 2 * 2 : 2) + 2 * 2 + 2;
        Assert.AreEqual(expectedWidth, net.Layers[0].InputSize);
        var rng = new Random(9);
        var x = new float[B * F];
        for (int r = 0; r < B; r++)
        {
            x[r * F] = (float)rng.NextDouble() * 2 - 1;
            x[r * F + 4] = (float)rng.NextDouble() * 3;
            x[r * F + 1 + r % 3] = 1f;
            if (r % 5 != 4) x[r * F + 5 + r % 4] = 1f;   // every fifth row: an all-zero block
            x[r * F + 9 + r % 2] = 1f;
        }
        var labels = Enumerable.Range(0, B).Select(i => (float)(i % 3)).ToArray();
        var weights = TestData.Uniform(rng, B, 0.5f, 1.5f);
        var p = net.Parameters;
        if (net.Embedding is { } emb)
            foreach (ref float bias in p.Value(emb.Bias)) bias = 3f + bias;   // |Σ v·W| ≤ 2k·0.5 = 2: every periodic ReLU stays active
        int checkedCount = GradientCheck.CheckWholeNetwork(net, x, B, labels, weights,
            stride: seg => seg.Name == "categorical.table" ? 1 : Math.Max(1, seg.Length / 12));
        var table = p.Gradient(cat.Table);
        Assert.IsTrue(table.ToArray().Count(g => g != 0f) > table.Length / 2, "the table gets gradients");
        Assert.IsGreaterThan(40, checkedCount);
    }
}
