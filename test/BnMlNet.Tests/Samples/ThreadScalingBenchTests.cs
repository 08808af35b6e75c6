using System.Text.RegularExpressions;
using BnMlNet.Samples.Datasets;
using BnMlNet.Tests.Datasets;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Samples;

/// <summary>
/// <c>bench threads</c>: the 1-thread against N-thread comparison of the default recipe runs, reports a speed-up per
/// dataset and checks the N-thread models' scores bit for bit against the 1-thread model's. Times are not asserted
/// (speed is measured by the bench, never by a timed test).
/// </summary>
[TestClass]
public sealed class ThreadScalingBenchTests
{
    [TestMethod]
    public void ReportsASpeedupAndBitIdenticalScoresOnADevSuiteTable()
    {
        DatasetGuard.Require(DevSuite.FindDirectory(), "development suite (../shared/datasets/tabular/manifest.tsv)");
        var (code, output) = SamplesRunner.Run("bench", "threads", "--quick", "--rounds", "1", "--datasets", "chile_vote");
        Assert.AreEqual(0, code, output);
        var line = Regex.Match(output, @"dataset=chile_vote seconds_1_thread=([0-9.]+) seconds_2_threads=([0-9.]+) speedup=([0-9.]+) bit_identical=(\w+)");
        Assert.IsTrue(line.Success, output);
        Assert.AreEqual("true", line.Groups[4].Value, output);
        double t1 = double.Parse(line.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        double t2 = double.Parse(line.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        double speedup = double.Parse(line.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.AreEqual(t1 / t2, speedup, 0.01 * speedup + 1e-3, "speed-up = median 1-thread seconds / median 2-thread seconds (one round)");
        StringAssert.Contains(output, "all_bit_identical=true");
    }

    [TestMethod]
    public void RejectsAThreadCountBelowTwoNamingTheOption()
    {
        var (code, output) = SamplesRunner.Run("bench", "threads", "--threads", "1");
        Assert.AreEqual(2, code, output);
        StringAssert.Contains(output, "--threads must be at least 2");
    }
}
