using BnMlNet.Engine;
using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Layers;
using BnMlNet.Engine.Losses;
using BnMlNet.Engine.Network;
using BnMlNet.Tests.Engine;

namespace BnMlNet.Tests.Embedding;

/// <summary>
/// The categorical embedding's vector kernels (<see cref="CategoricalEmbeddingVector"/>) against the scalar reference
/// loops (<see cref="CategoricalEmbeddingLayer.ForwardReference"/>, <see cref="CategoricalEmbeddingLayer.BackwardReference"/>),
/// bit for bit: dimensions below, at and past the vector width, level counts around multiples of 8, dense, one-hot and
/// signed-zero inputs, NaN and ±∞ in u, dO and the table; and whole trainings through either path.
/// </summary>
[TestClass]
public sealed class CategoricalEmbeddingVectorTests
{
    public enum Fill { Dense, OneHot, SignedZeros, NonFinite }

    /// <summary>u of <paramref name="width"/> positions: blocks of the given levels, one pass-through position before, between and after them.</summary>
    private static CategoricalLayout Layout(int[] levels, int d, out int width)
    {
        var starts = new int[levels.Length];
        int at = 1;
        for (int b = 0; b < levels.Length; b++)
        {
            starts[b] = at;
            at += levels[b] + (b % 2 == 0 ? 0 : 1);   // adjacent blocks, then a pass-through gap
        }
        width = at + 1;
        return new CategoricalLayout(width, starts, levels, d);
    }

    private static float[] Input(Random rng, CategoricalLayout layout, int rows, Fill fill)
    {
        int w = layout.InputWidth;
        var u = TestData.Gaussian(rng, rows * w, 0.1, 1.3);
        if (fill == Fill.Dense) return u;
        for (int r = 0; r < rows; r++)
            for (int b = 0; b < layout.Starts.Length; b++)
            {
                int hot = rng.Next(layout.Levels[b] + 1);   // = Levels: an all-zero block
                for (int j = 0; j < layout.Levels[b]; j++)
                {
                    int i = r * w + layout.Starts[b] + j;
                    u[i] = fill switch
                    {
                        Fill.OneHot => j == hot ? 1f : 0f,
                        Fill.SignedZeros => rng.Next(3) switch { 0 => 0f, 1 => -0f, _ => u[i] },
                        _ => rng.Next(6) switch { 0 => float.NaN, 1 => float.PositiveInfinity, 2 => float.NegativeInfinity, 3 => -0f, 4 => 0f, _ => u[i] },
                    };
                }
            }
        return u;
    }

    private static void Sprinkle(Random rng, float[] values, int count)
    {
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f];
        for (int i = 0; i < count; i++) values[rng.Next(values.Length)] = specials[rng.Next(specials.Length)];
    }

    private static void AssertBits(float[] expected, float[] actual, string what)
    {
        Assert.HasCount(expected.Length, actual);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToUInt32Bits(expected[i]) != BitConverter.SingleToUInt32Bits(actual[i]))
                Assert.Fail($"{what}: element {i} is {actual[i]:R} (0x{BitConverter.SingleToUInt32Bits(actual[i]):X8}), the reference {expected[i]:R} (0x{BitConverter.SingleToUInt32Bits(expected[i]):X8})");
    }

    public static IEnumerable<object[]> Shapes()
    {
        int[][] levelSets = [[10], [8, 16], [1, 7, 9], [15, 17, 33], [46, 12, 10]];
        foreach (int d in new[] { 1, 3, 4, 7, 8, 9, 16, 17 })
            foreach (var levels in levelSets)
                foreach (int rows in new[] { 1, 3, 4, 9, 13, 17 })
                    foreach (Fill fill in Enum.GetValues<Fill>())
                        if ((d + levels.Length + rows + (int)fill) % 3 == 0 || d == 8)   // a third of the grid, all of d = 8
                            yield return [d, levels, rows, fill];
    }

    [TestMethod]
    [DynamicData(nameof(Shapes))]
    public void VectorKernelsGiveTheReferenceBits(int d, int[] levels, int rows, Fill fill)
    {
        var rng = new Random(d * 1000 + rows * 10 + (int)fill + levels.Sum());
        var layout = Layout(levels, d, out int w);
        var u = Input(rng, layout, rows, fill);
        var table = TestData.Gaussian(rng, layout.TableSize, 0, 0.8);
        var dO = TestData.Gaussian(rng, rows * layout.OutputWidth);
        if (fill == Fill.NonFinite) Sprinkle(rng, dO, 1 + dO.Length / 10);
        string what = $"d={d}, levels=[{string.Join(",", levels)}], rows={rows}, {fill}";

        var expectedO = new float[rows * layout.OutputWidth];
        var actualO = Enumerable.Repeat(float.NaN, expectedO.Length).ToArray();   // every element must be written
        CategoricalEmbeddingLayer.ForwardReference(expectedO, u, table, layout, rows);
        Assert.IsTrue(CategoricalEmbeddingVector.CanForward(table, layout));
        CategoricalEmbeddingVector.Forward(actualO, u, table, layout, rows);
        AssertBits(expectedO, actualO, "forward, " + what);

        var expectedDu = new float[rows * w];
        var expectedDt = new float[layout.TableSize];
        var actualDu = Enumerable.Repeat(float.NaN, expectedDu.Length).ToArray();
        var actualDt = Enumerable.Repeat(float.NaN, expectedDt.Length).ToArray();   // overwritten, not accumulated
        CategoricalEmbeddingLayer.BackwardReference(expectedDu, expectedDt, dO, u, table, layout, rows);
        CategoricalEmbeddingVector.Backward(actualDu, actualDt, dO, u, table, layout, rows);
        AssertBits(expectedDu, actualDu, "∂u, " + what);
        AssertBits(expectedDt, actualDt, "∂E, " + what);

        var onlyTable = new float[layout.TableSize];
        CategoricalEmbeddingVector.Backward(default, onlyTable, dO, u, table, layout, rows);
        AssertBits(expectedDt, onlyTable, "∂E without ∂u, " + what);

        // A table with NaN/±∞: the backward pass still runs the vectors; the forward pass falls back to the reference.
        Sprinkle(rng, table, 1 + table.Length / 8);
        if (table.Any(t => !float.IsFinite(t))) Assert.IsFalse(CategoricalEmbeddingVector.CanForward(table, layout));
        CategoricalEmbeddingLayer.ForwardReference(expectedO, u, table, layout, rows);
        CategoricalEmbeddingLayer.Forward(actualO, u, table, layout, rows);
        AssertBits(expectedO, actualO, "forward, non-finite table, " + what);
        CategoricalEmbeddingLayer.BackwardReference(expectedDu, expectedDt, dO, u, table, layout, rows);
        CategoricalEmbeddingLayer.Backward(actualDu, actualDt, dO, u, table, layout, rows);
        AssertBits(expectedDu, actualDu, "∂u, non-finite table, " + what);
        AssertBits(expectedDt, actualDt, "∂E, non-finite table, " + what);
    }

    [TestMethod]
    public void CanForward_RejectsEachNonFiniteValueWherever_ItSits()
    {
        var layout = Layout([10, 9], 3, out _);   // 57 entries: seven vectors and a scalar tail
        var table = Enumerable.Range(0, layout.TableSize).Select(i => i * 0.25f - 3f).ToArray();
        Assert.IsTrue(CategoricalEmbeddingVector.CanForward(table, layout));
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            foreach (int at in new[] { 0, 7, 8, 55, 56 })
            {
                var t = (float[])table.Clone();
                t[at] = bad;
                Assert.IsFalse(CategoricalEmbeddingVector.CanForward(t, layout), $"{bad} at {at}");
            }
        var extreme = (float[])table.Clone();
        extreme[3] = float.MaxValue;
        extreme[56] = -float.Epsilon;
        Assert.IsTrue(CategoricalEmbeddingVector.CanForward(extreme, layout), "the largest finite value and a denormal are finite");
    }

    [TestMethod]
    [DoNotParallelize] // it flips the process-wide ReferencePaths switch
    [DataRow(1, true)]
    [DataRow(2, true)]
    [DataRow(1, false)]
    public void TrainingThroughEitherPathGivesTheSameModel(int threads, bool inputBatchNorm)
    {
        // Two one-hot blocks of 11 and 13 levels, d = 8 (the default) and a numeric column; 203 rows at batch 64.
        const int F = 1 + 11 + 13 + 1, rows = 203;
        var rng = new Random(12);
        var x = new float[rows * F];
        var y = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            int a = rng.Next(11), b = rng.Next(14);   // b = 13: an unseen level (all-zero block)
            x[r * F] = (float)rng.NextDouble() * 4 - 2;
            x[r * F + 1 + a] = 1f;
            if (b < 13) x[r * F + 12 + b] = 1f;
            x[r * F + 25] = (float)rng.NextDouble();
            y[r] = (a + b) % 3;
        }
        var data = new DenseDataset(x, y, null, F);
        var spec = new NetworkSpec(F, [21, 9], 3, Activation.Relu, BatchNormPlacement.BeforeActivation, inputBatchNorm)
        {
            DropoutRate = 0.1f,
            CategoricalEmbedding = new CategoricalEmbeddingSettings(CategoricalEmbedding.Learned, Dimension: 8, MinimumLevels: 10),
            CategoricalBlocks = [new(1, 11), new(12, 13)],
        };
        var settings = new TrainingSettings { Epochs = 3, BatchSize = 64, LearningRate = 1e-2f, Seed = 6, Threads = threads };
        TrainingResult Run(bool reference)
        {
            bool before = ReferencePaths.Enabled;
            ReferencePaths.Enabled = reference;
            try { return new NetworkTrainer(spec, LossKind.SoftmaxCrossEntropy, settings).Train(data, data); }
            finally { ReferencePaths.Enabled = before; }
        }
        var vector = Run(reference: false);
        var plain = Run(reference: true);
        for (int l = 0; l < plain.Network.Layers.Count; l++)
        {
            AssertBits(plain.Network.Layers[l].Weights.ToArray(), vector.Network.Layers[l].Weights.ToArray(), $"layer {l} weights (the first with the table folded in)");
            if (plain.Network.Layers[l].Bias is { } bias) AssertBits(bias.ToArray(), vector.Network.Layers[l].Bias!.ToArray(), $"layer {l} bias");
        }
        CollectionAssert.AreEqual(plain.History.Select(h => h.TrainLoss).ToArray(), vector.History.Select(h => h.TrainLoss).ToArray());
        CollectionAssert.AreEqual(plain.History.Select(h => h.ValidationLoss).ToArray(), vector.History.Select(h => h.ValidationLoss).ToArray());
        Assert.AreNotEqual(plain.History[0].TrainLoss, plain.History[^1].TrainLoss, "the model trained");
    }
}
