using BnMlNet.Engine;
using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Preprocessing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// The robust scaling's order statistics by selection (<see cref="OrderStatistics"/>) against a full sort, bit for bit:
/// ties (one-hot and few-valued columns), constant columns, 1–3 values, both signs of zero, and whole fits through the
/// selection and through the reference path (the full sort it replaced).
/// </summary>
[TestClass]
public sealed class OrderStatisticsTests
{
    private static float[] Column(Random random, int n, int kind) => kind switch
    {
        0 => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 200 - 100)).ToArray(),        // all distinct
        1 => Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.1 ? 1f : 0f).ToArray(),             // one-hot level
        2 => Enumerable.Range(0, n).Select(_ => (float)random.Next(5) - 2).ToArray(),                       // five values
        3 => Enumerable.Repeat(3.25f, n).ToArray(),                                                         // constant
        4 => Enumerable.Range(0, n).Select(_ => (float)Math.Exp(random.NextDouble() * 30 - 15)).ToArray(), // skewed
        5 => Enumerable.Range(0, n).Select(i => (float)i).ToArray(),                                        // sorted
        6 => Enumerable.Range(0, n).Select(i => (float)(n - i)).ToArray(),                                  // reversed
        _ => Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.5 ? -0f : (float)random.Next(3)).ToArray(), // −0 and +0
    };

    [TestMethod]
    public void TheSelectedRanksHoldTheSortedValuesBitForBit()
    {
        var random = new Random(13);
        int checkedRanks = 0;
        foreach (int n in new[] { 1, 2, 3, 4, 5, 7, 16, 101, 1000, 4099 })
            for (int kind = 0; kind <= 7; kind++)
            {
                var column = Column(random, n, kind);
                var sorted = column.ToArray();
                Array.Sort(sorted);
                int[] ranks = [0, n - 1, (n - 1) / 4, Math.Min((n - 1) / 4 + 1, n - 1), (n - 1) / 2, Math.Min((n - 1) / 2 + 1, n - 1), random.Next(n)];
                var selected = column.ToArray();
                OrderStatistics.Select(selected, ranks);
                foreach (int k in ranks)
                {
                    Assert.AreEqual(BitConverter.SingleToInt32Bits(sorted[k]), BitConverter.SingleToInt32Bits(selected[k]), $"n {n}, kind {kind}, rank {k}");
                    checkedRanks++;
                }
                CollectionAssert.AreEquivalent(column, selected, "a rearrangement of the same values");
            }
        Assert.IsGreaterThan(500, checkedRanks);
    }

    [TestMethod]
    public void AColumnWithANegativeZeroIsSortedAsBefore()
    {
        float[] column = [2f, -0f, 0f, 1f, -0f, 0f, -1f];
        var sorted = column.ToArray();
        sorted.AsSpan().Sort();   // the arrangement the fitter had before (Span.Sort)
        var selected = column.ToArray();
        OrderStatistics.Select(selected, [0, 3, 6]);
        CollectionAssert.AreEqual(sorted.Select(BitConverter.SingleToInt32Bits).ToArray(), selected.Select(BitConverter.SingleToInt32Bits).ToArray());
    }

    [TestMethod]
    [DoNotParallelize] // it flips the process-wide ReferencePaths switch
    [DataRow(NumericScaling.Robust)]
    [DataRow(NumericScaling.None)]
    public void AFitThroughTheSelectionIsTheFitThroughTheFullSort(NumericScaling scaling)
    {
        var random = new Random(21);
        int n = 3001, f = 8;
        var columns = Enumerable.Range(0, f).Select(j => Column(random, n, j)).ToArray();
        var x = new float[n * f];
        for (int r = 0; r < n; r++) for (int j = 0; j < f; j++) x[r * f + j] = r % 97 == j ? float.NaN : columns[j][r];
        var data = new DenseDataset(x, new float[n], null, f);
        var settings = new PreprocessingSettings(scaling);
        FeaturePreprocessor Fit(bool reference)
        {
            bool before = ReferencePaths.Enabled;
            ReferencePaths.Enabled = reference;
            try { return PreprocessorFitter.Fit(data, settings, seed: 3); }
            finally { ReferencePaths.Enabled = before; }
        }
        var fast = Fit(false);
        var plain = Fit(true);
        static int[] Bits(IReadOnlyList<float> v) => v.Select(BitConverter.SingleToInt32Bits).ToArray();
        CollectionAssert.AreEqual(Bits(plain.Fill), Bits(fast.Fill), "fill (median)");
        CollectionAssert.AreEqual(Bits(plain.Minimum), Bits(fast.Minimum), "minimum");
        CollectionAssert.AreEqual(Bits(plain.Maximum), Bits(fast.Maximum), "maximum");
        CollectionAssert.AreEqual(Bits(plain.Center), Bits(fast.Center), "center");
        CollectionAssert.AreEqual(Bits(plain.InverseScale), Bits(fast.InverseScale), "inverse scale");
        CollectionAssert.AreEqual(plain.IndicatorInputs.ToArray(), fast.IndicatorInputs.ToArray());
        // The statistics are not trivial: a skewed column's median is strictly inside its range.
        Assert.IsTrue(fast.Minimum[4] < fast.Fill[4] && fast.Fill[4] < fast.Maximum[4]);
    }
}
