using BnMlNet.Samples.Experiments;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Samples;

/// <summary>
/// The seed aggregation of <c>experiments</c> against hand-computed values: mean and half-range, the combined cells,
/// and the verdict rule, which must be able to give every outcome.
/// </summary>
[TestClass]
public sealed class SeedAggregationTests
{
    [TestMethod]
    public void SpreadIsTheMeanAndHalfTheRange()
    {
        var s = SeedSpread.Of([0.865, 0.894, 0.871]);
        Assert.AreEqual((0.865 + 0.894 + 0.871) / 3, s.Mean, 1e-15);
        Assert.AreEqual((0.894 - 0.865) / 2, s.HalfRange, 1e-15);
        Assert.AreEqual(3, s.Count);
        Assert.AreEqual("0.8767 ± 0.0145", s.Text(4));
        Assert.AreEqual(0.0, SeedSpread.Of([0.5]).HalfRange, "one seed: no spread");
        var withNaN = SeedSpread.Of([1.0, double.NaN, 3.0]);
        Assert.AreEqual(2.0, withNaN.Mean);
        Assert.AreEqual(2, withNaN.Count, "NaN (a diverged run) is left out");
        Assert.IsTrue(double.IsNaN(SeedSpread.Of([double.NaN]).Mean));
    }

    [TestMethod]
    [DataRow(new[] { "0.8230", "0.8370" }, "0.8300 ± 0.0070")]
    [DataRow(new[] { "0.8230", "0.8370", "0.8300" }, "0.8300 ± 0.0070")]
    [DataRow(new[] { "+1.2 pt", "-0.4 pt" }, "0.4 ± 0.8 pt")]
    [DataRow(new[] { "3.6%", "11.6%" }, "7.6 ± 4.0%")]
    [DataRow(new[] { "7 of 8", "4 of 8" }, "5.5 ± 1.5 of 8")]
    [DataRow(new[] { "1,000", "1,000" }, "1,000")]
    [DataRow(new[] { "6.32e-08", "5.69e-08" }, "6.01e-08 ± 3.15e-09")]
    [DataRow(new[] { "BN", "BN" }, "BN")]
    [DataRow(new[] { "0.8000", "diverged", "0.9000" }, "0.8500 ± 0.0500 (diverged in 1 of 3 seeds)")]
    [DataRow(new[] { "diverged", "n/a" }, "diverged / n/a")]
    public void CombinesOneCellOverSeeds(string[] perSeed, string expected) =>
        Assert.AreEqual(expected, SeedTables.Cell(perSeed));

    [TestMethod]
    public void CombinesTablesCellByCell()
    {
        var a = new ResultTable("t", "variant", "accuracy").Add("BN", "0.8000").Add("no BN", "0.7000");
        var b = new ResultTable("t", "variant", "accuracy").Add("BN", "0.9000").Add("no BN", "0.7200");
        var c = SeedTables.Combine([a, b]);
        Assert.AreEqual("t; mean ± spread (half the range) over 2 seeds", c.Caption);
        CollectionAssert.AreEqual(new[] { "BN", "0.8500 ± 0.0500" }, c.Rows[0]);
        CollectionAssert.AreEqual(new[] { "no BN", "0.7100 ± 0.0100" }, c.Rows[1]);
        var odd = new ResultTable("t", "variant", "accuracy").Add("BN", "0.9");
        StringAssert.Contains(SeedTables.Combine([a, odd]).Caption, "first seed only");
    }

    private static Effect E(double bn, double other, bool lower = false, bool same = false) =>
        new("x", bn, other, LowerSupportsClaim: lower, ClaimsNoDifference: same);

    [TestMethod]
    public void TheRuleGivesEveryOutcome()
    {
        // BN 0.80, 0.82 (spread 0.01) vs 0.70, 0.72 (spread 0.01): d = 0.10 > 0.01
        var supports = SeedVerdict.Judge([E(0.80, 0.70), E(0.82, 0.72)]);
        Assert.AreEqual(EffectOutcome.Supports, supports.Outcome);
        Assert.AreEqual(0.10, supports.Difference, 1e-12);
        Assert.AreEqual(0.01, supports.Spread, 1e-12);
        // d = 0.01 but BN's seeds span 0.70–0.74 (spread 0.02): not larger than the spread
        Assert.AreEqual(EffectOutcome.WithinSpread, SeedVerdict.Judge([E(0.70, 0.71), E(0.74, 0.71)]).Outcome);
        // BN lower by 0.10, seeds agree: against the claim
        Assert.AreEqual(EffectOutcome.Against, SeedVerdict.Judge([E(0.60, 0.70), E(0.61, 0.71)]).Outcome);
        // a gap the claim wants smaller: BN's lower gap supports it
        Assert.AreEqual(EffectOutcome.Supports, SeedVerdict.Judge([E(0.1, 0.3, lower: true), E(0.12, 0.31, lower: true)]).Outcome);
        Assert.AreEqual(EffectOutcome.Against, SeedVerdict.Judge([E(0.3, 0.1, lower: true), E(0.31, 0.12, lower: true)]).Outcome);
        // a claim of no difference: supported within the spread, contradicted beyond it
        Assert.AreEqual(EffectOutcome.Supports, SeedVerdict.Judge([E(0.80, 0.81, same: true), E(0.83, 0.81, same: true)]).Outcome);
        Assert.AreEqual(EffectOutcome.Against, SeedVerdict.Judge([E(0.80, 0.90, same: true), E(0.81, 0.90, same: true)]).Outcome);
        // equal to the spread is not larger than it
        Assert.AreEqual(EffectOutcome.WithinSpread, SeedVerdict.Judge([E(0.0, 0.0), E(2.0, 0.0)]).Outcome, "d = 1 = s");
        // one seed: no spread, any difference counts
        Assert.AreEqual(EffectOutcome.Supports, SeedVerdict.Judge([E(0.51, 0.50)]).Outcome);
    }

    [TestMethod]
    public void TheClaimHoldsHoldsPartlyOrDoesNotHold()
    {
        JudgedEffect J(EffectOutcome o) => new("x", default, default, 0, 0, o, 4);
        Assert.AreEqual("holds", SeedVerdict.Overall([J(EffectOutcome.Supports), J(EffectOutcome.Supports)]));
        Assert.AreEqual("holds partly", SeedVerdict.Overall([J(EffectOutcome.Supports), J(EffectOutcome.WithinSpread)]));
        Assert.AreEqual("holds partly", SeedVerdict.Overall([J(EffectOutcome.Against), J(EffectOutcome.Supports)]));
        Assert.AreEqual("does not hold", SeedVerdict.Overall([J(EffectOutcome.WithinSpread), J(EffectOutcome.Against)]));
        Assert.AreEqual("does not hold", SeedVerdict.Overall([J(EffectOutcome.WithinSpread)]));
        Assert.AreEqual("was not measured", SeedVerdict.Overall([]));
    }

    [TestMethod]
    public void JudgeAllGroupsTheSeedsEffectsByName()
    {
        IReadOnlyList<Effect> seed1 = [new("a", 1.0, 0.0), new("b", 0.0, 1.0)];
        IReadOnlyList<Effect> seed2 = [new("a", 1.2, 0.1), new("b", 0.1, 1.1)];
        var judged = SeedVerdict.JudgeAll([seed1, seed2]);
        Assert.HasCount(2, judged);
        Assert.AreEqual("a", judged[0].Name);
        Assert.AreEqual(1.1, judged[0].WithBn.Mean, 1e-12);
        Assert.AreEqual(0.05, judged[0].WithoutBn.HalfRange, 1e-12);
        Assert.AreEqual(EffectOutcome.Supports, judged[0].Outcome);
        Assert.AreEqual(EffectOutcome.Against, judged[1].Outcome);
    }
}
