using BnMlNet.Engine;
using BnMlNet.Engine.Kernels;

namespace BnMlNet.Tests.Engine;

/// <summary>
/// The single-row kernel that skips zero inputs (<see cref="LaneExactMatVec"/>) against the dense row kernel
/// (<see cref="RowKernels.MatMulRows"/>, which <see cref="InferenceNetwork.PredictBatch"/> uses), bit for bit.
/// </summary>
[TestClass]
public sealed class LaneExactMatVecTests
{
    private static uint Bits(float v) => BitConverter.SingleToUInt32Bits(v);

    /// <summary>An input row with the given share of exact zeros (some −0), the rest spread over many magnitudes.</summary>
    private static float[] SparseRow(Random rng, int n, double zeroShare)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            double u = rng.NextDouble();
            if (u < zeroShare) x[i] = rng.Next(4) == 0 ? -0f : 0f;
            else x[i] = (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.Next(-3, 4)));
        }
        return x;
    }

    [TestMethod]
    public void Multiply_GivesTheDenseKernelsBits_OnRandomShapesAndSparsities()
    {
        if (!LaneExactMatVec.IsSupported) Assert.Inconclusive("LaneExactMatVec needs FMA; this machine has none.");
        var rng = new Random(13);
        long compared = 0;
        for (int trial = 0; trial < 400; trial++)
        {
            int nIn = rng.Next(1, 300), nOut = rng.Next(1, 200);
            var w = TestData.Uniform(rng, nOut * nIn);
            var b = TestData.Uniform(rng, nOut);
            var wT = LaneExactMatVec.Transpose(w, nIn, nOut);
            var lanes = new int[LaneExactMatVec.LaneBufferLength(nIn)];
            var dense = new float[nOut];
            var skipping = new float[nOut];
            foreach (double zeros in new[] { 0.0, 0.5, 0.9, 0.99, 1.0 })
            {
                var x = SparseRow(rng, nIn, zeros);
                RowKernels.MatVec(dense, w, b, x, nIn, nOut);
                Array.Fill(skipping, float.NaN);
                LaneExactMatVec.Multiply(skipping, wT, b, x, nIn, nOut, lanes);
                for (int o = 0; o < nOut; o++)
                    Assert.AreEqual(Bits(dense[o]), Bits(skipping[o]), $"in {nIn} out {nOut} zeros {zeros} output {o}: {dense[o]} vs {skipping[o]}");
                compared += nOut;
            }
        }
        Assert.IsGreaterThan(100_000L, compared);
    }

    [TestMethod]
    public void Multiply_PropagatesNaNAndInfinityLikeTheDenseKernel()
    {
        if (!LaneExactMatVec.IsSupported) Assert.Inconclusive("LaneExactMatVec needs FMA; this machine has none.");
        var rng = new Random(5);
        int nIn = 37, nOut = 40;
        var w = TestData.Uniform(rng, nOut * nIn);
        var b = TestData.Uniform(rng, nOut);
        var wT = LaneExactMatVec.Transpose(w, nIn, nOut);
        var lanes = new int[LaneExactMatVec.LaneBufferLength(nIn)];
        foreach (float special in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            foreach (int at in new[] { 0, 9, 35 })
            {
                var x = SparseRow(rng, nIn, 0.7);
                x[at] = special;
                var dense = new float[nOut];
                var skipping = new float[nOut];
                RowKernels.MatVec(dense, w, b, x, nIn, nOut);
                LaneExactMatVec.Multiply(skipping, wT, b, x, nIn, nOut, lanes);
                for (int o = 0; o < nOut; o++)
                    Assert.IsTrue(Bits(dense[o]) == Bits(skipping[o]) || (float.IsNaN(dense[o]) && float.IsNaN(skipping[o])),
                        $"{special} at {at}, output {o}: {dense[o]} vs {skipping[o]}");
            }
    }

    [TestMethod]
    // Through every single-row kernel: LaneExactMatVec (layer 0 up to 128 Ki weights), PairedMatVec512 on AVX-512
    // (wider layers: 784×256, 600×250 with a partial group of 16, 131×1001) and RowKernels (the others).
    public void Predict_GivesPredictBatchsBits_ForSparseRowsThroughWideAndNarrowLayers()
    {
        var rng = new Random(21);
        foreach (var (inputs, hidden, outputs) in new[] { (107, new[] { 128, 64 }, 1), (30, new[] { 40, 17 }, 5), (784, new[] { 256, 256 }, 10), (5, new[] { 8 }, 3),
            (600, new[] { 250, 24 }, 3), (131, new[] { 1001, 7 }, 2) })
        {
            var layers = new List<DenseLayerParameters>();
            int width = inputs;
            foreach (int h in hidden)
            {
                layers.Add(new DenseLayerParameters(width, h, TestData.Uniform(rng, h * width, -0.3f, 0.3f), TestData.Uniform(rng, h, -0.1f, 0.1f),
                    null, BatchNormPlacement.None, Activation.Relu));
                width = h;
            }
            layers.Add(new DenseLayerParameters(width, outputs, TestData.Uniform(rng, outputs * width, -0.3f, 0.3f), TestData.Uniform(rng, outputs),
                null, BatchNormPlacement.None, Activation.Identity));
            var network = new InferenceNetwork(layers, null, 0.01f);
            const int rows = 300;
            var x = new float[rows * inputs];
            for (int r = 0; r < rows; r++) SparseRow(rng, inputs, r % 3 == 0 ? 0.0 : 0.87).CopyTo(x, r * inputs);
            var batch = new float[rows * outputs];
            network.PredictBatch(x, rows, batch);
            var one = new float[outputs];
            var scratch = network.CreateScratch();
            for (int r = 0; r < rows; r++)
            {
                network.Predict(x.AsSpan(r * inputs, inputs), one, scratch);
                for (int o = 0; o < outputs; o++)
                    Assert.AreEqual(Bits(batch[r * outputs + o]), Bits(one[o]), $"{inputs}-{string.Join("-", hidden)}-{outputs} row {r} output {o}");
            }
        }
    }
}
