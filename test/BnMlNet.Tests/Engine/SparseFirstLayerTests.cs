using BnMlNet.Engine;
using BnMlNet.Engine.Kernels;

namespace BnMlNet.Tests.Engine;

/// <summary>
/// Issue 13 goal 2b: the first layer's single-row kernel (<see cref="LaneExactMatVec"/>: each lane's FMA chain over
/// its own non-zero inputs only) against the dense kernels, bit for bit: on shapes that reach every chunk of the kernel
/// (whole 128-output chunks, 64, 16, 8 and single outputs, inputs with and without a tail), and through whole networks
/// (every head width, with and without the input batch norm, ensembles, the numerical embedding) on rows with NaN,
/// ±∞, ±0, denormals and ±MaxValue, where <see cref="InferenceNetwork.Predict"/> (the sparse kernel) must give
/// <see cref="InferenceNetwork.PredictBatch"/>'s bits (the dense one) and agree with the unfolded reference.
/// </summary>
[TestClass]
public sealed class SparseFirstLayerTests
{
    private static uint Bits(float v) => BitConverter.SingleToUInt32Bits(v);

    private static bool Same(float a, float b) => Bits(a) == Bits(b) || (float.IsNaN(a) && float.IsNaN(b));

    private static readonly float[] Specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.MaxValue, -0f, 1e-40f, -1e-42f];

    /// <summary>A row with the given share of exact zeros (some −0); with <paramref name="specials"/> a few special values.</summary>
    private static float[] Row(Random rng, int n, double zeroShare, bool specials)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++)
            x[i] = rng.NextDouble() < zeroShare ? (rng.Next(4) == 0 ? -0f : 0f) : (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.Next(-3, 3)));
        if (specials)
            for (int s = 0; s < 2; s++) x[rng.Next(n)] = Specials[rng.Next(Specials.Length)];
        return x;
    }

    [TestMethod]
    public void Multiply_GivesTheDenseKernelsBits_OnEveryChunkOfTheKernel()
    {
        if (!LaneExactMatVec.IsSupported) Assert.Inconclusive("LaneExactMatVec needs FMA; this machine has none.");
        var rng = new Random(41);
        // Out = 349 = 2·128 + 64 + 16 + 8 + 5 reaches every chunk; 1000 many whole chunks; In 1, 7 (no lanes, all tail), 8, 107.
        long compared = 0;
        foreach (var (nIn, nOut) in new[] { (107, 128), (107, 349), (9, 1000), (300, 200), (8, 131), (1, 17), (16, 64), (7, 33), (64, 8), (130, 3) })
        {
            var w = TestData.Uniform(rng, nOut * nIn);
            var b = TestData.Uniform(rng, nOut);
            var wT = LaneExactMatVec.Transpose(w, nIn, nOut);
            var lanes = new int[LaneExactMatVec.LaneBufferLength(nIn)];
            var dense = new float[nOut];
            var sparse = new float[nOut + 1];
            foreach (double zeros in new[] { 0.0, 0.5, 0.9, 0.97, 1.0 })
                foreach (bool specials in new[] { false, true })
                    for (int rep = 0; rep < 3; rep++)
                    {
                        var x = Row(rng, nIn, zeros, specials);
                        RowKernels.MatVec(dense, w, b, x, nIn, nOut);
                        Array.Fill(sparse, 12345f);
                        LaneExactMatVec.Multiply(sparse, wT, b, x, nIn, nOut, lanes);
                        for (int o = 0; o < nOut; o++)
                            Assert.IsTrue(Same(dense[o], sparse[o]), $"in {nIn} out {nOut} zeros {zeros} output {o}: {dense[o]} vs {sparse[o]}");
                        Assert.AreEqual(12345f, sparse[nOut], "nothing is written past Out");
                        compared += nOut;
                    }
        }
        Assert.IsGreaterThan(50_000L, compared);
    }

    private static DenseLayerParameters Layer(Random rng, int nIn, int nOut, Activation activation, int members = 1)
    {
        var w = TestData.Uniform(rng, nIn * nOut, -0.3f, 0.3f);
        if (members > 1)   // block-diagonal: member m's outputs read member m's inputs only
        {
            int bi = nIn / members, bo = nOut / members;
            for (int o = 0; o < nOut; o++)
                for (int i = 0; i < nIn; i++)
                    if (o / bo != i / bi) w[o * nIn + i] = 0f;
        }
        var bn = new BatchNormParameters(TestData.Uniform(rng, nOut, 0.5f, 1.5f), TestData.Uniform(rng, nOut, -0.2f, 0.2f),
            TestData.Uniform(rng, nOut, -0.5f, 0.5f), TestData.Uniform(rng, nOut, 0.5f, 2f), 1e-5f);
        return new DenseLayerParameters(nIn, nOut, w, TestData.Uniform(rng, nOut, -0.1f, 0.1f), activation == Activation.Identity ? null : bn,
            activation == Activation.Identity ? BatchNormPlacement.None : BatchNormPlacement.BeforeActivation, activation);
    }

    private static BatchNormParameters InputBatchNorm(Random rng, int n) =>
        new(TestData.Uniform(rng, n, 0.5f, 1.5f), TestData.Uniform(rng, n, -0.2f, 0.2f), TestData.Uniform(rng, n, -0.3f, 0.3f), TestData.Uniform(rng, n, 0.5f, 2f), 1e-5f);

    /// <summary>The networks: (name, network) for each head width, input batch norm on/off, ensemble, embedding.</summary>
    private static IEnumerable<(string Name, InferenceNetwork Network)> Networks(Random rng)
    {
        const int inputs = 107;
        foreach (int outputs in new[] { 1, 5 })   // binary / regression heads, multiclass logits
        {
            foreach (bool inputBn in new[] { false, true })
            {
                var layers = new[] { Layer(rng, inputs, 128, Activation.Relu), Layer(rng, 128, 64, Activation.Relu), Layer(rng, 64, outputs, Activation.Identity) };
                yield return ($"single out {outputs} input BN {inputBn}", new InferenceNetwork(layers, inputBn ? InputBatchNorm(rng, inputs) : null, 0.01f));
            }
            const int k = 3;
            var wide = new[] { Layer(rng, inputs, k * 48, Activation.Relu), Layer(rng, k * 48, k * 16, Activation.LeakyRelu, k),
                Layer(rng, k * 16, k * outputs, Activation.Identity, k) };
            foreach (var combination in new[] { EnsembleCombination.Mean, EnsembleCombination.LogMeanExp })
                yield return ($"ensemble of {k} ({combination}) out {outputs}", new InferenceNetwork(wide, InputBatchNorm(rng, inputs), 0.01f, k, combination));
            int[] slots = [0, 3, 4, 50];
            int f = 4, d = 6;
            var embedding = new PeriodicEmbeddingParameters(inputs, slots, f, d, TestData.Uniform(rng, slots.Length * f, 0.05f, 0.5f),
                TestData.Uniform(rng, slots.Length * 2 * f * d, -0.4f, 0.4f), TestData.Uniform(rng, slots.Length * d, -0.1f, 0.1f));
            int embedded = slots.Length * d + inputs - slots.Length;
            var after = new[] { Layer(rng, embedded, 96, Activation.Relu), Layer(rng, 96, outputs, Activation.Identity) };
            yield return ($"embedding out {outputs}", new InferenceNetwork(after, InputBatchNorm(rng, inputs), 0.01f, 1, EnsembleCombination.Mean, embedding));
        }
    }

    [TestMethod]
    public void Predict_GivesPredictBatchsBits_OnSparseAndDenseRows_ForEveryKindOfNetwork()
    {
        var rng = new Random(77);
        int networks = 0;
        foreach (var (name, network) in Networks(rng))
        {
            networks++;
            int n = network.InputSize, outputs = network.OutputSize;
            const int rows = 240;
            var x = new float[rows * n];
            for (int r = 0; r < rows; r++)
                Row(rng, n, (r % 4) switch { 0 => 0.0, 1 => 0.6, 2 => 0.9, _ => 1.0 }, specials: r % 5 == 0).CopyTo(x, r * n);
            var batch = new float[rows * outputs];
            network.PredictBatch(x, rows, batch);
            var one = new float[outputs];
            var reference = new float[outputs];
            var scratch = network.CreateScratch();
            int finiteChecked = 0;
            for (int r = 0; r < rows; r++)
            {
                var row = x.AsSpan(r * n, n);
                network.Predict(row, one, scratch);
                for (int o = 0; o < outputs; o++)
                    Assert.IsTrue(Same(batch[r * outputs + o], one[o]), $"{name} row {r} output {o}: {batch[r * outputs + o]} vs {one[o]}");
                // And the value is the network's: the unfolded reference (double sums, batch norms applied) on ordinary rows.
                bool ordinary = true;
                foreach (float v in row) ordinary &= float.IsFinite(v) && Math.Abs(v) < 1e6f;
                if (!ordinary) continue;
                network.PredictUnfolded(row, reference);
                for (int o = 0; o < outputs; o++)
                    Assert.AreEqual(reference[o], one[o], 1e-3f * (1 + Math.Abs(reference[o])), $"{name} row {r} output {o} against the unfolded reference");
                finiteChecked++;
            }
            Assert.IsGreaterThan(100, finiteChecked, name);
        }
        Assert.AreEqual(10, networks);
    }
}
