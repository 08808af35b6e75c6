using BnMlNet.Engine;
using BnMlNet.Engine.Ensembles;
using BnMlNet.Engine.Network;
using BnMlNet.Tests.Engine;

namespace BnMlNet.Tests.Ensembles;

/// <summary>
/// The ensemble inside the engine: gradients of the summed member losses against finite differences (k = 2), the
/// block-diagonal layout (only the members' blocks are parameters), independence of the members (the ensemble's prediction equals the mean of each member scored
/// alone as its own network), and bit-identical determinism for 1 and 2 threads.
/// </summary>
[TestClass]
public sealed class EnsembleEngineTests
{
    private static (float[] X, float[] Y) Data(int rows, int features, LossKind loss, int classes, int seed)
    {
        var rng = new Random(seed);
        var x = TestData.Gaussian(rng, rows * features, 0, 1);
        var y = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            double s = x[r * features] - 0.5 * x[r * features + 1] + 0.3 * rng.NextDouble();
            y[r] = loss switch
            {
                LossKind.BinaryLogLoss => s > 0 ? 1 : 0,
                LossKind.SoftmaxCrossEntropy => Math.Clamp((int)Math.Floor(s + classes / 2.0), 0, classes - 1),
                LossKind.Poisson => (float)Math.Round(Math.Exp(s / 2)),
                _ => (float)s,
            };
        }
        return (x, y);
    }

    [TestMethod]
    [DataRow(LossKind.BinaryLogLoss, 1)]
    [DataRow(LossKind.SoftmaxCrossEntropy, 3)]
    [DataRow(LossKind.SquaredError, 1)]
    [DataRow(LossKind.Poisson, 1)]
    public void SummedMemberLossGradientsMatchFiniteDifferencesForTwoMembers(LossKind loss, int outputs)
    {
        const int Rows = 8, Features = 4, K = 2;
        var member = new NetworkSpec(Features, [5, 3], outputs, Activation.Tanh) { EnsembleSize = K };
        var settings = new TrainingSettings { Seed = 3 };
        var network = EnsembleTraining.CreateNetwork(member, loss, settings);
        var (x, y) = Data(Rows, Features, loss, outputs, 4);
        var ensembleLoss = new EnsembleLoss(loss, K, outputs);
        var d = new float[Rows * K * outputs];
        double Objective()
        {
            var o = network.Forward(x, Rows, ForwardMode.Train);
            return K * ensembleLoss.ForwardBackward(o, y, default, Rows, d, out _);
        }
        Objective();
        network.Backward(x, d);
        var p = network.Parameters;
        var analytic = p.Gradients.ToArray();
        GradientCheck.Check($"{loss} ensemble parameters", p.Values, analytic, Objective, maxChecks: 200);

        // Only the members' blocks are parameters: the first layer In × k·H₁, then k blocks per deeper layer.
        int expected = Features * K * 5 + K * 5 * 3 + K * 3 * outputs;
        Assert.AreEqual(expected, p.DecayedCount, "the Dense weights are the first layer and the members' blocks");
        Assert.AreEqual(K, network.Layers[1].Groups);
        // The stored (dense wide) form is 0 off the blocks, and the block form comes back from it unchanged.
        var frozen = network.ToInferenceNetwork();
        for (int l = 1; l < frozen.Layers.Count; l++)
        {
            var dense = frozen.Layers[l];
            Assert.IsTrue(BlockDiagonal.IsBlockDiagonal(dense.Weights, dense.InputSize, dense.OutputSize, K, out int row, out int column), $"layer {l} [{row},{column}]");
        }
        var before = p.Values.ToArray();
        network.Load(frozen.Layers, frozen.InputBatchNorm);
        CollectionAssert.AreEqual(before, p.Values, "dense → blocks → dense is the identity");
    }

    private static TrainingResult Train(LossKind loss, int outputs, int k, int threads, int seed = 7)
    {
        var (x, y) = Data(300, 5, loss, outputs, 11);
        var member = new NetworkSpec(5, [8, 6], outputs) { EnsembleSize = k };
        var settings = new TrainingSettings { Seed = seed, Epochs = 4, BatchSize = 32, Threads = threads, LearningRate = 0.01f };
        return new NetworkTrainer(member, loss, settings).Train(new DenseDataset(x, y, null, 5));
    }

    [TestMethod]
    [DataRow(LossKind.BinaryLogLoss, 1)]
    [DataRow(LossKind.SoftmaxCrossEntropy, 3)]
    [DataRow(LossKind.SquaredError, 1)]
    [DataRow(LossKind.Poisson, 1)]
    public void TheEnsembleIsTheMeanOfItsMembersScoredAlone(LossKind loss, int outputs)
    {
        const int K = 3;
        var net = Train(loss, outputs, K, threads: 1).Network;
        Assert.AreEqual(K, net.EnsembleSize);
        Assert.AreEqual(outputs, net.OutputSize);
        var members = Enumerable.Range(0, K).Select(m => Member(net, m, K)).ToArray();
        var (x, _) = Data(40, 5, loss, outputs, 12);
        var scratch = net.CreateScratch();
        var got = new float[outputs];
        var one = new float[outputs];
        for (int r = 0; r < 40; r++)
        {
            var row = x.AsSpan(r * 5, 5);
            net.Predict(row, got, scratch);
            var expected = new double[outputs];
            foreach (var m in members)
            {
                m.Predict(row, one, m.CreateScratch());
                for (int c = 0; c < outputs; c++)
                    expected[c] += loss switch
                    {
                        LossKind.BinaryLogLoss => 1 / (1 + Math.Exp(-one[c])),
                        LossKind.SoftmaxCrossEntropy => Math.Exp(one[c]) / one.Sum(v => Math.Exp(v)),
                        LossKind.Poisson => Math.Exp(one[c]),
                        _ => one[c],
                    } / K;
            }
            for (int c = 0; c < outputs; c++)
            {
                double actual = loss switch
                {
                    LossKind.BinaryLogLoss => 1 / (1 + Math.Exp(-got[c])),
                    LossKind.SoftmaxCrossEntropy => Math.Exp(got[c]) / got.Sum(v => Math.Exp(v)),
                    LossKind.Poisson => Math.Exp(got[c]),
                    _ => got[c],
                };
                Assert.AreEqual(expected[c], actual, 1e-5 * Math.Max(1, Math.Abs(expected[c])), $"{loss} row {r} output {c}");
            }
        }
        // The members differ: each has its own initialization.
        var a = new float[outputs];
        var b = new float[outputs];
        members[0].Predict(x.AsSpan(0, 5), a, members[0].CreateScratch());
        members[1].Predict(x.AsSpan(0, 5), b, members[1].CreateScratch());
        CollectionAssert.AreNotEqual(a, b, "members 0 and 1 predict alike");
    }

    /// <summary>Member <paramref name="m"/> cut out of the wide network as a network of its own (the independent reference).</summary>
    internal static InferenceNetwork Member(InferenceNetwork net, int m, int k)
        => new(MemberLayers(net, m, k), net.InputBatchNorm, net.LeakyReluSlope);

    /// <summary>The layers of member <paramref name="m"/>, cut out of the wide network.</summary>
    internal static List<DenseLayerParameters> MemberLayers(InferenceNetwork net, int m, int k)
    {
        var layers = new List<DenseLayerParameters>();
        for (int l = 0; l < net.Layers.Count; l++)
        {
            var p = net.Layers[l];
            int inPer = l == 0 ? p.InputSize : p.InputSize / k, inStart = l == 0 ? 0 : m * inPer, outPer = p.OutputSize / k;
            var w = new float[outPer * inPer];
            for (int o = 0; o < outPer; o++)
                for (int i = 0; i < inPer; i++)
                    w[o * inPer + i] = p.Weights[(m * outPer + o) * p.InputSize + inStart + i];
            float[]? Slice(IReadOnlyList<float>? v) => v?.Skip(m * outPer).Take(outPer).ToArray();
            var bn = p.BatchNorm is { } b
                ? new BatchNormParameters(Slice(b.Gamma)!, Slice(b.Beta)!, Slice(b.RunningMean)!, Slice(b.RunningVariance)!, b.Epsilon)
                : null;
            layers.Add(new DenseLayerParameters(inPer, outPer, w, Slice(p.Bias), bn, p.Placement, p.Activation));
        }
        return layers;
    }

    [TestMethod]
    public void SameSeedGivesTheSameEnsembleBitForBitAtOneAndTwoThreads()
    {
        var one = Train(LossKind.SoftmaxCrossEntropy, 3, 4, threads: 1).Network;
        var again = Train(LossKind.SoftmaxCrossEntropy, 3, 4, threads: 1).Network;
        var two = Train(LossKind.SoftmaxCrossEntropy, 3, 4, threads: 2).Network;
        var other = Train(LossKind.SoftmaxCrossEntropy, 3, 4, threads: 1, seed: 8).Network;
        static float[] All(InferenceNetwork n) => n.Layers.SelectMany(l => l.Weights.Concat(l.Bias ?? [])
            .Concat(l.BatchNorm is { } b ? b.Gamma.Concat(b.Beta).Concat(b.RunningMean).Concat(b.RunningVariance) : [])).ToArray();
        CollectionAssert.AreEqual(All(one), All(again), "same seed, same threads");
        CollectionAssert.AreEqual(All(one), All(two), "1 vs 2 threads");
        CollectionAssert.AreNotEqual(All(one), All(other), "another seed");
    }

    [TestMethod]
    public void EnsembleSizeOutsideItsRangeIsRefusedByTheSpec()
    {
        foreach (int bad in new[] { 0, -1, 33 })
        {
            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new NetworkSpec(3, [4], 1) { EnsembleSize = bad }.Validate());
            StringAssert.Contains(e.Message, "EnsembleSize");
        }
    }
}
