using BnMlNet.Engine.Training;

namespace BnMlNet.Tests.Engine;

/// <summary>
/// The stopping and reduce-on-plateau rule (<see cref="EarlyStopping"/>) against validation-loss sequences whose
/// outcome (best epoch, the epochs after which the rate is reduced, the epoch the run stops) is worked out by hand in
/// each test's comments; with every new option off, against the rule as it was (loss &lt; best − minDelta).
/// </summary>
[TestClass]
public sealed class EarlyStoppingRuleTests
{
    /// <summary>Feeds <paramref name="losses"/> until the rule stops; the reductions, the best epoch and the last epoch run.</summary>
    private static (List<int> Reductions, int Best, int Stopped) Run(EarlyStopping rule, params double[] losses)
    {
        var reductions = new List<int>();
        for (int e = 1; e <= losses.Length; e++)
        {
            rule.Observe(e, losses[e - 1]);
            if (rule.ShouldStop) return (reductions, rule.BestEpoch, e);
            if (rule.ReduceNow) reductions.Add(e);
        }
        return (reductions, rule.BestEpoch, losses.Length);
    }

    [TestMethod]
    public void PlateauReducesAfterPatienceBadEpochsAndStopsAfterTheLastReductionsPatience()
    {
        // plateau patience 2, at most 2 reductions, early-stopping patience 10 (never reached here):
        //  e1 1.00 best | e2 0.80 best | e3 0.85 bad (1) | e4 0.90 bad (2) → reduce #1 | e5 0.70 best
        //  e6 0.75 bad (1) | e7 0.72 bad (2) → reduce #2 | e8 0.71 bad (1; 0.71 > 0.70) | e9 0.69 best
        //  e10 0.70 bad (1) | e11 0.70 bad (2): no reduction left → stop at e11, best e9
        var (reductions, best, stopped) = Run(new EarlyStopping(10, 0, plateauPatience: 2, maxReductions: 2),
            1.00, 0.80, 0.85, 0.90, 0.70, 0.75, 0.72, 0.71, 0.69, 0.70, 0.70, 0.60, 0.50);
        CollectionAssert.AreEqual(new[] { 4, 7 }, reductions);
        Assert.AreEqual(9, best);
        Assert.AreEqual(11, stopped);
    }

    [TestMethod]
    public void WithoutALimitOnReductionsOnlyEarlyStoppingEndsTheRun()
    {
        // plateau patience 2, no limit, early-stopping patience 5, the loss never improves after e1:
        // bad epochs e2..e6 (1..5); reductions after e3 (2 bad) and e5 (2 more); at e6, 5 bad epochs → stop.
        var (reductions, best, stopped) = Run(new EarlyStopping(5, 0, plateauPatience: 2), 1, 2, 2, 2, 2, 2, 2, 2);
        CollectionAssert.AreEqual(new[] { 3, 5 }, reductions);
        Assert.AreEqual(1, best);
        Assert.AreEqual(6, stopped);
    }

    [TestMethod]
    public void OneReductionThenThePlateauPatienceStops()
    {
        // plateau patience 3, 1 reduction, early stopping 12: e1 best, e2..e4 bad → reduce after e4; e5 0.9 best;
        // e6..e8 bad (1..3; reductions used up) → stop at e8 (early stopping alone would run to e17).
        var (reductions, best, stopped) = Run(new EarlyStopping(12, 0, plateauPatience: 3, maxReductions: 1),
            1.0, 1.1, 1.2, 1.3, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95);
        CollectionAssert.AreEqual(new[] { 4 }, reductions);
        Assert.AreEqual(5, best);
        Assert.AreEqual(8, stopped);
    }

    [TestMethod]
    public void ARelativeMinDeltaIgnoresTheSlowCreep()
    {
        // relative 0.01, patience 3: e1 1.000 best (threshold then 0.99) | e2 0.995 bad (1) | e3 0.985 best (threshold
        // 0.985 − 0.00985 = 0.97515) | e4 0.980 bad (1) | e5 0.976 bad (2) | e6 0.9755 bad (3) → stop at e6, best e3.
        double[] creep = [1.000, 0.995, 0.985, 0.980, 0.976, 0.9755, 0.975, 0.9745];
        var (_, best, stopped) = Run(new EarlyStopping(3, 0, relativeMinDelta: 0.01), creep);
        Assert.AreEqual(3, best);
        Assert.AreEqual(6, stopped);
        // without it every epoch improves (the sequence only falls) and the run never stops
        var (_, bestOff, stoppedOff) = Run(new EarlyStopping(3, 0), creep);
        Assert.AreEqual(8, bestOff);
        Assert.AreEqual(8, stoppedOff);
    }

    [TestMethod]
    public void TheAbsoluteAndRelativeDeltasAdd()
    {
        // best 1.0: threshold 1.0 − 0.001 − 0.01·1.0 = 0.989. 0.9895 beats the relative delta alone (0.99) but not both.
        var both = new EarlyStopping(5, 0.001, relativeMinDelta: 0.01);
        both.Observe(1, 1.0);
        Assert.IsFalse(both.Observe(2, 0.9895));
        Assert.IsTrue(both.Observe(3, 0.9885));
        var relative = new EarlyStopping(5, 0, relativeMinDelta: 0.01);
        relative.Observe(1, 1.0);
        Assert.IsTrue(relative.Observe(2, 0.9895));
    }

    [TestMethod]
    public void ThePatienceGrowsWithTheBestEpoch()
    {
        // patience 2, fraction 0.5: improving to e6 → patience max(2, ⌈3⌉) = 3; e7..e9 bad → stop at e9 (fixed 2: e8).
        double[] losses = [6, 5, 4, 3, 2, 1, 1.5, 1.5, 1.5, 1.5];
        var grown = Run(new EarlyStopping(2, 0, patienceFraction: 0.5f), losses);
        Assert.AreEqual(6, grown.Best);
        Assert.AreEqual(9, grown.Stopped);
        Assert.AreEqual(8, Run(new EarlyStopping(2, 0), losses).Stopped);
        // a short run keeps the floor: best e1 → max(2, ⌈0.5⌉ = 1) = 2, so e2, e3 bad → stop at e3
        Assert.AreEqual(3, Run(new EarlyStopping(2, 0, patienceFraction: 0.5f), 1, 2, 2, 2).Stopped);
        // ⌈0.3 · 7⌉ = 3 (not 2.1 rounded down)
        var rule = new EarlyStopping(1, 0, patienceFraction: 0.3f);
        for (int e = 1; e <= 7; e++) rule.Observe(e, 10 - e);
        Assert.AreEqual(3, rule.Patience);
    }

    [TestMethod]
    public void TheGrownPatienceOfAFloatFractionIsTheDecimalOnes()
    {
        // The option is a float: 0.2f is 0.2000000030 in double, whose product with 30 has the ceiling 7; the rule
        // must give ⌈0.2 · 30⌉ = 6, and likewise at the other multiples where the decimal product is a whole number.
        foreach (var (fraction, best, expected) in new[] { (0.2f, 30, 6), (0.2f, 5, 1), (0.1f, 30, 3), (0.3f, 10, 3), (0.3f, 70, 21), (0.2f, 31, 7) })
        {
            var rule = new EarlyStopping(1, 0, patienceFraction: fraction);
            for (int e = 1; e <= best; e++) rule.Observe(e, 1000 - e);
            Assert.AreEqual(best, rule.BestEpoch);
            Assert.AreEqual(expected, rule.Patience, $"fraction {fraction}, best epoch {best}");
        }
    }

    [TestMethod]
    public void ANonFiniteLossIsNoImprovement()
    {
        var (reductions, best, stopped) = Run(new EarlyStopping(3, 0, plateauPatience: 1, maxReductions: 5), 1.0, double.NaN, double.NaN, double.NaN);
        CollectionAssert.AreEqual(new[] { 2, 3 }, reductions);
        Assert.AreEqual(1, best);
        Assert.AreEqual(4, stopped);
    }

    [TestMethod]
    public void WithEveryNewOptionOffTheRuleIsTheOldOne()
    {
        // The rule before reduce-on-plateau, written out: improvement iff loss < best − minDelta; stop after `patience` bad epochs.
        static (int Best, int Stopped) Old(int patience, double minDelta, double[] losses)
        {
            double bestLoss = double.PositiveInfinity;
            int best = 0, bad = 0;
            for (int e = 1; e <= losses.Length; e++)
            {
                if (losses[e - 1] < bestLoss - minDelta) { bestLoss = losses[e - 1]; best = e; bad = 0; }
                else if (++bad >= patience) return (best, e);
            }
            return (best, losses.Length);
        }
        var rng = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            int patience = rng.Next(1, 6);
            double minDelta = rng.Next(3) * 0.01;
            var losses = Enumerable.Range(0, 40).Select(i => 1.0 / (1 + 0.1 * i) + 0.05 * rng.NextDouble()).ToArray();
            var (reductions, best, stopped) = Run(new EarlyStopping(patience, minDelta), losses);
            Assert.IsEmpty(reductions);
            Assert.AreEqual(Old(patience, minDelta, losses), (best, stopped), $"trial {trial}");
        }
    }
}
