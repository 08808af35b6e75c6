using BnMlNet.Engine;
using BnMlNet.Engine.Layers;
using BnMlNet.Engine.Losses;
using BnMlNet.Engine.Network;

namespace BnMlNet.Tests.Engine;

/// <summary>Each forward/backward pair against central finite differences (bounds in <see cref="GradientCheck"/>).</summary>
[TestClass]
public sealed class GradientCheckTests
{
    [TestMethod]
    public void DenseLayer_GradientsMatchFiniteDifferences()
    {
        const int B = 5, In = 7, Out = 4;
        var rng = new Random(1);
        var x = TestData.Uniform(rng, B * In);
        var w = TestData.Uniform(rng, Out * In);
        var b = TestData.Uniform(rng, Out);
        var r = TestData.Uniform(rng, B * Out);
        var z = new float[B * Out];
        double Objective()
        {
            DenseLayer.Forward(z, x, w, b, B, In, Out, threads: 1);
            return GradientCheck.Project(z, r);
        }
        var dx = new float[B * In];
        var dw = new float[Out * In];
        var db = new float[Out];
        DenseLayer.Backward(dx, dw, db, r, x, w, B, In, Out, threads: 1);
        GradientCheck.Check("dX", x, dx, Objective);
        GradientCheck.Check("dW", w, dw, Objective);
        GradientCheck.Check("db", b, db, Objective);
    }

    [TestMethod]
    public void BatchNormTrainMode_GradientsMatchFiniteDifferences()
    {
        const int B = 6, C = 4;
        var rng = new Random(2);
        var x = TestData.Gaussian(rng, B * C, 0.5, 2.0);
        var gamma = TestData.Uniform(rng, C, 0.5f, 1.5f);
        var beta = TestData.Uniform(rng, C);
        var r = TestData.Uniform(rng, B * C);
        var y = new float[B * C];
        var xhat = new float[B * C];
        float[] mean = new float[C], variance = new float[C], rstd = new float[C];
        double Objective()
        {
            BatchNormLayer.ForwardTrain(y, xhat, mean, variance, rstd, x, gamma, beta, B, C, 1e-5f);
            return GradientCheck.Project(y, r);
        }
        Objective();
        var dx = new float[B * C];
        var dg = new float[C];
        var dbeta = new float[C];
        BatchNormLayer.Backward(dx, dg, dbeta, r, xhat, gamma, rstd, B, C);
        GradientCheck.Check("dx", x, dx, Objective);
        GradientCheck.Check("dgamma", gamma, dg, Objective);
        GradientCheck.Check("dbeta", beta, dbeta, Objective);
    }

    [TestMethod]
    [DataRow(Activation.Relu)]
    [DataRow(Activation.LeakyRelu)]
    [DataRow(Activation.Tanh)]
    [DataRow(Activation.Sigmoid)]
    [DataRow(Activation.Gelu)]
    [DataRow(Activation.Elu)]
    [DataRow(Activation.Silu)]
    [DataRow(Activation.Softplus)]
    [DataRow(Activation.Identity)]
    public void Activation_GradientMatchesFiniteDifferences(Activation activation)
    {
        const int N = 40;
        var rng = new Random(3);
        // inputs in ±[0.05, 3]: away from the kink of ReLU-likes at 0 by much more than h
        var x = new float[N];
        for (int i = 0; i < N; i++) x[i] = (float)((i % 2 == 0 ? 1 : -1) * (0.05 + 2.95 * rng.NextDouble()));
        var r = TestData.Uniform(rng, N);
        var y = new float[N];
        const float slope = 0.1f;
        double Objective()
        {
            Activations.Forward(y, x, activation, slope);
            return GradientCheck.Project(y, r);
        }
        Objective();
        var dx = new float[N];
        Activations.Backward(dx, r, x, y, activation, slope);
        GradientCheck.Check($"{activation} dx", x, dx, Objective, maxChecks: N);
    }

    [TestMethod]
    [DataRow(LossKind.BinaryLogLoss, false)]
    [DataRow(LossKind.BinaryLogLoss, true)]
    [DataRow(LossKind.SoftmaxCrossEntropy, false)]
    [DataRow(LossKind.SoftmaxCrossEntropy, true)]
    [DataRow(LossKind.SquaredError, false)]
    [DataRow(LossKind.SquaredError, true)]
    public void Loss_GradientMatchesFiniteDifferences(LossKind kind, bool weighted)
    {
        const int B = 8;
        int k = kind == LossKind.SoftmaxCrossEntropy ? 4 : 1;
        var rng = new Random(4);
        var outputs = TestData.Uniform(rng, B * k, -3f, 3f);
        var labels = new float[B];
        for (int i = 0; i < B; i++)
            labels[i] = kind switch
            {
                LossKind.BinaryLogLoss => i % 3 == 2 ? 0.3f : i % 2,   // hard and soft labels
                LossKind.SoftmaxCrossEntropy => i % k,
                _ => (float)(rng.NextDouble() * 4 - 2),
            };
        var weights = weighted ? TestData.Uniform(rng, B, 0.1f, 2f) : null;
        double Objective() => LossFunction.Forward(kind, outputs, labels, weights, B, k, out _);
        var d = new float[B * k];
        LossFunction.Backward(kind, d, outputs, labels, weights, B, k);
        GradientCheck.Check($"{kind} d/doutputs", outputs, d, Objective, abs: 1e-4, maxChecks: B * k);
    }

    [TestMethod]
    public void WeightedLoss_IsWeightedMean()
    {
        var outputs = new float[] { 0.5f, -1f, 2f };
        var labels = new float[] { 1f, 0f, 3f };
        var weights = new float[] { 1f, 2f, 3f };
        double l = LossFunction.Forward(LossKind.SquaredError, outputs, labels, weights, 3, 1, out double ws);
        double expected = (1 * 0.25 + 2 * 1.0 + 3 * 1.0) / 6.0;
        Assert.AreEqual(6.0, ws, 1e-12);
        Assert.AreEqual(expected, l, 1e-12);
        double unweighted = LossFunction.Forward(LossKind.SquaredError, outputs, labels, default, 3, 1, out _);
        Assert.AreEqual((0.25 + 1 + 1) / 3.0, unweighted, 1e-12);
    }

    [TestMethod]
    public void Losses_AreStableForHugeLogits()
    {
        var z = new float[] { 1000f, -1000f };
        var y = new float[] { 0f, 1f };
        double l = LossFunction.Forward(LossKind.BinaryLogLoss, z, y, default, 2, 1, out _);
        Assert.AreEqual(1000.0, l, 1e-9);
        var logits = new float[] { 1000f, 0f, -1000f };
        double ce = LossFunction.Forward(LossKind.SoftmaxCrossEntropy, logits, new float[] { 1f }, default, 1, 3, out _);
        Assert.AreEqual(1000.0, ce, 1e-9);
    }

    [TestMethod]
    [DataRow(BatchNormPlacement.BeforeActivation, false)]
    [DataRow(BatchNormPlacement.AfterActivation, false)]
    [DataRow(BatchNormPlacement.None, false)]
    [DataRow(BatchNormPlacement.BeforeActivation, true)]
    public void WholeNetwork_ThreeHiddenLayers_GradientsMatchFiniteDifferences(BatchNormPlacement placement, bool inputBatchNorm)
    {
        // Smooth activation (tanh) so that no kink falls inside ±h; loss: softmax cross-entropy with weights.
        var spec = new NetworkSpec(5, [6, 5, 4], 3, Activation.Tanh, placement, inputBatchNorm);
        var net = new TrainableNetwork(spec, seed: 7);
        const int B = 8;
        var rng = new Random(5);
        var x = TestData.Gaussian(rng, B * 5, 0.3, 1.5);
        var labels = new float[B];
        for (int i = 0; i < B; i++) labels[i] = i % 3;
        var weights = TestData.Uniform(rng, B, 0.5f, 1.5f);
        // make β, biases non-trivial so their gradients are exercised
        var p = net.Parameters;
        for (int i = p.DecayedCount; i < p.Length; i++) p.Values[i] += (float)(0.2 * (rng.NextDouble() - 0.5));

        GradientCheck.CheckWholeNetwork(net, x, B, labels, weights, $"{placement}: ");
    }
}
