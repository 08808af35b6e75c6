using BnMlNet.Engine;
using BnMlNet.Engine.Layers;
using BnMlNet.Engine.Losses;
using BnMlNet.Engine.Network;
using BnMlNet.Tests.Engine;

namespace BnMlNet.Tests.Embedding;

/// <summary>The periodic embedding's backward pass against central finite differences, alone and inside a network.</summary>
[TestClass]
public sealed class PeriodicEmbeddingGradientTests
{
    [TestMethod]
    public void Layer_GradientsMatchFiniteDifferences()
    {
        const int B = 6, F = 5, K = 4, D = 3;
        int[] slots = [0, 2, 3], passThrough = [1, 4];
        int m = slots.Length, width = m * D + passThrough.Length;
        var rng = new Random(11);
        var x = TestData.Gaussian(rng, B * F, 0, 1.0);
        var c = TestData.Gaussian(rng, m * K, 0, 0.4);
        // |Σ_q v_q·W_q| ≤ 2K·0.1 = 0.8 < 0.9 ≤ b: every ReLU is active for slots 1 and 2, so no kink falls inside ±h;
        // slot 0 gets b = −5, so its ReLUs are always off and its gradients must be exactly 0 (the mask, checked apart).
        var w = TestData.Uniform(rng, m * 2 * K * D, -0.1f, 0.1f);
        var b = TestData.Uniform(rng, m * D, 0.9f, 1.2f);
        for (int o = 0; o < D; o++) b[o] = -5f;
        var r = TestData.Uniform(rng, B * width);
        var e = new float[B * width];
        var v = new float[B * m * 2 * K];
        double Objective()
        {
            PeriodicEmbeddingLayer.Forward(e, v, x, c, w, b, slots, passThrough, 0, B, F, K, D);
            return GradientCheck.Project(e, r);
        }
        Objective();
        var dx = new float[B * F];
        var dc = new float[m * K];
        var dw = new float[w.Length];
        var db = new float[b.Length];
        PeriodicEmbeddingLayer.Backward(dx, dc, dw, db, r, e, v, x, c, w, slots, passThrough.Length, 0, m, B, F, K, D);
        PeriodicEmbeddingLayer.BackwardPassThrough(dx, r, passThrough, m * D, B, F);
        for (int j = 0; j < 2 * K * D; j++) Assert.AreEqual(0f, dw[j], "slot 0 is never active: ∂W = 0");
        for (int j = 0; j < K; j++) Assert.AreEqual(0f, dc[j], "slot 0 is never active: ∂c = 0");
        for (int row = 0; row < B; row++) Assert.AreEqual(0f, dx[row * F], "slot 0 is never active: ∂x = 0");
        Assert.IsTrue(dc.Skip(K).All(g => g != 0f), "the active slots' frequencies all get a gradient");
        GradientCheck.Check("dx", x, dx, Objective, h: 1e-3);
        GradientCheck.Check("dc", c, dc, Objective, h: 1e-3);
        GradientCheck.Check("dW", w, dw, Objective, h: 1e-3);
        GradientCheck.Check("db", b, db, Objective, h: 1e-3);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void WholeNetwork_WithEmbedding_GradientsMatchFiniteDifferences(bool inputBatchNorm)
    {
        var spec = new NetworkSpec(4, [5, 4], 3, Activation.Tanh, BatchNormPlacement.BeforeActivation, inputBatchNorm)
        {
            NumericEmbedding = new NumericEmbeddingSettings(NumericEmbedding.Periodic, Frequencies: 3, Dimension: 2, Sigma: 0.5f),
            EmbeddedSlots = [0, 1, 3],
        };
        var net = new TrainableNetwork(spec, seed: 7);
        const int B = 8;
        var rng = new Random(5);
        var x = TestData.Gaussian(rng, B * 4, 0.2, 1.2);
        for (int r = 0; r < B; r++) x[r * 4 + 2] = r % 2;   // a 0/1 slot, passed through
        var labels = Enumerable.Range(0, B).Select(i => (float)(i % 3)).ToArray();
        var weights = TestData.Uniform(rng, B, 0.5f, 1.5f);
        var p = net.Parameters;
        // embedding biases pushed up so that the embedding's ReLUs stay away from their kink by more than h
        var emb = net.Embedding!;
        foreach (ref float bias in p.Value(emb.Bias)) bias = 0.5f + bias;
        int checkedCount = GradientCheck.CheckWholeNetwork(net, x, B, labels, weights);
        Assert.IsTrue(p.Segments.Any(s => s.Name == "embedding.frequency"), "the embedding's parameters are in the buffer");
        Assert.IsGreaterThan(30, checkedCount);
    }
}
