using BnMlNet.Samples.Bench.Tabular;
using BnMlNet.Samples.Csv;

namespace BnMlNet.Tests.Samples;

/// <summary>
/// The ablation list's BN and small-table pieces, results.csv read back, and <c>bench ablation-summary</c>'s figures
/// against values worked out by hand from two small made-up runs.
/// </summary>
[TestClass]
public sealed class AblationSummaryTests
{
    [TestMethod]
    public void BnAndSmallTablePiecesEditTheirOptionAndNamesAreUnique()
    {
        BatchNormMlpBinaryTrainer.Options Edited(string name)
        {
            var o = new BatchNormMlpBinaryTrainer.Options();
            Ablations.All.Single(a => a.Name == name).Edit(o);
            return o;
        }
        var defaults = new BatchNormMlpBinaryTrainer.Options();
        CollectionAssert.AreEqual(new[] { 0 }, Edited("BN first layer only").BatchNormLayers);
        Assert.AreEqual(BatchNormHiddenLayers.Every, Edited("BN on every hidden layer").BatchNormHiddenLayers);
        Assert.IsNull(Edited("BN on every hidden layer").BatchNormLayers, "no list: the automatic layers, now every one");
        Assert.IsFalse(Ablations.All.Any(a => a.Name == "BN last layer only"), "the last layer only is the default since round 12");
        Assert.AreEqual(0.01f, Edited("BN momentum 0.01").BatchNormMomentum);
        Assert.AreEqual(0.3f, Edited("BN momentum 0.3").BatchNormMomentum);
        var gamma = Edited("γ decay 0.01");
        Assert.AreEqual(0.01f, gamma.BatchNormGammaWeightDecay);
        Assert.AreEqual(OptimizerKind.AdamW, gamma.Optimizer, "decoupled decay (AdamW), which with WeightDecay 0 leaves the dense weights as Adam does");
        Assert.AreEqual(0f, gamma.WeightDecay);
        Assert.AreEqual(1, Edited("no ensemble").EnsembleSize);
        Assert.IsNull(Edited("no ensemble").RefitOnAllRows, "the refit stays automatic");
        Assert.IsFalse(Edited("no refit").RefitOnAllRows);
        Assert.IsNull(Edited("no refit").EnsembleSize, "the ensemble stays automatic");
        Assert.AreNotEqual(0.01f, defaults.BatchNormMomentum);
        Assert.IsNull(defaults.BatchNormLayers, "no list by default");
        Assert.AreEqual(BatchNormHiddenLayers.Last, defaults.BatchNormHiddenLayers,
            "by default only the last hidden layer has BN (round 12), so \"BN on every hidden layer\" and \"BN first layer only\" change the model");

        var names = Ablations.All.Concat(Ablations.Candidates).Select(a => a.Name).ToList();
        Assert.HasCount(names.Count, names.Distinct().ToList(), "--ablations picks by name, so no two may share one");
        Assert.IsFalse(names.Any(n => n.Contains(',', StringComparison.Ordinal)), "--ablations splits on commas");
    }

    [TestMethod]
    public void ResultsCsvReadsBackWhatWasWritten()
    {
        var results = RunOne(first: true);
        string dir = SamplesRunner.NewTempFolder("results-csv");
        string path = Path.Combine(dir, TabularResultsCsv.FileName);
        File.WriteAllText(path, TabularResultsCsv.Write(7, results));
        var (seed, back) = TabularResultsCsv.Read(path);
        Assert.AreEqual(7, seed);
        Assert.HasCount(results.Count, back);
        for (int i = 0; i < results.Count; i++)
        {
            static object Row(DatasetResult r) => (r.Dataset, r.Group, r.Task, r.TrainRows, r.TestRows, r.Features, r.CategoricalBlocks);
            Assert.AreEqual(Row(results[i]), Row(back[i]));
            CollectionAssert.AreEqual(results[i].Scores.ToList(), back[i].Scores.ToList());
            CollectionAssert.AreEqual(results[i].AblationScores.ToList(), back[i].AblationScores.ToList());
        }
        Assert.IsTrue(double.IsNaN(back[1].AblationScores.Single(s => s.Trainer == "nan").Metric), "a missing metric stays NaN");

        File.WriteAllText(path, "dataset,metric\nA,0.5\n");
        var e = Assert.ThrowsExactly<InvalidDataException>(() => TabularResultsCsv.Read(path));
        StringAssert.Contains(e.Message, path);
    }

    [TestMethod]
    public void SummaryMatchesFiguresWorkedOutByHand()
    {
        var summary = AblationSummary.Compute([(1, RunOne(first: true)), (2, RunOne(first: false))]);
        CollectionAssert.AreEqual(new[] { 1, 2 }, summary.Seeds.ToArray());
        CollectionAssert.AreEqual(new[] { "A", "B" }, summary.Datasets.ToArray());
        CollectionAssert.AreEqual(new[] { "x", "onlyA" }, summary.Effects.Select(e => e.Name).ToArray(), "'nan' is in one run only");

        var x = summary.Effects[0];
        Assert.AreEqual(2, x.Tables);
        // changes: A −0.01, −0.02 (mean −0.015, worse); B −0.02, +0.012 (mean −0.004, neither).
        Assert.AreEqual(-0.0095, x.MeanChange, 1e-12);
        Assert.AreEqual(-0.015, summary.TableChanges[("A", "x")], 1e-12);
        Assert.AreEqual(-0.004, summary.TableChanges[("B", "x")], 1e-12);
        Assert.AreEqual(0, x.Better);
        Assert.AreEqual(1, x.Worse);
        CollectionAssert.AreEqual(new[] { 1, 0 }, x.BelowSdca.ToArray(), "seed 1: B 0.48 < SDCA 0.49");
        CollectionAssert.AreEqual(new[] { 0, 0 }, x.DefaultBelowSdca.ToArray());
        CollectionAssert.AreEqual(new[] { 1, 1 }, x.Losses.ToArray(), "A: 0.79 and 0.80 against LightGbm's 0.81");
        CollectionAssert.AreEqual(new[] { 1, 0 }, x.DefaultLosses.ToArray(), "A: 0.80 loses, 0.82 wins");
        Assert.AreEqual(1.25, x.SecondsRatio[0], 1e-12, "(2 + 3) / (1 + 3)");
        Assert.AreEqual(1.0, x.SecondsRatio[1], 1e-12);
        Assert.AreEqual(1.0, x.MedianTableSecondsRatio, 1e-12, "median of 2, 1, 1, 1");

        var onlyA = summary.Effects[1];
        Assert.AreEqual(1, onlyA.Tables);
        Assert.IsFalse(summary.TableChanges.ContainsKey(("B", "onlyA")));
        Assert.AreEqual(0.01, onlyA.MeanChange, 1e-12, "A: +0.01 in both runs");
        Assert.AreEqual(1, onlyA.Better);

        Assert.ThrowsExactly<ArgumentException>(() => AblationSummary.Compute([(1, RunOne(true)), (1, RunOne(false))]));
    }

    [TestMethod]
    public void CommandWritesTheSummaryAndItsPlotAndNamesAFolderWithoutResults()
    {
        string a = SamplesRunner.NewTempFolder("abl-run1"), b = SamplesRunner.NewTempFolder("abl-run2"), outDir = SamplesRunner.NewTempFolder("abl-sum");
        File.WriteAllText(Path.Combine(a, TabularResultsCsv.FileName), TabularResultsCsv.Write(1, RunOne(true)));
        File.WriteAllText(Path.Combine(b, TabularResultsCsv.FileName), TabularResultsCsv.Write(2, RunOne(false)));
        var (code, output) = SamplesRunner.Run("bench", "ablation-summary", "--runs", $"{a},{b}", "--out", outDir);
        Assert.AreEqual(0, code, output);
        string md = File.ReadAllText(Path.Combine(outDir, AblationSummaryReport.FileName));
        StringAssert.Contains(md, "| x | 2 | -0.0095 | 0 | 1 | 1 / 0 | 0 / 0 | 1 / 1 | 1 / 0 | 1.25 / 1.00 | 1.00 |");
        StringAssert.Contains(md, "| A | -0.0150 | +0.0100 |");
        StringAssert.Contains(md, "| B | -0.0040 | – |");
        var png = File.ReadAllBytes(Path.Combine(outDir, AblationSummaryReport.PlotFileName));
        CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);

        string empty = SamplesRunner.NewTempFolder("abl-empty");
        (code, output) = SamplesRunner.Run("bench", "ablation-summary", "--runs", $"{a},{empty}", "--out", outDir, "--force");
        Assert.AreNotEqual(0, code);
        StringAssert.Contains(output, empty);
        StringAssert.Contains(output, "results.csv");
    }

    private static List<DatasetResult> RunOne(bool first)
    {
        static TrainerScore S(string name, double metric, double seconds) => new(name, metric, seconds);
        List<TrainerScore> Trees(double bn, double seconds) =>
            [S(TabularTrainers.BnMlp, bn, seconds), S(TabularTrainers.LightGbm, 0.81, 0.5), S(TabularTrainers.FastTree, 0.79, 0.5), S(TabularTrainers.Sdca, 0.78, 0.5)];
        var a = new DatasetResult("A", "g", MlTask.Binary, 100, 20, 5, 1, Trees(first ? 0.80 : 0.82, 1.0),
            [S("x", first ? 0.79 : 0.80, first ? 2.0 : 1.0), S("onlyA", first ? 0.81 : 0.83, 1.0)]);
        List<TrainerScore> treesB = [S(TabularTrainers.BnMlp, 0.50, first ? 3.0 : 1.0), S(TabularTrainers.LightGbm, 0.45, 0.5),
            S(TabularTrainers.FastTree, 0.44, 0.5), S(TabularTrainers.Sdca, 0.49, 0.5)];
        List<TrainerScore> ablatedB = [S("x", first ? 0.48 : 0.512, first ? 3.0 : 1.0)];
        if (first) ablatedB.Add(S("nan", double.NaN, 0.1));
        var b = new DatasetResult("B", "g", MlTask.Regression, 200, 40, 6, 0, treesB, ablatedB);
        return [a, b];
    }
}
