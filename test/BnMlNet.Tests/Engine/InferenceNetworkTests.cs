using BnMlNet.Engine;

namespace BnMlNet.Tests.Engine;

/// <summary>Folding, row independence and validation of the frozen network.</summary>
[TestClass]
public sealed class InferenceNetworkTests
{
    private static InferenceNetwork Trained(BatchNormPlacement placement, bool inputBn, Activation activation = Activation.Relu)
    {
        var data = TestData.Blobs(150, 1);
        var spec = new NetworkSpec(4, [12, 9, 6], 3, activation, placement, inputBn);
        var settings = new TrainingSettings { Epochs = 3, BatchSize = 32, LearningRate = 1e-2f, Seed = 4 };
        return new NetworkTrainer(spec, LossKind.SoftmaxCrossEntropy, settings).Train(data).Network;
    }

    [TestMethod]
    [DataRow(BatchNormPlacement.BeforeActivation, false)]
    [DataRow(BatchNormPlacement.BeforeActivation, true)]
    [DataRow(BatchNormPlacement.AfterActivation, false)]
    [DataRow(BatchNormPlacement.AfterActivation, true)]
    [DataRow(BatchNormPlacement.None, true)]
    public void FoldedAndUnfolded_AgreeTo1e5(BatchNormPlacement placement, bool inputBn)
    {
        var net = Trained(placement, inputBn, Activation.Sigmoid);
        var x = TestData.Gaussian(new Random(2), 50 * 4, 0, 2);
        var scratch = net.CreateScratch();
        var a = new float[3];
        var b = new float[3];
        for (int r = 0; r < 50; r++)
        {
            net.Predict(x.AsSpan(r * 4, 4), a, scratch);
            net.PredictUnfolded(x.AsSpan(r * 4, 4), b);
            for (int k = 0; k < 3; k++)
                Assert.AreEqual(b[k], a[k], 1e-5 * Math.Max(1, Math.Abs(b[k])), $"row {r} output {k}");
        }
    }

    [TestMethod]
    public void OneRowAlone_IsBitIdenticalToTheSameRowInABatch_AnyThreadCount()
    {
        var net = Trained(BatchNormPlacement.BeforeActivation, true);
        const int n = 300;
        var x = TestData.Gaussian(new Random(3), n * 4);
        var batch1 = new float[n * 3];
        var batch2 = new float[n * 3];
        net.PredictBatch(x, n, batch1, threads: 1);
        net.PredictBatch(x, n, batch2, threads: 2);
        CollectionAssert.AreEqual(batch1, batch2);
        var scratch = net.CreateScratch();
        var single = new float[3];
        for (int r = 0; r < n; r += 37)
        {
            net.Predict(x.AsSpan(r * 4, 4), single, scratch);
            CollectionAssert.AreEqual(batch1.AsSpan(r * 3, 3).ToArray(), single, $"row {r}");
        }
    }

    [TestMethod]
    public void Constructor_RejectsBadShapesAndNonFiniteValues()
    {
        var bn = new BatchNormParameters([1f, 1f], [0f, 0f], [0f, 0f], [1f, 1f], 1e-5f);
        var l0 = new DenseLayerParameters(3, 2, new float[6], null, bn, BatchNormPlacement.BeforeActivation, Activation.Relu);
        var l1 = new DenseLayerParameters(2, 1, new float[2], [0f], null, BatchNormPlacement.None, Activation.Identity);
        var ok = new InferenceNetwork([l0, l1], null, 0.01f);
        Assert.AreEqual(3, ok.InputSize);
        Assert.AreEqual(1, ok.OutputSize);

        var wrong = new DenseLayerParameters(3, 1, new float[3], [0f], null, BatchNormPlacement.None, Activation.Identity);
        var e1 = Assert.ThrowsExactly<ArgumentException>(() => new InferenceNetwork([l0, wrong], null, 0.01f));
        StringAssert.Contains(e1.Message, "Layer 1");

        var nan = new DenseLayerParameters(2, 1, [float.NaN, 0f], [0f], null, BatchNormPlacement.None, Activation.Identity);
        var e2 = Assert.ThrowsExactly<ArgumentException>(() => new InferenceNetwork([l0, nan], null, 0.01f));
        StringAssert.Contains(e2.Message, "Layer 1");

        var badVar = new BatchNormParameters([1f, 1f], [0f, 0f], [0f, 0f], [1f, float.PositiveInfinity], 1e-5f);
        var l0bad = new DenseLayerParameters(3, 2, new float[6], null, badVar, BatchNormPlacement.BeforeActivation, Activation.Relu);
        var e3 = Assert.ThrowsExactly<ArgumentException>(() => new InferenceNetwork([l0bad, l1], null, 0.01f));
        StringAssert.Contains(e3.Message, "Layer 0");

        Assert.ThrowsExactly<ArgumentException>(() =>
            new DenseLayerParameters(3, 2, new float[5], null, bn, BatchNormPlacement.BeforeActivation, Activation.Relu));
    }

    [TestMethod]
    public void Snapshot_ExposesUnfoldedParametersAndStatistics()
    {
        var net = Trained(BatchNormPlacement.BeforeActivation, false);
        Assert.AreEqual(4, net.Layers.Count);
        Assert.IsNull(net.Layers[0].Bias, "no Dense bias in front of batch norm");
        Assert.IsNotNull(net.Layers[3].Bias, "the output layer has a bias");
        Assert.IsNull(net.Layers[3].BatchNorm);
        Assert.AreEqual(Activation.Identity, net.Layers[3].Activation);
        Assert.AreEqual(12, net.Layers[0].BatchNorm!.Size);
        Assert.IsTrue(net.Layers[0].BatchNorm!.RunningVariance.All(v => v > 0));
    }
}
