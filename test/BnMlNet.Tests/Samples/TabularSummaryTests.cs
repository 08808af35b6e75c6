using BnMlNet.Samples.Bench.Tabular;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Samples;

/// <summary>The summary rule of bench tabular, on hand-made rows whose verdicts are worked out by hand.</summary>
[TestClass]
public sealed class TabularSummaryTests
{
    private static ComparisonRow Row(string name, double bn, double lgbm, double fastTree, double sdca, double bnSeconds = 1, double lgbmSeconds = 1) =>
        new(name, bn, lgbm, fastTree, sdca, bnSeconds, lgbmSeconds);

    [TestMethod]
    public void CloseCallsIncludeBothEdgesOfTheMargin()
    {
        Assert.AreEqual("close", Row("a", 0.8050, 0.8000, 0.7000, 0.5).Verdict, "+0.005 exactly is a close call");
        Assert.AreEqual("close", Row("b", 0.7950, 0.7000, 0.8000, 0.5).Verdict, "−0.005 exactly is a close call");
        Assert.AreEqual("win", Row("c", 0.8051, 0.8000, 0.7000, 0.5).Verdict);
        Assert.AreEqual("loss", Row("d", 0.7949, 0.8000, 0.7000, 0.5).Verdict);
        Assert.AreEqual("close", Row("e", 0.8000, 0.8000, 0.8000, 0.5).Verdict);
    }

    [TestMethod]
    public void TheBetterTreeIsTheMaximumOfLightGbmAndFastTree()
    {
        var row = Row("a", 0.90, 0.95, 0.85, 0.5);
        Assert.AreEqual(0.95, row.BetterTree);
        Assert.AreEqual(-0.05, row.Gap);
        Assert.IsFalse(row.LostBig, "a loss of exactly 0.05 is not 'by more than 0.05'");
        Assert.IsTrue(Row("b", 0.8999, 0.95, 0.85, 0.5).LostBig);
    }

    [TestMethod]
    public void TimesUnderHalfASecondCountAsHalfASecondOnBothSides()
    {
        Assert.AreEqual(1.0, Row("a", 1, 1, 1, 0, bnSeconds: 0.1, lgbmSeconds: 0.3).TimeRatio);
        Assert.AreEqual(4.0, Row("b", 1, 1, 1, 0, bnSeconds: 2.0, lgbmSeconds: 0.2).TimeRatio);
        Assert.AreEqual(0.25, Row("c", 1, 1, 1, 0, bnSeconds: 0.4, lgbmSeconds: 2.0).TimeRatio);
        Assert.AreEqual(1.5, Row("d", 1, 1, 1, 0, bnSeconds: 3.0, lgbmSeconds: 2.0).TimeRatio);
    }

    [TestMethod]
    public void SummaryCountsEveryRuleFromTheRows()
    {
        var rows = new[]
        {
            Row("win", 0.90, 0.85, 0.80, 0.70, bnSeconds: 3.0, lgbmSeconds: 1.0),      // gap +0.05, ratio 3
            Row("close", 0.8520, 0.85, 0.80, 0.86, bnSeconds: 1.0, lgbmSeconds: 2.0),  // gap +0.002, below SDCA, ratio 0.5
            Row("loss", 0.80, 0.70, 0.82, 0.75, bnSeconds: 0.2, lgbmSeconds: 0.1),     // gap −0.02, ratio 1
            Row("big loss", 0.20, 0.90, 0.91, 0.10, bnSeconds: 6.0, lgbmSeconds: 1.0), // gap −0.71, above SDCA, ratio 6
        };
        var s = SuiteSummary.Compute(rows);
        Assert.AreEqual(4, s.Datasets);
        Assert.AreEqual(1, s.Wins);
        Assert.AreEqual(1, s.Close);
        Assert.AreEqual(2, s.Losses);
        Assert.AreEqual(2, s.Ahead);
        Assert.AreEqual((0.002 + -0.02) / 2, s.MedianGap, 1e-12);
        Assert.AreEqual(1, s.BelowLinear);
        Assert.AreEqual(1, s.LostBig);
        Assert.AreEqual((1.0 + 3.0) / 2, s.MedianTimeRatio, 1e-12);
        Assert.AreEqual(6.0, s.MaxTimeRatio);
        Assert.AreEqual("big loss", s.MaxTimeRatioDataset);
    }

    [TestMethod]
    public void ABnMlpWithoutAMetricCountsAsALossBelowLinear()
    {
        var row = Row("nan", double.NaN, 0.8, 0.8, 0.7);
        Assert.AreEqual("loss", row.Verdict);
        Assert.IsTrue(row.BelowLinear);
        Assert.IsTrue(row.LostBig);
    }
}
