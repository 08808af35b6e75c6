using BnMlNet.Samples.Datasets;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Samples;

/// <summary>
/// bench tabular --quick on the two shipped tables (always present): its figures against ML.NET's evaluators
/// recomputed here from scratch, its summary against counts recomputed from its own rows.
/// </summary>
[TestClass]
public sealed class TabularBenchTests
{
    private const int Seed = 42, QuickRows = 1000;
    private static string s_dir = "", s_output = "", s_report = "";
    private static int s_code;

    [ClassInitialize]
    public static void RunBench(TestContext _)
    {
        s_dir = SamplesRunner.NewTempFolder("tabular");
        (s_code, s_output) = SamplesRunner.Run("bench", "tabular", "--quick", "--threads", "1", "--seed", "42",
            "--datasets", "anes96_vote,randhie_mdvis", "--out", s_dir);
        if (s_code == 0) s_report = File.ReadAllText(Path.Combine(s_dir, "report.md"));
    }

    [TestMethod]
    public void RunSucceedsAndWritesReportAndPlot()
    {
        Assert.AreEqual(0, s_code, s_output);
        var png = File.ReadAllBytes(Path.Combine(s_dir, "tabular-gap.png"));
        Assert.IsGreaterThan(1000, png.Length);
        CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        StringAssert.Contains(s_report, "bench tabular --quick --threads 1 --seed 42 --datasets anes96_vote,randhie_mdvis");
        StringAssert.Contains(s_report, "Load average:");
        StringAssert.Contains(s_report, $"{Environment.ProcessorCount} logical cores");
        StringAssert.Contains(s_report, "win: gap > +0.005");
        Assert.IsEmpty(Directory.GetFiles(s_dir, "*.tmp*"));
    }

    [TestMethod]
    public void BinaryFiguresMatchMlNetEvaluatorRecomputedIndependently()
    {
        Assert.AreEqual(0, s_code, s_output);
        var ml = new MLContext(Seed);
        var split = ml.Data.TrainTestSplit(ml.Data.LoadFromTextFile<Anes96Row>(RepositoryPaths.DataFile(Anes96.FileName)!, ',', hasHeader: true), 0.2, seed: 42);
        var (train, test) = Featurize(ml, split, Anes96.NumericColumns.ToArray());
        var expected = new Dictionary<string, double>
        {
            ["BN-MLP"] = Auc(new MLContext(Seed).BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options { Seed = Seed, NumberOfThreads = 1 }), train, test),
            ["LightGbm"] = Auc(new MLContext(Seed).BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options { Seed = Seed, NumberOfThreads = 1 }), train, test),
            ["FastTree"] = Auc(new MLContext(Seed).BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options { NumberOfThreads = 1 }), train, test),
            ["SDCA"] = Auc(Normalized(ml => ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options { NumberOfThreads = 1 })), train, test),
        };
        var row = TabularReportParser.Accuracy(s_report).Single(r => r.Dataset == "anes96_vote");
        Assert.AreEqual("AUC", row.Metric);
        Assert.AreEqual(ml.Data.CreateEnumerable<Anes96Row>(split.TrainSet, reuseRowObject: true).Count(), row.TrainRows);
        AssertFigures(expected, row);
    }

    [TestMethod]
    public void RegressionFiguresMatchMlNetEvaluatorRecomputedIndependently()
    {
        Assert.AreEqual(0, s_code, s_output);
        var ml = new MLContext(Seed);
        var split = ml.Data.TrainTestSplit(ml.Data.LoadFromTextFile<RandHieRow>(RepositoryPaths.DataFile(RandHie.FileName)!, ',', hasHeader: true), 0.2, seed: 42);
        var (train, test) = Featurize(ml, split, RandHie.NumericColumns.ToArray());
        double R2(IEstimator<ITransformer> trainer)
        {
            var model = trainer.Fit(train);
            return new MLContext(Seed).Regression.Evaluate(model.Transform(test)).RSquared;
        }
        var expected = new Dictionary<string, double>
        {
            ["BN-MLP"] = R2(new MLContext(Seed).Regression.Trainers.BatchNormMlp(new BatchNormMlpRegressionTrainer.Options { Seed = Seed, NumberOfThreads = 1 })),
            ["LightGbm"] = R2(new MLContext(Seed).Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options { Seed = Seed, NumberOfThreads = 1 })),
            ["FastTree"] = R2(new MLContext(Seed).Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options { NumberOfThreads = 1 })),
            ["SDCA"] = R2(Normalized(ml => ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options { NumberOfThreads = 1 }))),
        };
        var row = TabularReportParser.Accuracy(s_report).Single(r => r.Dataset == "randhie_mdvis");
        Assert.AreEqual("R²", row.Metric);
        Assert.AreEqual(QuickRows, row.TrainRows, "quick mode keeps the first 1,000 training rows");
        AssertFigures(expected, row);
    }

    [TestMethod]
    public void SummaryMatchesCountsRecomputedFromTheRows()
    {
        Assert.AreEqual(0, s_code, s_output);
        var accuracy = TabularReportParser.Accuracy(s_report);
        var times = TabularReportParser.Times(s_report);
        Assert.HasCount(2, accuracy);
        var gaps = new List<double>();
        var ratios = new List<double>();
        foreach (var a in accuracy)
        {
            double gap = Math.Round(a.BnMlp - Math.Max(a.LightGbm, a.FastTree), 4);
            Assert.AreEqual(gap, a.Gap, 1e-9, a.Dataset);
            Assert.AreEqual(gap > 0.005 ? "win" : gap < -0.005 ? "loss" : "close", a.Verdict, a.Dataset);
            Assert.AreEqual(a.BnMlp < a.Sdca ? "yes" : "no", a.BelowSdca, a.Dataset);
            var t = times.Single(x => x.Dataset == a.Dataset);
            double ratio = Math.Round(Math.Max(t.BnMlp, 0.5) / Math.Max(t.LightGbm, 0.5), 2);
            Assert.AreEqual(ratio, t.Ratio, 1e-9, a.Dataset);
            gaps.Add(gap);
            ratios.Add(ratio);
        }
        var s = TabularReportParser.Summary(s_report).Single();
        Assert.AreEqual("other real datasets", s.Group);
        Assert.AreEqual(2, s.Datasets);
        Assert.AreEqual(gaps.Count(g => g > 0.005), s.Wins);
        Assert.AreEqual(gaps.Count(g => Math.Abs(g) <= 0.005), s.Close);
        Assert.AreEqual(gaps.Count(g => g < -0.005), s.Losses);
        Assert.AreEqual(gaps.Count(g => g > 0), s.Ahead);
        Assert.AreEqual(accuracy.Count(a => a.BnMlp < a.Sdca), s.BelowSdca);
        Assert.AreEqual(gaps.Count(g => g < -0.05), s.LostBig);
        Assert.AreEqual(gaps.Average(), s.MedianGap, 0.00006, "median of two = their mean");
        Assert.AreEqual(ratios.Average(), s.MedianRatio, 0.0006);
        Assert.AreEqual(ratios.Max(), s.MaxRatio, 1e-9);
        StringAssert.Contains(s_output, $"summary other real datasets: 2 datasets; against the better tree {s.Wins} wins, {s.Close} close calls, {s.Losses} losses");
    }

    [TestMethod]
    public void BnMlpScoresWhatOnlyAWorkingModelCan()
    {
        Assert.AreEqual(0, s_code, s_output);
        var row = TabularReportParser.Accuracy(s_report).Single(r => r.Dataset == "anes96_vote");
        // A constant or random scorer gets AUC 0.5; a model that learned the vote gets well above 0.9 (0.96 measured).
        Assert.IsGreaterThan(0.9, row.BnMlp, "BN-MLP AUC on anes96_vote");
        Assert.IsGreaterThan(0.0, TabularReportParser.Accuracy(s_report).Single(r => r.Dataset == "randhie_mdvis").BnMlp,
            "BN-MLP R² on randhie_mdvis must beat predicting the mean");
    }

    [TestMethod]
    public void AblationsTrainTheBnMlpWithTheirEditAndCountEachVariant()
    {
        string dir = SamplesRunner.NewTempFolder("tabular-ablate");
        var (code, output) = SamplesRunner.Run("bench", "tabular", "--quick", "--threads", "1", "--ablate", "--datasets", "anes96_vote", "--out", dir);
        Assert.AreEqual(0, code, output);
        string report = File.ReadAllText(Path.Combine(dir, "report.md"));
        string section = TabularReportParser.Section(report, "Ablation");
        var names = BnMlNet.Samples.Bench.Tabular.Ablations.All.Select(a => a.Name).ToList();
        StringAssert.Contains(section, "| dataset | metric | defaults | " + string.Join(" | ", names) + " |");

        // "no input BN", recomputed here with InputBatchNorm = false, must be the figure in its column.
        var ml = new MLContext(Seed);
        var split = ml.Data.TrainTestSplit(ml.Data.LoadFromTextFile<Anes96Row>(RepositoryPaths.DataFile(Anes96.FileName)!, ',', hasHeader: true), 0.2, seed: 42);
        var (train, test) = Featurize(ml, split, Anes96.NumericColumns.ToArray());
        double noInputBn = Math.Round(Auc(new MLContext(Seed).BinaryClassification.Trainers.BatchNormMlp(
            new BatchNormMlpBinaryTrainer.Options { Seed = Seed, NumberOfThreads = 1, InputBatchNorm = false }), train, test), 4);
        var defaults = TabularReportParser.Accuracy(report).Single().BnMlp;
        var cells = section.Split('\n').Single(l => l.StartsWith("| anes96_vote |", StringComparison.Ordinal)).Split('|').Select(c => c.Trim()).ToArray();
        Assert.AreEqual(defaults, TabularReportParser.Number(cells[3]), 1e-9, "defaults column");
        var noInputBnCell = cells[4 + names.IndexOf("no input BN")];
        Assert.AreEqual(noInputBn, TabularReportParser.Number(noInputBnCell.Split(' ')[0]), 1e-9, noInputBnCell);
        Assert.AreNotEqual(defaults, noInputBn, "turning input BN off changes the model");

        var variants = TabularReportParser.Summary(report, "Ablation");
        var binaryNames = BnMlNet.Samples.Bench.Tabular.Ablations.All.Where(a => a.AppliesTo(BnMlNet.Samples.Csv.MlTask.Binary)).Select(a => a.Name);
        CollectionAssert.AreEqual(new[] { "defaults" }.Concat(binaryNames).ToArray(), variants.Select(v => v.Variant).ToArray());
        Assert.AreEqual("–", cells[4 + names.IndexOf("no label standardization")], "a regression-only piece has no figure on a binary table");
        Assert.IsTrue(variants.All(v => v.Datasets == 1));
    }

    private static (IDataView Train, IDataView Test) Featurize(MLContext ml, DataOperationsCatalog.TrainTestData split, string[] numeric)
    {
        var train = ml.Data.TakeRows(split.TrainSet, QuickRows);
        var test = ml.Data.TakeRows(split.TestSet, QuickRows);
        var featurizer = ml.Transforms.ReplaceMissingValues(numeric.Select(c => new InputOutputColumnPair(c, c)).ToArray(), MissingValueReplacingEstimator.ReplacementMode.Mean)
            .Append(ml.Transforms.Concatenate("Features", numeric)).Fit(train);
        // Cached, as the bench caches: SDCA shuffles only data that can be shuffled, so an uncached view trains another model.
        return (ml.Data.Cache(featurizer.Transform(train)), ml.Data.Cache(featurizer.Transform(test)));
    }

    private static double Auc(IEstimator<ITransformer> trainer, IDataView train, IDataView test)
    {
        var model = trainer.Fit(train);
        return new MLContext(Seed).BinaryClassification.Evaluate(model.Transform(test)).AreaUnderRocCurve;
    }

    private static void AssertFigures(Dictionary<string, double> expected, TabularReportParser.AccuracyRow row)
    {
        Assert.AreEqual(Math.Round(expected["BN-MLP"], 4), row.BnMlp, 1e-9, "BN-MLP");
        Assert.AreEqual(Math.Round(expected["LightGbm"], 4), row.LightGbm, 1e-9, "LightGbm");
        Assert.AreEqual(Math.Round(expected["FastTree"], 4), row.FastTree, 1e-9, "FastTree");
        Assert.AreEqual(Math.Round(expected["SDCA"], 4), row.Sdca, 1e-9, "SDCA");
    }

    /// <summary>SDCA with mean/variance normalization in front, from one fresh context.</summary>
    private static IEstimator<ITransformer> Normalized<T>(Func<MLContext, IEstimator<T>> trainer) where T : class, ITransformer
    {
        var ml = new MLContext(Seed);
        return ml.Transforms.NormalizeMeanVariance("Features").Append(trainer(ml));
    }
}
