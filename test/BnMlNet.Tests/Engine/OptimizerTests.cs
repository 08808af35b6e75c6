using BnMlNet.Engine;
using BnMlNet.Engine.Network;
using BnMlNet.Engine.Optimizers;

namespace BnMlNet.Tests.Engine;

/// <summary>Optimizer steps against hand-computed values, schedules, clipping.</summary>
[TestClass]
public sealed class OptimizerTests
{
    [TestMethod]
    public void Sgd_PlainMomentumAndNesterov_MatchHandComputedSteps()
    {
        // one decayed weight (index 0) and one undecayed parameter (index 1); lr 0.1, wd 0.5, μ 0.9
        float[] g = [1f, 2f];

        var plain = new Sgd(2, momentum: 0f, nesterov: false, weightDecay: 0.5f);
        float[] p = [1f, 1f];
        plain.Step(p, g, 1, 0.1f);
        Assert.AreEqual(1f - 0.1f * (1f + 0.5f * 1f), p[0], 1e-7f);   // 0.85
        Assert.AreEqual(1f - 0.1f * 2f, p[1], 1e-7f);                 // 0.8, no decay

        var mom = new Sgd(2, momentum: 0.9f, nesterov: false, weightDecay: 0f);
        p = [1f, 1f];
        mom.Step(p, g, 1, 0.1f);   // v = g = (1, 2); p = 1 − 0.1·v
        mom.Step(p, g, 1, 0.1f);   // v = 0.9·v + g = (1.9, 3.8)
        Assert.AreEqual(1f - 0.1f * 1f - 0.1f * 1.9f, p[0], 1e-6f);
        Assert.AreEqual(1f - 0.1f * 2f - 0.1f * 3.8f, p[1], 1e-6f);

        var nes = new Sgd(2, momentum: 0.9f, nesterov: true, weightDecay: 0f);
        p = [1f, 1f];
        nes.Step(p, g, 1, 0.1f);   // v = 1; d = g + 0.9·v = 1.9
        nes.Step(p, g, 1, 0.1f);   // v = 1.9; d = 1 + 0.9·1.9 = 2.71
        Assert.AreEqual(1f - 0.1f * 1.9f - 0.1f * 2.71f, p[0], 1e-6f);
    }

    [TestMethod]
    public void Adam_AndAdamW_MatchHandComputedSteps()
    {
        const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.1;
        float[] grads = [0.5f, -0.25f];
        foreach (bool decoupled in new[] { false, true })
        {
            var opt = new Adam(2, (float)b1, (float)b2, (float)eps, (float)wd, decoupled);
            float[] p = [2f, 2f];
            double[] e = [2, 2], m = [0, 0], v = [0, 0];
            for (int t = 1; t <= 3; t++)
            {
                opt.Step(p, grads, 1, (float)lr);
                for (int i = 0; i < 2; i++)
                {
                    double gi = grads[i];
                    bool decayed = i == 0;
                    if (decayed && decoupled) e[i] *= 1 - lr * wd;
                    if (decayed && !decoupled) gi += wd * e[i];
                    m[i] = b1 * m[i] + (1 - b1) * gi;
                    v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                    double mh = m[i] / (1 - Math.Pow(b1, t)), vh = v[i] / (1 - Math.Pow(b2, t));
                    e[i] -= lr * mh / (Math.Sqrt(vh) + eps);
                    Assert.AreEqual(e[i], p[i], 1e-6, $"decoupled={decoupled} t={t} i={i}");
                }
            }
        }
    }

    [TestMethod]
    [DataRow(OptimizerKind.Sgd)]
    [DataRow(OptimizerKind.Adam)]
    [DataRow(OptimizerKind.AdamW)]
    public void WeightDecay_TouchesDenseWeightsOnly(OptimizerKind kind)
    {
        // zero gradients: any change is weight decay's doing
        var spec = new NetworkSpec(3, [4], 2, InputBatchNorm: true, Placement: BatchNormPlacement.BeforeActivation);
        var net = new TrainableNetwork(spec, 1);
        var p = net.Parameters;
        for (int i = p.DecayedCount; i < p.Length; i++) p.Values[i] = 0.5f;   // biases, γ, β non-zero
        var before = (float[])p.Values.Clone();
        IOptimizer opt = kind switch
        {
            OptimizerKind.Sgd => new Sgd(p.Length, 0.9f, false, 0.1f),
            OptimizerKind.Adam => new Adam(p.Length, 0.9f, 0.999f, 1e-8f, 0.1f, false),
            _ => new Adam(p.Length, 0.9f, 0.999f, 1e-8f, 0.1f, true),
        };
        opt.Step(p.Values, new float[p.Length], p.DecayedCount, 0.1f);
        foreach (var seg in p.Segments)
        {
            bool changed = false;
            for (int i = seg.Offset; i < seg.Offset + seg.Length; i++) changed |= p.Values[i] != before[i];
            Assert.AreEqual(seg.Kind == ParameterKind.DenseWeight, changed, $"{kind}: {seg.Name}");
        }
    }

    [TestMethod]
    public void StableDecay_HoldsTheRateForThreeQuartersThenFallsLinearly()
    {
        // T = 50: the decay starts at ⌊50·0.75⌋ = 37, so steps 0–37 have 0.1 and step t > 37 has 0.1·(50 − t)/13
        var s = new LearningRateScheduler(LearningRateSchedule.StableDecay, 0.1f, 10, 50, 2, 0.5f, 0.3f, 25f, 1e4f);
        for (int t = 0; t <= 37; t++) Assert.AreEqual(0.1f, s.RateAt(t), $"step {t}");
        for (int t = 38; t < 50; t++) Assert.AreEqual(0.1 * (50 - t) / 13.0, s.RateAt(t), 1e-8, $"step {t}");
        Assert.AreEqual(0.1 / 13, s.RateAt(49), 1e-8, "the last step");
        Assert.AreEqual(s.RateAt(49), s.RateAt(80), "past the end the last value stays");
        // a run of one step: the decay starts at step 0 and ends there at the base rate·1/1
        Assert.AreEqual(0.1f, new LearningRateScheduler(LearningRateSchedule.StableDecay, 0.1f, 1, 1, 2, 0.5f, 0.3f, 25f, 1e4f).RateAt(0));
    }

    [TestMethod]
    public void Schedules_GiveTheDocumentedValues()
    {
        // 10 steps per epoch, 5 epochs → T = 50
        LearningRateScheduler S(LearningRateSchedule s) => new(s, 0.1f, 10, 50, 2, 0.5f, 0.3f, 25f, 1e4f);
        Assert.AreEqual(0.1f, S(LearningRateSchedule.Constant).RateAt(37));
        var step = S(LearningRateSchedule.Step);
        Assert.AreEqual(0.1f, step.RateAt(19), 1e-9f);      // epoch 1
        Assert.AreEqual(0.05f, step.RateAt(20), 1e-9f);     // epoch 2
        Assert.AreEqual(0.025f, step.RateAt(45), 1e-9f);    // epoch 4
        var cos = S(LearningRateSchedule.Cosine);
        Assert.AreEqual(0.1f, cos.RateAt(0), 1e-9f);
        Assert.AreEqual(0.05f, cos.RateAt(25), 1e-7f);
        Assert.AreEqual(0.1 * 0.5 * (1 + Math.Cos(Math.PI * 49 / 50)), cos.RateAt(49), 1e-8);
        var one = S(LearningRateSchedule.OneCycle);
        Assert.AreEqual(0.1f / 25f, one.RateAt(0), 1e-9f);                    // start: lr/25
        Assert.AreEqual(0.1f, one.RateAt(14), 1e-7f);                         // peak at 0.3·50 − 1 = 14
        Assert.AreEqual(0.1f / 25f / 1e4f, one.RateAt(49), 1e-10f);           // end
        double mid = 0.1 / 25 + (0.1 - 0.1 / 25) * 0.5 * (1 + Math.Cos(Math.PI * 7 / 14.0));
        Assert.AreEqual(mid, one.RateAt(7), 1e-8);
    }

    [TestMethod]
    public void Clipping_ScalesToTheMaxNormAndLeavesSmallGradientsAlone()
    {
        float[] g = [3f, 4f];   // ‖g‖ = 5
        double norm = GradientClipping.ClipByGlobalNorm(g, 1f);
        Assert.AreEqual(5.0, norm, 1e-12);
        Assert.AreEqual(1.0, Math.Sqrt(g[0] * g[0] + g[1] * g[1]), 1e-6);
        Assert.AreEqual(0.6f, g[0], 1e-6f);
        float[] small = [0.3f, 0.4f];
        GradientClipping.ClipByGlobalNorm(small, 1f);
        CollectionAssert.AreEqual(new[] { 0.3f, 0.4f }, small);
    }

    [TestMethod]
    public void Settings_ValidateNamesTheProperty()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TrainingSettings { LearningRate = -1f }.Validate());
        Assert.AreEqual("LearningRate", e.ParamName);
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TrainingSettings { Threads = 0 }.Validate());
        Assert.AreEqual("Threads", e.ParamName);
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new NetworkSpec(3, [4], 1, DropoutRate: 1f).Validate());
        Assert.AreEqual("DropoutRate", e.ParamName);
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new NetworkSpec(3, [4], 1).Validate(LossKind.SoftmaxCrossEntropy));
        Assert.AreEqual("OutputSize", e.ParamName);
    }
}
