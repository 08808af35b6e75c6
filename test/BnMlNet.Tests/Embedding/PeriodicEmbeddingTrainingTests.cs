using BnMlNet.Engine;
using BnMlNet.Engine.Preprocessing;

namespace BnMlNet.Tests.Embedding;

/// <summary>
/// Training with the periodic embedding: which slots it embeds, determinism (repeat and 1 vs 2 threads, at sizes where
/// the embedding's parallel passes run), that it learns, and that the frozen network scores what training saw.
/// </summary>
[TestClass]
public sealed class PeriodicEmbeddingTrainingTests
{
    /// <summary>Columns: 0 numeric, 1 one-hot level (0/1), 2 numeric, 3 constant, 4 numeric with a NaN; label sin-shaped in x0.</summary>
    private static (DenseDataset Data, float[] X, float[] Y) Make(int rows, int seed, bool withNaN = false)
    {
        var random = new Random(seed);
        const int f = 5;
        var x = new float[rows * f];
        var y = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            float x0 = (float)(random.NextDouble() * 6 - 3), x2 = (float)(random.NextDouble() * 2 - 1);
            x[r * f] = x0;
            x[r * f + 1] = random.Next(2);
            x[r * f + 2] = x2;
            x[r * f + 3] = 7f;
            x[r * f + 4] = withNaN && r % 9 == 0 ? float.NaN : (float)random.NextDouble();
            y[r] = MathF.Sin(3 * x0) + 0.5f * x[r * f + 1] + 0.1f * x2 > 0 ? 1 : 0;
        }
        return (new DenseDataset(x, y, null, f), x, y);
    }

    private static DenseDataset Data(int rows, int seed, bool withNaN = false) => Make(rows, seed, withNaN).Data;

    private static NetworkSpec Spec(int k = 16, int d = 8) => new(5, [32, 16], 1, InputBatchNorm: true)
    {
        NumericEmbedding = new NumericEmbeddingSettings(NumericEmbedding.Periodic, k, d, Sigma: 0.3f),
    };

    private static float[] AllValues(InferenceNetwork net)
    {
        Assert.IsNotNull(net.Embedding, "the network has its embedding");
        return EmbeddingTraining.AllValues(net);
    }

    [TestMethod]
    public void SelectorEmbedsSlotsWithMoreThanTwoValues_AndNotFlagsConstantsOrMissingIndicators()
    {
        var data = Data(300, 1, withNaN: true);
        var result = new NetworkTrainer(Spec(), LossKind.BinaryLogLoss, EmbeddingTraining.Settings(1, epochs: 1)).Train(data);
        var embedding = result.Network.Embedding!;
        // After preprocessing: slots 0..4 and one missing indicator (slot 5) for column 4.
        Assert.AreEqual(6, embedding.InputSize, "one missing indicator appended");
        CollectionAssert.AreEqual(new[] { 0, 2, 4 }, embedding.Slots.ToArray());
        CollectionAssert.AreEqual(new[] { 1, 3, 5 }, embedding.PassThroughSlots.ToArray());
        Assert.AreEqual(3 * 8 + 3, result.Network.Layers[0].InputSize);
        CollectionAssert.AreEqual(new[] { 0, 2 }, EmbeddedSlotSelector.Select(new DenseDataset([1, 0, 5, 2, 1, 6, 3, 0, 5, 4, 1, 7], [0, 1, 0, 1], null, 3)));
    }

    [TestMethod]
    public void OnlyBinarySlots_TrainWithoutAnEmbedding()
    {
        var x = new float[40 * 2];
        var y = new float[40];
        for (int r = 0; r < 40; r++) { x[2 * r] = r % 2; x[2 * r + 1] = (r / 2) % 2; y[r] = x[2 * r]; }
        var spec = new NetworkSpec(2, [4], 1) { NumericEmbedding = new NumericEmbeddingSettings() };
        var result = new NetworkTrainer(spec, LossKind.BinaryLogLoss, new TrainingSettings { Epochs = 1, BatchSize = 8 }).Train(new DenseDataset(x, y, null, 2));
        Assert.IsNull(result.Network.Embedding);
        Assert.AreEqual(2, result.Network.InputSize);
    }

    [TestMethod]
    public void SameSeed_IsBitIdentical_ForOneAndTwoThreads()
    {
        var data = Data(1000, 2);
        float[] Run(int threads) => AllValues(new NetworkTrainer(Spec(), LossKind.BinaryLogLoss, EmbeddingTraining.Settings(threads)).Train(data).Network);
        var one = Run(1);
        CollectionAssert.AreEqual(one, Run(1), "repeat, 1 thread");
        CollectionAssert.AreEqual(one, Run(2), "1 vs 2 threads");
    }

    [TestMethod]
    public void EmbeddingLearnsAPeriodicTarget_BetterThanThePlainNetwork()
    {
        var train = Data(3000, 3);
        var (_, testX, testY) = Make(1000, 4);
        double Accuracy(NetworkSpec spec)
        {
            var net = new NetworkTrainer(spec, LossKind.BinaryLogLoss, EmbeddingTraining.Settings(1, epochs: 30)).Train(train);
            var pre = net.Preprocessor!;
            int n = testY.Length;
            var xs = new float[n * pre.OutputSize];
            pre.ApplyRows(testX, xs, n);
            var o = new float[n];
            net.Network.PredictBatch(xs, n, o);
            var labels = testY;
            int hits = 0;
            for (int r = 0; r < o.Length; r++) hits += (o[r] > 0 ? 1 : 0) == (int)labels[r] ? 1 : 0;
            return hits / (double)o.Length;
        }
        double plain = Accuracy(Spec() with { NumericEmbedding = null });
        double embedded = Accuracy(Spec());
        Assert.IsGreaterThan(plain, embedded, $"embedding {embedded:F4} vs plain {plain:F4} on sin(3x)");
    }

    [TestMethod]
    public void FrozenNetwork_ScoresLikeTheTrainingForward_AndTheUnfoldedReference()
    {
        var (data, x, _) = Make(500, 6);
        var result = new NetworkTrainer(Spec(4, 3), LossKind.BinaryLogLoss, EmbeddingTraining.Settings(1)).Train(data);
        var net = result.Network;
        var pre = result.Preprocessor!;
        int rows = 200;
        var xs = new float[rows * pre.OutputSize];
        pre.ApplyRows(x.AsSpan(0, rows * 5), xs, rows);
        var batch = new float[rows];
        net.PredictBatch(xs, rows, batch, threads: 2);
        var scratch = net.CreateScratch();
        var one = new float[1];
        var reference = new float[1];
        for (int r = 0; r < rows; r++)
        {
            net.Predict(xs.AsSpan(r * pre.OutputSize, pre.OutputSize), one, scratch);
            Assert.AreEqual(batch[r], one[0], $"row {r}: Predict vs PredictBatch, bit for bit");
            net.PredictUnfolded(xs.AsSpan(r * pre.OutputSize, pre.OutputSize), reference);
            Assert.AreEqual(reference[0], one[0], 1e-4 * Math.Max(1, Math.Abs(reference[0])), $"row {r}: folded vs unfolded");
        }
    }
}
