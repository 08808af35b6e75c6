using BnMlNet.Engine;
using BnMlNet.Engine.Kernels;
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
        var (dx, dc, dw, db, objective) = LayerGradients(x, c, w, b, r, slots, passThrough, B, F, K, D);
        for (int j = 0; j < 2 * K * D; j++) Assert.AreEqual(0f, dw[j], "slot 0 is never active: ∂W = 0");
        for (int j = 0; j < K; j++) Assert.AreEqual(0f, dc[j], "slot 0 is never active: ∂c = 0");
        for (int row = 0; row < B; row++) Assert.AreEqual(0f, dx[row * F], "slot 0 is never active: ∂x = 0");
        Assert.IsTrue(dc.Skip(K).All(g => g != 0f), "the active slots' frequencies all get a gradient");
        CheckAgainstFiniteDifferences(x, c, w, b, dx, dc, dw, db, objective);
    }

    /// <summary>
    /// The vectorized passes at the default k = 16, d = 8 (whole vectors) and at k = 11, d = 10 with 7 rows (vector
    /// plus scalar remainders, and the four-row blocks plus a remainder row), against central finite differences.
    /// </summary>
    [TestMethod]
    [DataRow(9, 16, 8)]
    [DataRow(7, 11, 10)]
    public void Layer_VectorizedSizes_GradientsMatchFiniteDifferences(int B, int K, int D)
    {
        const int F = 4;
        int[] slots = [0, 1, 3], passThrough = [2];
        int m = slots.Length, width = m * D + passThrough.Length;
        var rng = new Random(17);
        var x = TestData.Gaussian(rng, B * F, 0, 1.0);
        var c = TestData.Gaussian(rng, m * K, 0, 0.3);
        float spread = 0.8f / (2 * K);   // |Σ_q v_q·W_q| ≤ 0.8 < 0.9 ≤ b: no ReLU kink within ±h
        var w = TestData.Uniform(rng, m * 2 * K * D, -spread, spread);
        var b = TestData.Uniform(rng, m * D, 0.9f, 1.2f);
        var r = TestData.Uniform(rng, B * width);
        var (dx, dc, dw, db, objective) = LayerGradients(x, c, w, b, r, slots, passThrough, B, F, K, D);
        CheckAgainstFiniteDifferences(x, c, w, b, dx, dc, dw, db, objective);
    }

    /// <summary>
    /// The training forward (vectorized cos/sin, four-row blocks) against the scoring path's formula
    /// (<see cref="PeriodicEmbeddingLayer.EmbedValue"/>, MathF): v within the sin/cos bound, h within what that bound can
    /// move it; the training forward's h is <see cref="PeriodicEmbeddingLayer.Project"/> of its own v bit for bit;
    /// a row block's values do not depend on where the block starts.
    /// </summary>
    [TestMethod]
    [DataRow(16, 8)]
    [DataRow(5, 3)]
    [DataRow(9, 12)]
    public void TrainingForward_AgreesWithTheScoringFormula_AndDependsOnItsRowAlone(int K, int D)
    {
        const int B = 11, F = 3;
        int[] slots = [0, 2], passThrough = [1];
        int m = slots.Length, width = m * D + 1, twoK = 2 * K;
        var rng = new Random(23);
        var x = TestData.Gaussian(rng, B * F, 0, 2.0);
        var c = TestData.Gaussian(rng, m * K, 0, 0.5);
        var w = TestData.Uniform(rng, m * twoK * D, -0.3f, 0.3f);
        var b = TestData.Uniform(rng, m * D, -0.2f, 0.2f);
        var e = new float[B * width];
        var v = new float[B * m * twoK];
        PeriodicEmbeddingLayer.Forward(e, v, x, c, w, b, slots, passThrough, 0, B, F, K, D);
        var e2 = new float[B * width];
        var v2 = new float[B * m * twoK];
        PeriodicEmbeddingLayer.Forward(e2, v2, x, c, w, b, slots, passThrough, 0, 3, F, K, D);
        PeriodicEmbeddingLayer.Forward(e2, v2, x, c, w, b, slots, passThrough, 3, B, F, K, D);
        CollectionAssert.AreEqual(e, e2, "rows [0, 3) then [3, 11) give the bits of [0, 11)");
        CollectionAssert.AreEqual(v, v2);
        var vs = new float[twoK];
        var hs = new float[D];
        var hp = new float[D];
        double hBound = twoK * PeriodicSinCos.MaxAbsoluteError * 0.3 + 1e-6;
        for (int row = 0; row < B; row++)
        {
            for (int i = 0; i < m; i++)
            {
                var wi = w.AsSpan(i * twoK * D, twoK * D);
                var bi = b.AsSpan(i * D, D);
                PeriodicEmbeddingLayer.EmbedValue(x[row * F + slots[i]], c.AsSpan(i * K, K), wi, bi, vs, hs);
                var vr = v.AsSpan((row * m + i) * twoK, twoK);
                for (int q = 0; q < twoK; q++) Assert.AreEqual(vs[q], vr[q], PeriodicSinCos.MaxAbsoluteError, $"row {row} slot {i} v[{q}]");
                PeriodicEmbeddingLayer.Project(vr, wi, bi, hp);
                for (int o = 0; o < D; o++)
                {
                    Assert.AreEqual(hp[o], e[row * width + i * D + o], $"row {row} slot {i} h[{o}]: Project of v, bit for bit");
                    Assert.AreEqual(hs[o], e[row * width + i * D + o], hBound, $"row {row} slot {i} h[{o}] vs the MathF formula");
                }
            }
            Assert.AreEqual(x[row * F + 1], e[row * width + m * D], "the pass-through slot");
        }
    }

    /// <summary>The vectorized <see cref="PeriodicEmbeddingLayer.Project"/> against the scalar loop it replaces, bit for bit.</summary>
    [TestMethod]
    [DataRow(32, 8)]
    [DataRow(7, 3)]
    [DataRow(10, 19)]
    public void Project_EqualsTheScalarLoopBitForBit(int twoK, int d)
    {
        var rng = new Random(twoK * 31 + d);
        var v = TestData.Uniform(rng, twoK);
        var w = TestData.Uniform(rng, twoK * d);
        var b = TestData.Uniform(rng, d, -0.5f, 0.5f);
        var h = new float[d];
        PeriodicEmbeddingLayer.Project(v, w, b, h);
        for (int o = 0; o < d; o++)
        {
            float acc = b[o];
            for (int q = 0; q < twoK; q++) acc += v[q] * w[q * d + o];
            Assert.AreEqual(BitConverter.SingleToUInt32Bits(acc > 0f ? acc : 0f), BitConverter.SingleToUInt32Bits(h[o]), $"h[{o}]");
        }
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

    /// <summary>
    /// The layer's forward pass as a projected objective Σ e·r, and its analytic gradients at the current parameters
    /// (the embedded slots' backward plus the pass-through slots').
    /// </summary>
    private static (float[] Dx, float[] Dc, float[] Dw, float[] Db, Func<double> Objective) LayerGradients(
        float[] x, float[] c, float[] w, float[] b, float[] r, int[] slots, int[] passThrough, int B, int F, int K, int D)
    {
        int m = slots.Length, width = m * D + passThrough.Length;
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
        return (dx, dc, dw, db, Objective);
    }

    /// <summary>Every gradient against central finite differences of <paramref name="objective"/> (h = 1e-3).</summary>
    private static void CheckAgainstFiniteDifferences(
        float[] x, float[] c, float[] w, float[] b, float[] dx, float[] dc, float[] dw, float[] db, Func<double> objective)
    {
        GradientCheck.Check("dx", x, dx, objective, h: 1e-3);
        GradientCheck.Check("dc", c, dc, objective, h: 1e-3);
        GradientCheck.Check("dW", w, dw, objective, h: 1e-3);
        GradientCheck.Check("db", b, db, objective, h: 1e-3);
    }
}
