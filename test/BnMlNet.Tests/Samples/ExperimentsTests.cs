using System.Globalization;
using BnMlNet.Samples.Experiments;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Samples;

/// <summary>
/// <c>experiments --quick --seeds 2</c> on the shipped subset: the report and plots exist, the numbers parse and are sane,
/// experiments 5 and 6 show what the math says, every combined figure is the mean ± half-range of the seeds' own
/// tables, and every verdict follows from its printed numbers by <see cref="SeedVerdict.Rule"/>.
/// </summary>
[TestClass]
public sealed class ExperimentsTests
{
    private static string s_dir = "";
    private static string s_output = "";
    private static int s_code = -99;
    private static string s_report = "";
    private const int Seeds = 2;

    [ClassInitialize]
    public static void RunQuickExperiments(TestContext context)
    {
        s_dir = SamplesRunner.NewTempFolder("experiments");
        (s_code, s_output) = SamplesRunner.Run("experiments", "--quick", "--dataset", "subset", "--seeds", Seeds.ToString(CultureInfo.InvariantCulture), "--threads", "2", "--out", s_dir);
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
        // experiments 7-11 draw their plots only when the development suite is there
        foreach (var png in ExperimentsCommand.PlotFiles.Where(p => p.Key <= 6 || Section(p.Key).Contains("](exp", StringComparison.Ordinal)).SelectMany(p => p.Value))
        {
            var bytes = File.ReadAllBytes(Path.Combine(s_dir, png));
            Assert.IsGreaterThan(1000, bytes.Length, png);
            CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4], png);
            StringAssert.Contains(s_report, $"]({png})", "the report embeds " + png);
        }
        Assert.IsEmpty(Directory.GetFiles(s_dir, "*.tmp*"), "no temporary files left behind");
        foreach (int n in ExperimentsCommand.All.Keys)
        {
            StringAssert.Contains(s_report, $"## {n}. ");
            Assert.Contains("**Verdict:**", Section(n), $"experiment {n} has a verdict");
            Assert.Contains("**The seed claims:**", Section(n), $"experiment {n} states the claim");
        }
        // provenance
        StringAssert.Contains(s_report, "experiments --quick --dataset subset --seeds 2");
        StringAssert.Contains(s_report, "Seeds: 1, 2 (2 per experiment");
        StringAssert.Contains(s_report, SeedVerdict.Rule);
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
        for (int seed = 1; seed <= Seeds; seed++) CheckRegularizationSeed(seed);
    }

    private static void CheckRegularizationSeed(int seed)
    {
        var tables = SeedTablesOf(4, seed);
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
        if (seed == 1)   // the verdict's words are seed 1's
        {
        StringAssert.Contains(verdict, $"BN's loss gap is smaller at {lossGap} of {n} batch sizes and its accuracy gap at {accuracyGap} of {n}");
        StringAssert.Contains(verdict, $"BN's final test accuracy is higher at {betterTest} of {n}");
        StringAssert.Contains(verdict, $"BN's test loss is lower at {lowerAtMatch} of {n} batch sizes");
        }

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

    /// <summary>The combined (all-seed) Markdown tables of section <paramref name="n"/>, each a list of rows keyed by header.</summary>
    private static List<List<Dictionary<string, string>>> Tables(int n) =>
        CaptionedTables(n).Where(t => !t.Caption.StartsWith(ExperimentReport.SeedCaptionPrefix, StringComparison.Ordinal)).Select(t => t.Rows).ToList();

    /// <summary>The tables of one seed of section <paramref name="n"/>, in order.</summary>
    private static List<List<Dictionary<string, string>>> SeedTablesOf(int n, int seed) =>
        CaptionedTables(n).Where(t => t.Caption.StartsWith($"{ExperimentReport.SeedCaptionPrefix}{seed}: ", StringComparison.Ordinal)).Select(t => t.Rows).ToList();

    /// <summary>Every Markdown table of section <paramref name="n"/> with its bold caption.</summary>
    private static List<(string Caption, List<Dictionary<string, string>> Rows)> CaptionedTables(int n)
    {
        var tables = new List<(string Caption, List<Dictionary<string, string>> Rows)>();
        string[]? headers = null;
        List<Dictionary<string, string>>? current = null;
        string caption = "";
        foreach (var raw in Section(n).Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith("**", StringComparison.Ordinal) && line.EndsWith("**", StringComparison.Ordinal) && line.Length > 4)
                caption = line[2..^2];
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
                tables.Add((caption, current));
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

    private static readonly System.Text.RegularExpressions.Regex CellNumber = new(@"^([+-]?[0-9][0-9,]*(?:\.([0-9]+))?(e[+-]?[0-9]+)?)");

    [TestMethod]
    [TestCategory("Long")]
    public void EveryCombinedFigureIsTheMeanAndHalfRangeOfTheSeedsOwnTables()
    {
        int checkedCells = 0;
        foreach (int n in ExperimentsCommand.All.Keys)
        {
            if (n >= 7 && !Section(n).Contains("| dataset |", StringComparison.Ordinal)) continue;   // not measured (no development suite)
            var combined = Tables(n);
            var perSeed = Enumerable.Range(1, Seeds).Select(seed => SeedTablesOf(n, seed)).ToList();
            foreach (var seedTables in perSeed) Assert.HasCount(combined.Count, seedTables, $"section {n}: every seed has every table");
            for (int t = 0; t < combined.Count; t++)
                for (int r = 0; r < combined[t].Count; r++)
                    foreach (var (header, cell) in combined[t][r])
                    {
                        var seedCells = perSeed.Select(p => p[t][r][header]).ToList();
                        if (seedCells.Distinct().Count() == 1)
                        {
                            Assert.AreEqual(seedCells[0], cell, $"section {n} table {t} row {r} '{header}': equal in every seed, kept as is");
                            continue;
                        }
                        var matches = seedCells.Select(c => CellNumber.Match(c)).ToList();
                        if (!matches.All(m => m.Success)) continue;   // text that differs between seeds (e.g. "diverged" in one)
                        if (!cell.Contains(" ± ", StringComparison.Ordinal) && cell.Contains(" / ", StringComparison.Ordinal)) continue;   // numbers with different units, listed per seed
                        var values = matches.Select(m => double.Parse(m.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
                        double mean = values.Sum() / values.Length, half = (values.Max() - values.Min()) / 2;
                        var parts = cell.Split(" ± ");
                        Assert.HasCount(2, parts, $"section {n} '{header}': '{cell}' is mean ± spread");
                        double shownMean = Number(parts[0]), shownHalf = Number(parts[1]);
                        bool sci = matches.Any(m => m.Groups[3].Success);
                        int decimals = matches.Max(m => m.Groups[2].Length);
                        double tolerance = sci ? 0.006 * Math.Max(Math.Abs(mean), Math.Abs(half)) + 1e-300 : 0.5 * Math.Pow(10, -Math.Max(decimals, 1)) + 1e-12;
                        Assert.AreEqual(mean, shownMean, tolerance, $"section {n} '{header}' row {r}: mean of {string.Join(", ", seedCells)}");
                        Assert.AreEqual(half, shownHalf, tolerance, $"section {n} '{header}' row {r}: half-range of {string.Join(", ", seedCells)}");
                        checkedCells++;
                    }
        }
        Assert.IsGreaterThan(50, checkedCells, "enough combined cells were recomputed");
    }

    private static readonly System.Text.RegularExpressions.Regex EffectLine = new(
        @"difference in the claim's direction (?<d>[-+0-9.e]+), spread (?<s>[-+0-9.e]+): (?<o>supports the claim|within the seed spread|goes against the claim)");

    [TestMethod]
    [TestCategory("Long")]
    public void EveryVerdictFollowsFromItsPrintedNumbersByTheRule()
    {
        foreach (int n in ExperimentsCommand.All.Keys)
        {
            string section = Section(n);
            int start = section.IndexOf("**Verdict:**", StringComparison.Ordinal);
            string verdict = section[start..section.IndexOf('\n', start)];
            var effects = EffectLine.Matches(verdict);
            if (n >= 7 && effects.Count == 0)
            {
                StringAssert.Contains(verdict, "the claim was not measured", $"section {n} without the development suite says so");
                StringAssert.Contains(verdict, "missing");
                continue;
            }
            Assert.IsNotEmpty(effects, $"section {n} judges its effects");
            int supports = 0, previousEnd = 0;
            foreach (System.Text.RegularExpressions.Match m in effects)
            {
                string name = verdict[previousEnd..m.Index];   // the effect's name and figures, since the previous effect
                previousEnd = m.Index + m.Length;
                double d = double.Parse(m.Groups["d"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
                double sp = double.Parse(m.Groups["s"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
                string o = m.Groups["o"].Value;
                int population = verdict.IndexOf(TestTimeExperiment.PopulationEffect, StringComparison.Ordinal);
                bool noDifferenceClaim = (n == 5 && population >= 0 && m.Index > population)   // "all reach the intended effect": a claim of no difference
                    || (n == 11 && name.Contains("no difference", StringComparison.Ordinal));   // BN alone "like dropout" alone
                string expected = noDifferenceClaim
                    ? (Math.Abs(d) <= sp ? "supports the claim" : "goes against the claim")
                    : d > sp ? "supports the claim" : -d > sp ? "goes against the claim" : "within the seed spread";
                // d and s are printed rounded: only check where rounding cannot flip the comparison
                if (Math.Abs(Math.Abs(d) - sp) > 2e-4 * Math.Max(1, Math.Abs(sp)) || sp == 0) Assert.AreEqual(expected, o, $"section {n}: {m.Value}");
                if (o == "supports the claim") supports++;
            }
            string overall = supports == effects.Count ? "holds" : supports > 0 ? "holds partly" : "does not hold";
            StringAssert.Contains(verdict, $"by the rule below: the claim {overall}.", $"section {n}: {supports} of {effects.Count} effects support the claim");
        }
    }

    [TestMethod]
    [TestCategory("Long")]
    public void TheTabularPartComparesWithBnAndWithoutBnOrSaysWhatIsMissing()
    {
        string section = Section(7);
        if (BnMlNet.Samples.Datasets.DevSuite.FindDirectory(null) is null)
        {
            StringAssert.Contains(section, "Not measured: the development suite is missing.");
            return;
        }
        var table = Tables(7)[0];
        Assert.HasCount(10, table, "the ten datasets of the development suite");
        foreach (var r in table)
        {
            Assert.AreEqual(Number(r["with BN"]) - Number(r["without BN"]), Number(r["with BN − without BN"]), 2e-4, r["dataset"]);
            Assert.IsTrue(Number(r["train rows"]) <= BnMlNet.Samples.Bench.Tabular.TabularRunner.QuickTrainRows, "quick mode subsamples");
            if (r["metric"] is "AUC" or "accuracy")
                foreach (var v in new[] { "with BN", "without BN", "BN after the activation" }) CheckAccuracy(r[v]);
        }
        var stats = Tables(8)[0];
        Assert.HasCount(11, stats, "the development suite and the Fashion-MNIST subset");
        foreach (var r in stats)
            Assert.AreEqual(Number(r["population statistics"]) - Number(r["moving average (default)"]), Number(r["population − moving average"]), 2e-4, r["dataset"]);
    }

    [TestMethod]
    [TestCategory("Long")]
    public void TheTabularLearningRateSweepIsRecomputedFromItsOwnTables()
    {
        if (BnMlNet.Samples.Datasets.DevSuite.FindDirectory(null) is null)
        {
            StringAssert.Contains(Section(9), "Not measured: the development suite is missing.");
            return;
        }
        const double margin = TabularLearningRateExperiment.WorkingMargin, cap = TabularLearningRateExperiment.ShortfallCap;
        for (int seed = 1; seed <= Seeds; seed++)
        {
            var tables = SeedTablesOf(9, seed);
            var sweep = tables[0];
            var summary = tables[1];
            var rates = sweep.Select(r => Number(r["learning rate"])).Distinct().ToList();
            Assert.IsGreaterThanOrEqualTo(4, rates.Count, "at least 4 rates");
            Assert.IsGreaterThanOrEqualTo(999.0, rates.Max() / rates.Min(), "the rates span 3 decades");
            var datasets = sweep.Select(r => r["dataset"]).Distinct().ToList();
            Assert.HasCount(10, datasets, "the ten datasets of the development suite");
            var works = new int[2];
            var meanShortfall = new double[2];
            foreach (string ds in datasets)
            {
                var rows = sweep.Where(r => r["dataset"] == ds).ToList();
                Assert.HasCount(rates.Count, rows, ds);
                foreach (var r in rows)
                    if (r["with BN"] != "n/a" && r["without BN"] != "n/a")
                        Assert.AreEqual(Number(r["with BN"]) - Number(r["without BN"]), Number(r["with BN − without BN"]), 2e-4, ds);
                double best = rows.SelectMany(r => new[] { NumberOrNaN(r["with BN"]), NumberOrNaN(r["without BN"]) }).Where(x => !double.IsNaN(x)).Max();
                var row = summary.Single(r => r["dataset"] == ds);
                Assert.AreEqual(best, Number(row["best"]), 1e-9, $"{ds}: the best of any rate and variant");
                for (int v = 0; v < 2; v++)
                {
                    string variant = v == 0 ? "with BN" : "without BN";
                    var shortfalls = rows.Select(r => NumberOrNaN(r[variant])).Select(m => double.IsNaN(m) ? cap : Math.Min(cap, best - m)).ToList();
                    int surely = shortfalls.Count(x => x <= margin - 1e-4), maybe = shortfalls.Count(x => x <= margin + 1e-4);   // printed 4 decimals
                    int shown = (int)Number(row[$"{variant}: rates that work"]);
                    Assert.IsTrue(shown >= surely && shown <= maybe, $"{ds} {variant}: {shown} rates work; recomputed {surely}-{maybe}");
                    StringAssert.EndsWith(row[$"{variant}: rates that work"], $" of {rates.Count}");
                    double mean = shortfalls.Average();
                    Assert.AreEqual(mean, Number(row[$"{variant}: mean shortfall"]), 2e-4, $"{ds} {variant}: mean shortfall");
                    works[v] += shown;
                    meanShortfall[v] += Number(row[$"{variant}: mean shortfall"]) / datasets.Count;
                }
            }
            var all = summary.Single(r => r["dataset"].StartsWith("all ", StringComparison.Ordinal));
            Assert.AreEqual(works[0], (int)Number(all["with BN: rates that work"]));
            Assert.AreEqual(works[1], (int)Number(all["without BN: rates that work"]));
            Assert.AreEqual(meanShortfall[0], Number(all["with BN: mean shortfall"]), 2e-4);
            Assert.AreEqual(meanShortfall[1], Number(all["without BN: mean shortfall"]), 2e-4);
        }
    }

    [TestMethod]
    [TestCategory("Long")]
    [DataRow(10, new[] { "with BN", "without BN", "input BN only", "hidden BN only", "BN momentum 0.01", "BN momentum 0.3" })]
    [DataRow(11, new[] { "with BN", "without BN", "BN, no dropout", "neither" })]
    public void TheTabularAblationsGroupMeansAreRecomputedFromTheirDatasets(int n, string[] variants)
    {
        if (BnMlNet.Samples.Datasets.DevSuite.FindDirectory(null) is null)
        {
            StringAssert.Contains(Section(n), "Not measured: the development suite is missing.");
            return;
        }
        for (int seed = 1; seed <= Seeds; seed++)
        {
            var tables = SeedTablesOf(n, seed);
            var perDataset = tables[0];
            Assert.IsNotEmpty(perDataset);
            foreach (var r in perDataset)
            {
                Assert.IsLessThan(TabularGroups.SmallRows, Number(r["train rows"]), $"{r["dataset"]}: only small tables");
                if (r["metric"] is "AUC" or "accuracy")
                    foreach (var v in variants) CheckAccuracy(r[v]);
            }
            foreach (var group in tables[1])
            {
                var members = group["datasets"].Split(", ");
                var rows = perDataset.Where(r => members.Contains(r["dataset"])).ToList();
                Assert.HasCount(members.Length, rows, group["group"]);
                foreach (var v in variants)
                    Assert.AreEqual(rows.Average(r => Number(r[v])), Number(group[v]), 1e-4, $"section {n} seed {seed} {group["group"]} {v}: mean over its datasets");
            }
        }
        // the verdict names every effect it judged, one per variant (10) or comparison (11), for the small tables
        string verdict = Section(n)[Section(n).IndexOf("**Verdict:**", StringComparison.Ordinal)..];
        int expected = n == 10 ? variants.Length - 2 : TabularDropoutExperiment.Comparisons.Length;
        Assert.AreEqual(expected, EffectLine.Matches(verdict[..verdict.IndexOf('\n')]).Count, $"section {n}: effects judged");
    }

    private static double NumberOrNaN(string cell) => cell == "n/a" ? double.NaN : Number(cell);

    /// <summary>The number of a cell, or the mean of a combined <c>mean ± spread</c> cell.</summary>
    private static double Number(string cell)
    {
        string first = cell.Split(" ± ")[0].Split(' ')[0];
        Assert.IsTrue(double.TryParse(first.Replace(",", "", StringComparison.Ordinal).TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out double v),
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
    [DataRow("--only", "13")]
    [DataRow("--seeds", "0")]
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
