using BnMlNet.Engine;
using BnMlNet.Engine.Ensembles;
using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Layers;
using BnMlNet.Tests.Engine;

namespace BnMlNet.Tests.Ensembles;

/// <summary>
/// The block-diagonal kernels of an ensemble: the grouped GEMM against a double reference and against one
/// <see cref="Gemm"/> call per group (bit for bit, 1 and 2 threads, every supported micro-kernel); the block layer's
/// forward and backward against the dense layer on the same weights laid out densely, and against finite differences;
/// the block scoring kernel against the dense row kernel, bit for bit.
/// </summary>
[TestClass]
public sealed class BlockKernelTests
{
    private static float[] Fill(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    [TestMethod]
    public void GroupedGemmEqualsOneGemmPerGroupBitForBitAndTheDoubleReference()
    {
        var rng = new Random(5);
        // (groups, m, n, k): direct-path shapes (m or n = 1, small products) and packed ones, ragged against every tile.
        var shapes = new[] { (3, 1, 7, 5), (4, 9, 1, 13), (2, 5, 6, 7), (8, 128, 64, 128), (3, 70, 37, 300), (5, 33, 130, 20), (2, 200, 3, 64) };
        foreach (var kernel in Enum.GetValues<GemmKernelKind>().Where(GemmKernels.IsSupported))
            foreach (var (groups, m, n, k) in shapes)
                foreach (bool ta in new[] { false, true })
                    foreach (bool tb in new[] { false, true })
                        foreach (bool accumulate in new[] { false, true })
                        {
                            // Interleaved groups, as in a wide activation: group g's columns start g·width into each row.
                            int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
                            int lda = groups * aCols, ldb = bCols, ldc = groups * n;
                            var a = Fill(rng, aRows * lda);
                            var b = Fill(rng, groups * bRows * ldb);
                            var c0 = Fill(rng, m * ldc);
                            string what = $"{kernel} g{groups} {m}×{n}×{k} ta={ta} tb={tb} acc={accumulate}";
                            var separate = (float[])c0.Clone();
                            for (int g = 0; g < groups; g++)
                                GemmDriver.Multiply(ta, tb, m, n, k, a.AsSpan(g * aCols), lda, b.AsSpan(g * bRows * ldb), ldb,
                                    separate.AsSpan(g * n), ldc, accumulate, 1, kernel);
                            foreach (int threads in new[] { 1, 2 })
                            {
                                var grouped = (float[])c0.Clone();
                                GroupedGemm.Multiply(ta, tb, groups, m, n, k, a, lda, aCols, b, ldb, bRows * ldb, grouped, ldc, n, accumulate, threads, kernel);
                                CollectionAssert.AreEqual(separate, grouped, $"{what} threads={threads}");
                            }
                            for (int g = 0; g < groups; g++)
                                for (int i = 0; i < m; i++)
                                    for (int j = 0; j < n; j++)
                                    {
                                        double s = accumulate ? c0[i * ldc + g * n + j] : 0;
                                        for (int p = 0; p < k; p++)
                                            s += (double)a[ta ? p * lda + g * aCols + i : i * lda + g * aCols + p]
                                                * b[g * bRows * ldb + (tb ? j * ldb + p : p * ldb + j)];
                                        Assert.AreEqual(s, separate[i * ldc + g * n + j], 1e-4 * (1 + Math.Sqrt(k)), $"{what} [{g}:{i},{j}]");
                                    }
                        }
    }

    [TestMethod]
    public void GroupedGemmRefusesBuffersTooShortForTheLastGroup()
    {
        var a = new float[4 * 6];
        var e = Assert.ThrowsExactly<ArgumentException>(() => GroupedGemm.Multiply(false, false, 3, 4, 2, 2,
            a, 6, 2, new float[3 * 4], 2, 4, new float[4 * 5], 6, 2));
        StringAssert.Contains(e.Message, "'c'");
    }

    [TestMethod]
    [DataRow(2, 5, 3, 7)]
    [DataRow(3, 12, 6, 32)]
    [DataRow(4, 16, 16, 64)]
    public void BlockLayerMatchesTheDenseLayerAndFiniteDifferences(int groups, int inPer, int outPer, int batch)
    {
        var rng = new Random(inPer * 31 + groups);
        int inSize = groups * inPer, outSize = groups * outPer;
        var w = Fill(rng, outSize * inPer);
        var bias = Fill(rng, outSize);
        var x = Fill(rng, batch * inSize);
        var r = Fill(rng, batch * outSize);   // the objective L = Σ r·Z
        var dense = BlockDiagonal.ToDense(w, inSize, outSize, groups);

        var z = new float[batch * outSize];
        var zDense = new float[batch * outSize];
        BlockDenseLayer.Forward(z, x, w, bias, batch, inSize, outSize, groups, threads: 1);
        DenseLayer.Forward(zDense, x, dense, bias, batch, inSize, outSize, threads: 1);
        for (int i = 0; i < z.Length; i++) Assert.AreEqual(zDense[i], z[i], 1e-5f * (1 + Math.Abs(zDense[i])), $"Z[{i}]");

        float[] dx = new float[batch * inSize], dw = new float[w.Length], db = new float[outSize];
        float[] dxDense = new float[batch * inSize], dwDense = new float[dense.Length], dbDense = new float[outSize];
        BlockDenseLayer.Backward(dx, dw, db, r, x, w, batch, inSize, outSize, groups, threads: 2);
        DenseLayer.Backward(dxDense, dwDense, dbDense, r, x, dense, batch, inSize, outSize, threads: 1);
        // The block gradient is the dense gradient's diagonal blocks (the dense layer also has off-block gradients).
        for (int o = 0; o < outSize; o++)
            for (int i = 0; i < inPer; i++)
            {
                float expected = dwDense[o * inSize + o / outPer * inPer + i];
                Assert.AreEqual(expected, dw[o * inPer + i], 1e-5f * (1 + Math.Abs(expected)), $"dW[{o},{i}]");
            }
        for (int i = 0; i < dx.Length; i++) Assert.AreEqual(dxDense[i], dx[i], 1e-5f * (1 + Math.Abs(dx[i])), $"dX[{i}]");
        CollectionAssert.AreEqual(dbDense, db, "db");

        double Objective()
        {
            BlockDenseLayer.Forward(z, x, w, bias, batch, inSize, outSize, groups, threads: 1);
            return GradientCheck.Project(z, r);
        }
        GradientCheck.Check("block W", w, dw, Objective, maxChecks: 60);
        GradientCheck.Check("block X", x, dx, Objective, maxChecks: 60);
        GradientCheck.Check("block b", bias, db, Objective, maxChecks: 20);
    }

    [TestMethod]
    public void BlockScoringKernelEqualsTheDenseRowKernelBitForBit()
    {
        var rng = new Random(9);
        foreach (int groups in new[] { 2, 3, 5, 8 })
            foreach (int inPer in new[] { 1, 3, 6, 8, 12, 13, 16, 21, 64 })
                foreach (int outPer in new[] { 1, 3, 4, 6, 9 })
                    foreach (int rows in new[] { 1, 4, 7 })
                    {
                        int inSize = groups * inPer, outSize = groups * outPer;
                        var dense = BlockDiagonal.ToDense(Fill(rng, outSize * inPer), inSize, outSize, groups);
                        var folded = new FoldedLayer(inSize, outSize, dense, Fill(rng, outSize), Activation.Identity);
                        var x = Fill(rng, rows * inSize);
                        var expected = new float[rows * outSize];
                        var actual = new float[rows * outSize];
                        RowKernels.MatMulRows(expected, dense, folded.Bias, x, rows, inSize, outSize);
                        var block = BlockFoldedLayer.For([folded, folded], groups)[1];
                        Assert.IsNotNull(block, "a block-diagonal layer gets its block form");
                        block.MatMulRows(actual, x, rows);
                        CollectionAssert.AreEqual(expected, actual, $"groups {groups}, {outPer}×{inPer} per member, {rows} rows");
                    }
        // A layer that mixes the members has no block form; the first layer is always dense.
        var mixed = new float[4 * 4];
        mixed[2] = 1f;   // row 0 (member 0) reads input 2 (member 1 of 2)
        var forms = BlockFoldedLayer.For([new FoldedLayer(4, 4, new float[16], new float[4], Activation.Identity), new FoldedLayer(4, 4, mixed, new float[4], Activation.Identity)], 2);
        Assert.IsNull(forms[0]);
        Assert.IsNull(forms[1]);
    }
}
