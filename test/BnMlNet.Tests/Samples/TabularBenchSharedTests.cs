using BnMlNet.Samples.Datasets;
using BnMlNet.Tests.Datasets;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Samples;

/// <summary>
/// bench tabular --quick on a real development-suite table with missing values and text columns (slid_logwage),
/// against the same figures recomputed here with a loader, featurization and evaluator of the test's own.
/// Skips when ../shared is absent (fails with BNMLNET_REQUIRE_DATASETS=1).
/// </summary>
[TestClass]
public sealed class TabularBenchSharedTests
{
    private const int Seed = 42, QuickRows = 1000;

    [TestMethod]
    public void DevSuiteRegressionFiguresMatchMlNetEvaluatorRecomputedIndependently()
    {
        string suite = DatasetGuard.Require(DevSuite.FindDirectory(), "development suite (../shared/datasets/tabular/manifest.tsv)");
        string dir = SamplesRunner.NewTempFolder("tabular-slid");
        var (code, output) = SamplesRunner.Run("bench", "tabular", "--quick", "--threads", "1", "--datasets", "slid_logwage", "--out", dir);
        Assert.AreEqual(0, code, output);
        var row = TabularReportParser.Accuracy(File.ReadAllText(Path.Combine(dir, "report.md"))).Single();
        Assert.AreEqual(("slid_logwage", "R²", 2), (row.Dataset, row.Metric, row.OneHotBlocks));

        // Header: "Label","education","age","sex","language"; education has empty fields.
        var ml = new MLContext(Seed);
        var loader = ml.Data.CreateTextLoader(new TextLoader.Options
        {
            Separators = [','], HasHeader = true, AllowQuoting = true, MissingRealsAsNaNs = true,
            Columns =
            [
                new("Label", DataKind.Single, 0), new("education", DataKind.Single, 1), new("age", DataKind.Single, 2),
                new("sex", DataKind.String, 3), new("language", DataKind.String, 4),
            ],
        });
        var train = ml.Data.TakeRows(loader.Load(Path.Combine(suite, "slid_logwage.train.csv")), QuickRows);
        var test = ml.Data.TakeRows(loader.Load(Path.Combine(suite, "slid_logwage.test.csv")), QuickRows);
        Assert.IsTrue(train.GetColumn<float>("education").Any(float.IsNaN), "the table has missing values, so imputation is exercised");
        var featurizer = ml.Transforms.ReplaceMissingValues([new("education"), new("age")], MissingValueReplacingEstimator.ReplacementMode.Mean)
            .Append(ml.Transforms.Categorical.OneHotEncoding([new("sex"), new("language")]))
            .Append(ml.Transforms.Concatenate("Features", "education", "age", "sex", "language")).Fit(train);
        var featuredTrain = ml.Data.Cache(featurizer.Transform(train));
        var featuredTest = ml.Data.Cache(featurizer.Transform(test));
        double R2(IEstimator<ITransformer> trainer) =>
            new MLContext(Seed).Regression.Evaluate(trainer.Fit(featuredTrain).Transform(featuredTest)).RSquared;

        Assert.AreEqual(Math.Round(R2(new MLContext(Seed).Regression.Trainers.BatchNormMlp(new BatchNormMlpRegressionTrainer.Options { Seed = Seed, NumberOfThreads = 1 })), 4), row.BnMlp, 1e-9, "BN-MLP");
        Assert.AreEqual(Math.Round(R2(new MLContext(Seed).Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options { Seed = Seed, NumberOfThreads = 1 })), 4), row.LightGbm, 1e-9, "LightGbm");
        Assert.AreEqual(Math.Round(R2(new MLContext(Seed).Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options { NumberOfThreads = 1 })), 4), row.FastTree, 1e-9, "FastTree");
        Assert.AreEqual(Math.Round(R2(Normalized(ml => ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options { NumberOfThreads = 1 }))), 4), row.Sdca, 1e-9, "SDCA");
        // Predicting the training mean gives R² ≈ 0; the BN-MLP learned the wage from education and age (0.26 measured).
        Assert.IsGreaterThan(0.15, row.BnMlp, "BN-MLP R² on slid_logwage");
    }

    /// <summary>SDCA with mean/variance normalization in front, from one fresh context.</summary>
    private static IEstimator<ITransformer> Normalized<T>(Func<MLContext, IEstimator<T>> trainer) where T : class, ITransformer
    {
        var ml = new MLContext(Seed);
        return ml.Transforms.NormalizeMeanVariance("Features").Append(trainer(ml));
    }
}
