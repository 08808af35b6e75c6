using BnMlNet.Engine;
using BnMlNet.Engine.Ensembles;
using BnMlNet.Engine.Network;
using BnMlNet.Tests.Engine;

namespace BnMlNet.Tests.Ensembles;

/// <summary>
/// An ensemble with the periodic numerical embedding (TabM-style: one embedding shared by the k members): the summed
/// member losses' gradients, the shared embedding's included, against finite differences (k = 2 and 3); the embedding is
/// held once; the ensemble's prediction equals the mean of each member cut out and scored with the same embedding; the
/// frozen network's folded path agrees with the unfolded reference; determinism for 1 and 2 threads.
/// </summary>
[TestClass]
public sealed class SharedEmbeddingEnsembleTests
{
    private const int Features = 4;

    private static NetworkSpec Member(int k, int outputs, bool inputBatchNorm = false) =>
        new(Features, [5, 3], outputs, Activation.Tanh, BatchNormPlacement.BeforeActivation, inputBatchNorm)
        {
            EnsembleSize = k,
            NumericEmbedding = new NumericEmbeddingSettings(NumericEmbedding.Periodic, Frequencies: 3, Dimension: 2, Sigma: 0.5f),
            EmbeddedSlots = [0, 1, 3],
        };

    /// <summary>Rows of 4 features, slot 2 a 0/1 flag (passed through); labels for the head.</summary>
    private static (float[] X, float[] Y) Data(int rows, LossKind loss, int classes, int seed)
    {
        var rng = new Random(seed);
        var x = TestData.Gaussian(rng, rows * Features, 0.2, 1.2);
        var y = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            x[r * Features + 2] = r % 2;
            double s = Math.Sin(2 * x[r * Features]) - 0.5 * x[r * Features + 1] + 0.3 * x[r * Features + 2];
            y[r] = loss switch
            {
                LossKind.BinaryLogLoss => s > 0 ? 1 : 0,
                LossKind.SoftmaxCrossEntropy => Math.Clamp((int)Math.Floor(s + classes / 2.0), 0, classes - 1),
                _ => (float)s,
            };
        }
        return (x, y);
    }

    [TestMethod]
    [DataRow(2, LossKind.BinaryLogLoss, 1)]
    [DataRow(3, LossKind.SoftmaxCrossEntropy, 3)]
    [DataRow(3, LossKind.SquaredError, 1)]
    public void SummedMemberLossGradients_SharedEmbeddingIncluded_MatchFiniteDifferences(int k, LossKind loss, int outputs)
    {
        // 8 rows, input batch norm on: without it (raw features up to ±3.5 into the embedding, then batch norm over 8 rows)
        // the objective curves so much that h = 1e-3 differences miss the analytic gradient, which h = 1e-4 does reproduce
        // (checked by hand); with more rows an embedding ReLU kink falls within ±h. Neither depends on the members.
        const int Rows = 8;
        var member = Member(k, outputs, inputBatchNorm: true);
        var network = EnsembleTraining.CreateNetwork(member, loss, new TrainingSettings { Seed = 3 });
        var p = network.Parameters;
        var emb = network.Embedding ?? throw new AssertFailedException("the ensemble has no embedding");
        // One embedding for all members: its parameters appear once, sized for one member's input.
        Assert.AreEqual(1, p.Segments.Count(s => s.Name == "embedding.frequency"));
        Assert.AreEqual(3 * 3, emb.Frequency.Length, "m·k frequencies, not k members' worth");
        Assert.AreEqual(3 * 2 + 1, network.Layers[0].InputSize, "layer 0 reads the one embedding's m·d + pass-through values");
        Assert.AreEqual(k * 5, network.Layers[0].OutputSize, "layer 0 is the members' wide first layer");
        // the embedding's biases pushed up so that its ReLUs stay away from their kink by more than h
        foreach (ref float bias in p.Value(emb.Bias)) bias = 0.5f + bias;

        var (x, y) = Data(Rows, loss, outputs, 4);
        var ensembleLoss = new EnsembleLoss(loss, k, outputs);
        var d = new float[Rows * k * outputs];
        double Objective()
        {
            var o = network.Forward(x, Rows, ForwardMode.BatchStatistics);
            return k * ensembleLoss.ForwardBackward(o, y, default, Rows, d, out _);
        }
        Objective();
        network.Backward(x, d);
        var analytic = p.Gradients.ToArray();
        foreach (var seg in p.Segments)
        {
            // every value of the shared embedding, about 12 of every other segment
            bool shared = seg.Name.StartsWith("embedding.", StringComparison.Ordinal);
            var values = p.Values.AsSpan(seg.Offset, seg.Length).ToArray();
            var grads = analytic.AsSpan(seg.Offset, seg.Length).ToArray();
            double SegmentObjective()
            {
                values.CopyTo(p.Values.AsSpan(seg.Offset, seg.Length));
                return Objective();
            }
            GradientCheck.Check($"k={k} {loss} {seg.Name}", values, grads, SegmentObjective, maxChecks: shared ? seg.Length : 12);
            values.CopyTo(p.Values.AsSpan(seg.Offset, seg.Length));
        }
        Assert.IsTrue(analytic.AsSpan(emb.Frequency.Offset, emb.Frequency.Length).ToArray().Any(g => g != 0f), "the frequencies get a gradient");

        // The shared embedding's gradient is the sum over members: each member's loss alone (the others' ∂ zeroed) gives its
        // part, and the parts add up to the whole.
        var whole = analytic.AsSpan(emb.Weights.Offset, emb.Weights.Length).ToArray();
        var sum = new double[whole.Length];
        Objective();   // ∂L/∂outputs at the unperturbed parameters again
        var full = d.ToArray();
        for (int m = 0; m < k; m++)
        {
            var only = new float[full.Length];
            for (int r = 0; r < Rows; r++)
                for (int c = 0; c < outputs; c++)
                    only[(r * k + m) * outputs + c] = full[(r * k + m) * outputs + c];
            network.Forward(x, Rows, ForwardMode.BatchStatistics);
            network.Backward(x, only);
            var part = p.Gradients.AsSpan(emb.Weights.Offset, emb.Weights.Length).ToArray();
            Assert.IsTrue(part.Any(g => g != 0f), $"member {m} sends a gradient into the embedding");
            for (int i = 0; i < part.Length; i++) sum[i] += part[i];
        }
        for (int i = 0; i < whole.Length; i++)
            Assert.AreEqual(whole[i], sum[i], 1e-5 + 1e-4 * Math.Abs(whole[i]), $"∂W[{i}]: the members' parts add up to the ensemble's gradient");
    }

    private static TrainingResult Train(int k, LossKind loss, int outputs, int threads, int seed = 7, int rows = 600)
    {
        var (x, y) = Data(rows, loss, outputs, 11);
        // k = 16, d = 8: at batch 128 the embedding's passes do 128·3·32·8 ≈ 98 K multiply-adds, above PeriodicEmbeddingWork's
        // threshold, so with 2 threads they run in parallel.
        var member = Member(k, outputs, inputBatchNorm: true) with
        {
            HiddenSizes = [16, 8], EmbeddedSlots = null,
            NumericEmbedding = new NumericEmbeddingSettings(NumericEmbedding.Periodic, Frequencies: 16, Dimension: 8, Sigma: 0.5f),
        };
        var settings = new TrainingSettings { Seed = seed, Epochs = 3, BatchSize = 128, Threads = threads, LearningRate = 0.01f };
        return new NetworkTrainer(member, loss, settings).Train(new DenseDataset(x, y, null, Features));
    }

    [TestMethod]
    [DataRow(LossKind.BinaryLogLoss, 1)]
    [DataRow(LossKind.SoftmaxCrossEntropy, 3)]
    [DataRow(LossKind.SquaredError, 1)]
    public void TheEnsembleIsTheMeanOfItsMembersScoredAloneWithTheSharedEmbedding(LossKind loss, int outputs)
    {
        const int K = 3;
        var net = Train(K, loss, outputs, threads: 1).Network;
        Assert.AreEqual(K, net.EnsembleSize);
        Assert.AreEqual(outputs, net.OutputSize);
        var embedding = net.Embedding ?? throw new AssertFailedException("the ensemble has no embedding");
        CollectionAssert.AreEqual(new[] { 0, 1, 3 }, embedding.Slots.ToArray(), "the 0/1 slot passes through");
        // Each member cut out of the wide layers, in front of it the same input batch norm and embedding.
        var members = Enumerable.Range(0, K).Select(m => new InferenceNetwork(EnsembleEngineTests.MemberLayers(net, m, K),
            net.InputBatchNorm, net.LeakyReluSlope, 1, EnsembleCombination.Mean, embedding)).ToArray();
        var (x, _) = Data(40, loss, outputs, 12);
        var scratch = net.CreateScratch();
        var got = new float[outputs];
        var one = new float[outputs];
        var unfolded = new float[outputs];
        for (int r = 0; r < 40; r++)
        {
            var row = x.AsSpan(r * Features, Features);
            net.Predict(row, got, scratch);
            net.PredictUnfolded(row, unfolded);
            var expected = new double[outputs];
            foreach (var m in members)
            {
                m.Predict(row, one, m.CreateScratch());
                for (int c = 0; c < outputs; c++)
                    expected[c] += loss switch
                    {
                        LossKind.BinaryLogLoss => 1 / (1 + Math.Exp(-one[c])),
                        LossKind.SoftmaxCrossEntropy => Math.Exp(one[c]) / one.Sum(v => Math.Exp(v)),
                        _ => one[c],
                    } / K;
            }
            for (int c = 0; c < outputs; c++)
            {
                double actual = loss switch
                {
                    LossKind.BinaryLogLoss => 1 / (1 + Math.Exp(-got[c])),
                    LossKind.SoftmaxCrossEntropy => Math.Exp(got[c]) / got.Sum(v => Math.Exp(v)),
                    _ => got[c],
                };
                Assert.AreEqual(expected[c], actual, 1e-5 * Math.Max(1, Math.Abs(expected[c])), $"{loss} row {r} output {c}");
                Assert.AreEqual(unfolded[c], got[c], 1e-4 * Math.Max(1, Math.Abs(unfolded[c])), $"{loss} row {r} output {c}: folded vs unfolded");
            }
        }
        var batch = new float[40 * outputs];
        net.PredictBatch(x, 40, batch, threads: 2);
        for (int r = 0; r < 40; r++)
        {
            net.Predict(x.AsSpan(r * Features, Features), got, scratch);
            CollectionAssert.AreEqual(got, batch.AsSpan(r * outputs, outputs).ToArray(), $"row {r}: Predict vs PredictBatch, bit for bit");
        }
        var a = new float[outputs];
        var b = new float[outputs];
        members[0].Predict(x.AsSpan(0, Features), a, members[0].CreateScratch());
        members[1].Predict(x.AsSpan(0, Features), b, members[1].CreateScratch());
        CollectionAssert.AreNotEqual(a, b, "members 0 and 1 predict alike");
    }

    [TestMethod]
    public void SameSeedGivesTheSameEnsembleBitForBitAtOneAndTwoThreads()
    {
        // 4,000 rows at batch 128, 2 threads: the embedding's parallel passes run (see Train).
        float[] Run(int threads, int seed = 7) => Embedding.EmbeddingTraining.AllValues(Train(3, LossKind.SoftmaxCrossEntropy, 3, threads, seed, rows: 4000).Network);
        var one = Run(1);
        CollectionAssert.AreEqual(one, Run(1), "same seed, same threads");
        CollectionAssert.AreEqual(one, Run(2), "1 vs 2 threads");
        CollectionAssert.AreNotEqual(one, Run(1, seed: 8), "another seed");
    }

    [TestMethod]
    public void TheSharedEmbeddingIsNotInitializedFromTheMembersStream()
    {
        // The single network seeds its embedding from the stream the ensemble's members use; the ensemble's own stream keeps
        // the frequencies from being a scaled copy of member 0's first weights.
        // ReLU: He initialization draws the weights Gaussian like the frequencies, so a shared stream would show as a
        // correlation near 1 (with Tanh's uniform weights the correlation check below could not fail).
        var single = new TrainableNetwork(Member(1, 1) with { EnsembleSize = 1, Activation = Activation.Relu }, seed: 3);
        var ensemble = EnsembleTraining.CreateNetwork(Member(2, 1) with { Activation = Activation.Relu }, LossKind.BinaryLogLoss, new TrainingSettings { Seed = 3 });
        var c1 = single.Parameters.Value(single.Embedding!.Frequency).ToArray();
        var c2 = ensemble.Parameters.Value(ensemble.Embedding!.Frequency).ToArray();
        CollectionAssert.AreNotEqual(c1, c2);
        var w0 = ensemble.Parameters.Value(ensemble.Layers[0].Weights).ToArray();
        double Correlation(float[] u, float[] v)
        {
            int n = Math.Min(u.Length, v.Length);
            double mu = u.Take(n).Average(), mv = v.Take(n).Average(), suv = 0, suu = 0, svv = 0;
            for (int i = 0; i < n; i++) { suv += (u[i] - mu) * (v[i] - mv); suu += (u[i] - mu) * (u[i] - mu); svv += (v[i] - mv) * (v[i] - mv); }
            return suv / Math.Sqrt(suu * svv);
        }
        Assert.IsLessThan(0.99, Math.Abs(Correlation(c2, w0)), "frequencies vs member 0's first weights");
    }
}
