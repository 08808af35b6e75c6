using BnMlNet.Engine;

namespace BnMlNet.Tests.Engine;

/// <summary>
/// <see cref="TrainingSettings.BatchNormGammaWeightDecay"/> beside the PyTorch fixture (TorchParityTests, bn_variants.json): 0 is
/// today's training bit for bit, only γ moves, and AdamW without weight decay is Adam (what experiment 12's γ-decay variants rely on).
/// </summary>
[TestClass]
public sealed class GammaDecayTests
{
    private static DenseDataset Data()
    {
        var rng = new Random(11);
        const int rows = 96, features = 5;
        var x = TestData.Gaussian(rng, rows * features);
        var y = new float[rows];
        for (int i = 0; i < rows; i++) y[i] = x[i * features] + 0.5f * x[i * features + 1] > 0 ? 1f : 0f;
        return new DenseDataset(x, y, null, features);
    }

    private static InferenceNetwork Train(OptimizerKind optimizer, float weightDecay, float gammaDecay)
    {
        var spec = new NetworkSpec(5, [6, 4], 1, InputBatchNorm: true);
        var settings = new TrainingSettings
        {
            Optimizer = optimizer, WeightDecay = weightDecay, BatchNormGammaWeightDecay = gammaDecay, LearningRate = 0.01f,
            BatchSize = 16, Epochs = 3, Seed = 4,
        };
        return new NetworkTrainer(spec, LossKind.BinaryLogLoss, settings).Train(Data()).Network;
    }

    private static float[] All(InferenceNetwork n) =>
        [.. n.InputBatchNorm!.Gamma, .. n.Layers.SelectMany(l => l.Weights.Concat(l.Bias ?? []).Concat(l.BatchNorm?.Gamma ?? []).Concat(l.BatchNorm?.Beta ?? []))];

    [TestMethod]
    public void AdamWWithoutWeightDecayIsAdamBitForBit()
        => CollectionAssert.AreEqual(All(Train(OptimizerKind.Adam, 0, 0)), All(Train(OptimizerKind.AdamW, 0, 0)));

    [TestMethod]
    [DataRow(OptimizerKind.Sgd)]
    [DataRow(OptimizerKind.Adam)]
    [DataRow(OptimizerKind.AdamW)]
    public void DecayShrinksGammaAndZeroIsTheDefault(OptimizerKind optimizer)
    {
        var plain = Train(optimizer, 0.01f, 0);
        CollectionAssert.AreEqual(All(plain), All(Train(optimizer, 0.01f, 0f)), "0 is the default, bit for bit");
        var decayed = Train(optimizer, 0.01f, 5f);
        // A strong pull toward 0: the mean |γ| of every batch norm ends lower than without it.
        double MeanAbs(IEnumerable<float> g) => g.Average(v => Math.Abs(v));
        Assert.IsLessThan(MeanAbs(plain.InputBatchNorm!.Gamma), MeanAbs(decayed.InputBatchNorm!.Gamma), "input γ");
        for (int l = 0; l < 2; l++)
            Assert.IsLessThan(MeanAbs(plain.Layers[l].BatchNorm!.Gamma), MeanAbs(decayed.Layers[l].BatchNorm!.Gamma), $"layer {l} γ");
    }

    [TestMethod]
    public void ANegativeOrNonFiniteDecayIsRefusedByName()
    {
        foreach (float bad in new[] { -1e-3f, float.NaN, float.PositiveInfinity })
        {
            var settings = new TrainingSettings { BatchNormGammaWeightDecay = bad };
            var e = Assert.Throws<ArgumentOutOfRangeException>(settings.Validate);
            Assert.AreEqual(nameof(TrainingSettings.BatchNormGammaWeightDecay), e.ParamName);
            StringAssert.Contains(e.Message, "a finite number ≥ 0");
        }
    }
}
