using System.Globalization;
using BnMlNet.Samples.Experiments;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Samples;

/// <summary>
/// <c>experiments --quick</c> on the shipped subset: the report and plots exist, the numbers parse and are sane, and
/// experiments 5 and 6 show what the math says.
/// </summary>
[TestClass]
public sealed class ExperimentsTests
{
    private static string s_dir = "";
    private static string s_output = "";
    private static int s_code = -99;
    private static string s_report = "";

    [ClassInitialize]
    public static void RunQuickExperiments(TestContext context)
    {
        s_dir = SamplesRunner.NewTempFolder("experiments");
        (s_code, s_output) = SamplesRunner.Run("experiments", "--quick", "--dataset", "subset", "--threads", "2", "--out", s_dir);
        string path = Path.Combine(s_dir, ExperimentReport.FileName);
        s_report = File.Exists(path) ? File.ReadAllText(path) : "";
    }

    [ClassCleanup]
    public static void DeleteOutput()
    {
        if (Directory.Exists(s_dir)) Directory.Delete(s_dir, recursive: true);
    }

    [TestMethod]
    [TestCategory("Long")]
    public void WritesTheReportAndEveryPlot()
    {
        Assert.AreEqual(0, s_code, s_output);
        Assert.IsFalse(string.IsNullOrEmpty(s_report), "experiments.md was not written");
        foreach (var png in ExperimentsCommand.PlotFiles.Values.SelectMany(f => f))
        {
            var bytes = File.ReadAllBytes(Path.Combine(s_dir, png));
            Assert.IsGreaterThan(1000, bytes.Length, png);
            CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4], png);
            StringAssert.Contains(s_report, $"]({png})", "the report embeds " + png);
        }
        Assert.IsEmpty(Directory.GetFiles(s_dir, "*.tmp*"), "no temporary files left behind");
        for (int n = 1; n <= 6; n++)
        {
            StringAssert.Contains(s_report, $"## {n}. ");
            Assert.Contains("**Verdict:**", Section(n), $"experiment {n} has a verdict");
            Assert.Contains("**The seed claims:**", Section(n), $"experiment {n} states the claim");
        }
        // provenance
        StringAssert.Contains(s_report, "experiments --quick --dataset subset");
        StringAssert.Contains(s_report, "Seeds: 1");
        StringAssert.Contains(s_report, "Threads: 2");
        StringAssert.Contains(s_report, "subset (data/fashion-mnist): 3,000 training rows");
        StringAssert.Contains(s_report, "1,000 test rows");
        StringAssert.Contains(s_report, $"{Environment.ProcessorCount} logical cores");
        StringAssert.Contains(s_report, Environment.Version.ToString(2));
        // the console gets the tables and verdicts too
        StringAssert.Contains(s_output, "Verdict: ");
        StringAssert.Contains(s_output, TestTimeExperiment.FrozenLabel);
    }

    [TestMethod]
    [TestCategory("Long")]
    public void LearningRateSweepSpansThreeOrdersWithSaneAccuracies()
    {
        var table = Tables(1)[0];
        foreach (var optimizer in new[] { "SGD", "Adam" })
        {
            var rows = table.Where(r => r["optimizer"] == optimizer).ToList();
            var rates = rows.Select(r => Number(r["learning rate"])).Distinct().ToList();
            Assert.IsGreaterThanOrEqualTo(6, rates.Count, optimizer);
            Assert.IsGreaterThanOrEqualTo(1000.0, rates.Max() / rates.Min(), optimizer + " rates span 3 orders of magnitude");
            foreach (var r in rows)
            {
                CheckAccuracyOrDiverged(r["BN"]);
                CheckAccuracyOrDiverged(r["no BN"]);
            }
        }
        // Adam at its default rate trains, with and without BN
        var adam = table.Single(r => r["optimizer"] == "Adam" && Number(r["learning rate"]) == 0.001);
        Assert.IsGreaterThan(0.6, Number(adam["BN"]));
        Assert.IsGreaterThan(0.6, Number(adam["no BN"]));
    }

    [TestMethod]
    [TestCategory("Long")]
    public void DepthRunsFromTwoToTenLayers()
    {
        var table = Tables(2)[0];
        var depths = table.Select(r => (int)Number(r["hidden layers"])).Distinct().ToList();
        Assert.AreEqual(2, depths.Min());
        Assert.IsGreaterThanOrEqualTo(10, depths.Max());
        CollectionAssert.AreEquivalent(new[] { "sigmoid", "ReLU" }, table.Select(r => r["activation"]).Distinct().ToArray());
        foreach (var r in table)
        {
            CheckAccuracyOrDiverged(r["BN accuracy"]);
            CheckAccuracyOrDiverged(r["no-BN accuracy"]);
        }
    }

    [TestMethod]
    [TestCategory("Long")]
    public void SaturationPercentilesAreOrderedAndSharesArePercentages()
    {
        var table = Tables(3)[0];
        Assert.IsGreaterThanOrEqualTo(3, table.Count);
        Assert.AreEqual(0.0, Number(table[0]["step"]));
        foreach (var r in table)
        {
            foreach (var v in new[] { "BN", "no-BN" })
            {
                double p15 = Number(r[$"{v} p15"]), p50 = Number(r[$"{v} p50"]), p85 = Number(r[$"{v} p85"]);
                Assert.IsLessThanOrEqualTo(p50, p15, $"{v} p15 ≤ p50 at step {r["step"]}");
                Assert.IsLessThanOrEqualTo(p85, p50, $"{v} p50 ≤ p85 at step {r["step"]}");
                CheckAccuracy(r[$"{v} accuracy"]);
                double share = Number(r[$"{v} saturated"].TrimEnd('%'));
                Assert.IsTrue(share is >= 0 and <= 100, $"{v} saturated share {share}");
            }
        }
        StringAssert.Contains(Section(3), "|z| > 4");
        // BN trains this sigmoid network: the last accuracy is far above chance
        Assert.IsGreaterThan(0.5, Number(table[^1]["BN accuracy"]));
    }

    [TestMethod]
    [TestCategory("Long")]
    public void RegularizationRunsOverfitAndTheVerdictFollowsFromTheTables()
    {
        var tables = Tables(4);
        var final = tables[0];
        var matched = tables[1];
        Assert.IsGreaterThanOrEqualTo(6, final.Count);
        CollectionAssert.AreEquivalent(new[] { "BN", "no BN" }, final.Select(r => r["variant"]).Distinct().ToArray());
        foreach (var r in final)
        {
            string run = $"batch {r["batch size"]} {r["variant"]}";
            double train = Number(r["train loss"]), test = Number(r["test loss"]);
            double trainAccuracy = Number(r["train accuracy"]), testAccuracy = Number(r["test accuracy"]);
            Assert.AreEqual(test - train, Number(r["loss gap"]), 2e-4, run);
            Assert.AreEqual(trainAccuracy - testAccuracy, Number(r["accuracy gap"]), 2e-4, run);
            // The experiment's premise: every network learned (chance is 0.1) and overfits its small training sample.
            Assert.IsGreaterThan(0.7, testAccuracy, $"{run} test accuracy");
            Assert.IsGreaterThan(testAccuracy + 0.03, trainAccuracy, $"{run} overfits: train accuracy above test");
            Assert.IsGreaterThan(train, test, $"{run} overfits: test loss above train");
        }

        // The verdict's counts, recomputed from the tables.
        var batches = final.Select(r => r["batch size"]).Distinct().ToList();
        Dictionary<string, string> Row(string b, string variant) => final.Single(r => r["batch size"] == b && r["variant"] == variant);
        int n = batches.Count;
        int lossGap = batches.Count(b => Number(Row(b, "BN")["loss gap"]) < Number(Row(b, "no BN")["loss gap"]));
        int accuracyGap = batches.Count(b => Number(Row(b, "BN")["accuracy gap"]) < Number(Row(b, "no BN")["accuracy gap"]));
        int betterTest = batches.Count(b => Number(Row(b, "BN")["test accuracy"]) > Number(Row(b, "no BN")["test accuracy"]));
        int lowerAtMatch = matched.Count(r => Number(r["BN test loss"]) < Number(r["no-BN test loss"]));
        string verdict = Section(4);
        StringAssert.Contains(verdict, $"BN's loss gap is smaller at {lossGap} of {n} batch sizes and its accuracy gap at {accuracyGap} of {n}");
        StringAssert.Contains(verdict, $"BN's final test accuracy is higher at {betterTest} of {n}");
        StringAssert.Contains(verdict, $"BN's test loss is lower at {lowerAtMatch} of {n} batch sizes");

        // "BN fits the training rows faster": it reaches the matched training loss no later, and ends lower.
        Assert.HasCount(n, matched);
        foreach (var r in matched)
            Assert.IsLessThanOrEqualTo(Number(r["no-BN epoch"]), Number(r["BN epoch"]), $"batch {r["batch size"]}: BN reaches the matched fit first");
        foreach (string b in batches)
            Assert.IsLessThan(Number(Row(b, "no BN")["train loss"]), Number(Row(b, "BN")["train loss"]), $"batch {b}: BN ends with the lower train loss");
    }

    [TestMethod]
    [TestCategory("Long")]
    public void FrozenStatisticsBeatOneRowBatchStatistics()
    {
        var modes = Tables(5)[0];
        var frozen = modes.Single(r => r["scoring mode"] == TestTimeExperiment.FrozenLabel);
        var single = modes.Single(r => r["scoring mode"] == TestTimeExperiment.OneRowLabel);
        double frozenAccuracy = Number(frozen["test accuracy"]), singleAccuracy = Number(single["test accuracy"]);
        // One row normalized by itself: x̂ = 0 everywhere, the same output for every row, so one class for all.
        Assert.AreEqual("1", single["distinct predicted classes"]);
        Assert.IsLessThanOrEqualTo(0.2, singleAccuracy);
        Assert.IsGreaterThan(0.6, frozenAccuracy);
        Assert.IsGreaterThan(singleAccuracy + 0.4, frozenAccuracy);
        foreach (var r in modes) CheckAccuracy(r["test accuracy"]);

        var stats = Tables(5)[1];
        foreach (var r in stats)
        {
            CheckAccuracy(r["EMA accuracy"]);
            CheckAccuracy(r["population accuracy"]);
        }
        // after the whole run, moving-average and population statistics agree closely
        Assert.AreEqual(Number(stats[^1]["EMA accuracy"]), Number(stats[^1]["population accuracy"]), 0.03);
    }

    [TestMethod]
    [TestCategory("Long")]
    public void BiasInFrontOfBatchNormGetsNoGradientAndChangesNothing()
    {
        var table = Tables(6)[0];
        string bn = "BN network (bias kept in front of BN)", plain = "no-BN network";
        var gradients = table.Where(r => r["quantity"].StartsWith(DroppedBiasExperiment.GradientLabel, StringComparison.Ordinal)).ToList();
        Assert.HasCount(2, gradients);
        foreach (var r in gradients)
        {
            Assert.IsLessThan(1e-5, Number(r[bn]), r["quantity"]);
            Assert.IsGreaterThan(1e-3, Number(r[plain]), "without BN the same bias does learn: " + r["quantity"]);
        }
        var shift = table.Single(r => r["quantity"].StartsWith(DroppedBiasExperiment.ShiftLabel, StringComparison.Ordinal));
        Assert.IsLessThan(1e-4, Number(shift[bn]));
        Assert.IsGreaterThan(1e-2, Number(shift[plain]));
        var check = table.Single(r => r["quantity"].StartsWith("check:", StringComparison.Ordinal));
        Assert.IsLessThan(1e-3, Number(check[bn]), "the reference forward agrees with the engine");
    }

    private static string Section(int n)
    {
        Assert.IsFalse(string.IsNullOrEmpty(s_report), "experiments.md was not written: " + s_output);
        int start = s_report.IndexOf($"\n## {n}. ", StringComparison.Ordinal);
        Assert.IsGreaterThanOrEqualTo(0, start, $"section {n}");
        int end = s_report.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? s_report[start..] : s_report[start..end];
    }

    /// <summary>The Markdown tables of section <paramref name="n"/>, each a list of rows keyed by header.</summary>
    private static List<List<Dictionary<string, string>>> Tables(int n)
    {
        var tables = new List<List<Dictionary<string, string>>>();
        string[]? headers = null;
        List<Dictionary<string, string>>? current = null;
        foreach (var raw in Section(n).Split('\n'))
        {
            string line = raw.Trim();
            if (!line.StartsWith('|'))
            {
                headers = null;
                current = null;
                continue;
            }
            if (line.Trim('|', '-').Length == 0) continue;   // the |---|---| separator
            var cells = line.Trim('|').Split(" | ").Select(c => c.Trim().Replace("\\|", "|", StringComparison.Ordinal)).ToArray();
            if (headers is null)
            {
                headers = cells;
                current = [];
                tables.Add(current);
            }
            else
            {
                Assert.HasCount(headers.Length, cells, line);
                current!.Add(headers.Zip(cells).ToDictionary(p => p.First, p => p.Second));
            }
        }
        Assert.IsNotEmpty(tables, $"section {n} has tables");
        return tables;
    }

    private static double Number(string cell)
    {
        Assert.IsTrue(double.TryParse(cell.Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out double v),
            $"'{cell}' is not a number");
        return v;
    }

    private static void CheckAccuracy(string cell)
    {
        double v = Number(cell);
        Assert.IsTrue(v is >= 0 and <= 1, $"accuracy {v} outside [0, 1]");
    }

    private static void CheckAccuracyOrDiverged(string cell)
    {
        if (cell != "diverged") CheckAccuracy(cell);
    }
}

/// <summary><c>experiments</c>' option checks, which fail before any data is read.</summary>
[TestClass]
public sealed class ExperimentsOptionsTests
{
    [TestMethod]
    [DataRow("--only", "7")]
    [DataRow("--only", "1,x")]
    [DataRow("--dataset", "mnist")]
    [DataRow("--threads", "0")]
    public void RejectsBadOptions(string option, string value)
    {
        string dir = SamplesRunner.NewTempFolder("experiments-bad");
        var (code, output) = SamplesRunner.Run("experiments", "--quick", option, value, "--out", dir);
        Assert.AreEqual(2, code, output);
        StringAssert.Contains(output, "error:");
        Assert.IsEmpty(Directory.GetFiles(dir), "nothing written");
    }

    [TestMethod]
    public void RefusesToOverwriteAnEarlierReportWithoutForce()
    {
        string dir = SamplesRunner.NewTempFolder("experiments-keep");
        string report = Path.Combine(dir, ExperimentReport.FileName);
        File.WriteAllText(report, "an earlier report");
        var (code, output) = SamplesRunner.Run("experiments", "--quick", "--dataset", "subset", "--only", "6", "--out", dir);
        Assert.AreEqual(2, code, output);
        StringAssert.Contains(output, "--force");
        Assert.AreEqual("an earlier report", File.ReadAllText(report));
    }

    [TestMethod]
    public void OnlyRunsTheChosenExperiment()
    {
        string dir = SamplesRunner.NewTempFolder("experiments-only");
        var (code, output) = SamplesRunner.Run("experiments", "--quick", "--dataset", "subset", "--only", "6", "--threads", "1", "--out", dir);
        Assert.AreEqual(0, code, output);
        string report = File.ReadAllText(Path.Combine(dir, ExperimentReport.FileName));
        StringAssert.Contains(report, "## 6. The dropped bias");
        Assert.DoesNotContain("## 1. ", report);
        Assert.IsTrue(File.Exists(Path.Combine(dir, DroppedBiasExperiment.PlotFile)));
        Assert.IsFalse(File.Exists(Path.Combine(dir, HyperparameterExperiment.PlotFile)));
        Directory.Delete(dir, recursive: true);
    }
}
