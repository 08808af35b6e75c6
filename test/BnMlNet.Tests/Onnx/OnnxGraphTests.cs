using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Onnx;

/// <summary>Reads the exported ONNX protobuf back: the batch norms stay visible, with the model's frozen statistics.</summary>
[TestClass]
public sealed class OnnxGraphTests
{
    [TestMethod]
    [DataRow(OnnxTask.Binary)]
    [DataRow(OnnxTask.Multiclass)]
    [DataRow(OnnxTask.Regression)]
    public void BatchNormalizationNodesCarryTheRunningStatistics(OnnxTask task)
    {
        var ml = new MLContext(seed: 1);
        var (train, _, _) = OnnxTestData.Split(ml);
        // BN on every hidden block (not the default's last one only), so that every BN node's statistics are checked.
        var model = OnnxTestData.Pipeline(ml, task, new OnnxTestData.Net(Activation.Relu, HiddenBatchNorm: BatchNormHiddenLayers.Every)).Fit(train);
        var parameters = OnnxTestData.ModelOf(model);
        var graph = OnnxProtoReader.Read(OnnxRunner.Export(ml, model, train));

        // The batch norms in network order: the input BN, then one per hidden block (the output layer has none).
        var expected = new List<BatchNormParameters> { parameters.InputBatchNorm! };
        expected.AddRange(parameters.Layers.Where(l => l.BatchNorm is not null).Select(l => l.BatchNorm!));
        Assert.HasCount(3, expected, "input BN + two hidden blocks");

        var bnNodes = graph.Nodes.Where(n => n.OpType == "BatchNormalization").ToList();
        Assert.HasCount(expected.Count, bnNodes, "BatchNormalization nodes");
        for (int i = 0; i < expected.Count; i++)
        {
            var node = bnNodes[i];
            var bn = expected[i];
            Assert.AreEqual("", node.Domain, "standard domain");
            Assert.HasCount(5, node.Inputs, "X, scale, B, mean, var");
            CollectionAssert.AreEqual(bn.Gamma.ToArray(), graph.Initializer(node.Inputs[1]).Floats, $"BN {i} scale = γ");
            CollectionAssert.AreEqual(bn.Beta.ToArray(), graph.Initializer(node.Inputs[2]).Floats, $"BN {i} B = β");
            CollectionAssert.AreEqual(bn.RunningMean.ToArray(), graph.Initializer(node.Inputs[3]).Floats, $"BN {i} mean = RunningMean");
            CollectionAssert.AreEqual(bn.RunningVariance.ToArray(), graph.Initializer(node.Inputs[4]).Floats, $"BN {i} var = RunningVariance");
            CollectionAssert.AreEqual(new long[] { bn.Size }, graph.Initializer(node.Inputs[3]).Dims, $"BN {i} mean shape");
            Assert.AreEqual(bn.Epsilon, node.FloatAttributes["epsilon"], $"BN {i} epsilon");
            Assert.IsTrue(bn.RunningMean.Any(m => m != 0) && bn.RunningVariance.Any(v => v != 1), "the statistics were trained, not the initial 0 and 1");
        }
    }

    [TestMethod]
    public void TheNetworkUsesOnlyStandardOperatorsWithTheModelsWeights()
    {
        var ml = new MLContext(seed: 1);
        var (train, _, _) = OnnxTestData.Split(ml);
        var model = OnnxTestData.Pipeline(ml, OnnxTask.Binary, new OnnxTestData.Net(Activation.LeakyRelu, LeakyReluSlope: 0.07f)).Fit(train);
        var parameters = OnnxTestData.ModelOf(model);
        var graph = OnnxProtoReader.Read(OnnxRunner.Export(ml, model, train));

        var ours = graph.Nodes.Where(n => n.Name.StartsWith("BatchNormMlp.", StringComparison.Ordinal)).ToList();
        Assert.IsNotEmpty(ours);
        foreach (var node in ours)
            Assert.AreEqual("", node.Domain, $"{node.OpType} must use the standard ONNX domain");

        var gemms = ours.Where(n => n.OpType == "Gemm").ToList();
        Assert.HasCount(parameters.Layers.Count, gemms, "one Gemm per dense layer");
        for (int l = 0; l < gemms.Count; l++)
        {
            var w = graph.Initializer(gemms[l].Inputs[1]);
            CollectionAssert.AreEqual(parameters.Layers[l].Weights.ToArray(), w.Floats, $"layer {l} weights");
            CollectionAssert.AreEqual(new long[] { parameters.Layers[l].OutputSize, parameters.Layers[l].InputSize }, w.Dims, $"layer {l} weight shape");
            Assert.AreEqual(1L, gemms[l].IntAttributes["transB"]);
        }

        var leaky = ours.Where(n => n.OpType == "LeakyRelu").ToList();
        Assert.HasCount(2, leaky, "one LeakyRelu per hidden block");
        Assert.IsTrue(leaky.All(n => n.FloatAttributes["alpha"] == 0.07f), "alpha = the model's LeakyReluSlope");
        Assert.AreEqual(1, ours.Count(n => n.OpType == "Sigmoid"), "Probability = Sigmoid(Score)");
    }

    [TestMethod]
    public void GeluIsTheExactErfDecompositionAndSiluIsXTimesSigmoid()
    {
        var ml = new MLContext(seed: 1);
        var (train, _, _) = OnnxTestData.Split(ml);
        var gelu = OnnxProtoReader.Read(OnnxRunner.Export(ml,
            OnnxTestData.Pipeline(ml, OnnxTask.Regression, new OnnxTestData.Net(Activation.Gelu)).Fit(train), train));
        Assert.AreEqual(2, gelu.Nodes.Count(n => n.OpType == "Erf"), "one Erf per hidden block");
        Assert.IsFalse(gelu.Nodes.Any(n => n.OpType is "Tanh" or "Gelu"), "no tanh approximation, no non-standard Gelu op");

        var silu = OnnxProtoReader.Read(OnnxRunner.Export(ml,
            OnnxTestData.Pipeline(ml, OnnxTask.Regression, new OnnxTestData.Net(Activation.Silu)).Fit(train), train));
        Assert.AreEqual(2, silu.Nodes.Count(n => n.OpType == "Sigmoid"));
        Assert.AreEqual(2, silu.Nodes.Count(n => n.OpType == "Mul" && n.Name.StartsWith("BatchNormMlp.", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void MulticlassHeadIsSoftmaxThenArgMaxAsAKey()
    {
        var ml = new MLContext(seed: 1);
        var (train, _, _) = OnnxTestData.Split(ml);
        var graph = OnnxProtoReader.Read(OnnxRunner.Export(ml,
            OnnxTestData.Pipeline(ml, OnnxTask.Multiclass, new OnnxTestData.Net()).Fit(train), train));
        var softmax = graph.Nodes.Single(n => n.OpType == "Softmax");
        var argMax = graph.Nodes.Single(n => n.OpType == "ArgMax");
        Assert.AreEqual(softmax.Outputs[0], argMax.Inputs[0], "ArgMax over the probabilities, as ML.NET's scorer");
        Assert.AreEqual(1L, argMax.IntAttributes["axis"]);
    }
}
