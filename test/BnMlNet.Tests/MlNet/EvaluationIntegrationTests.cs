using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.MlNet;

/// <summary>CrossValidate, permutation feature importance, logging and cancellation, as with a built-in trainer.</summary>
[TestClass]
public sealed class EvaluationIntegrationTests
{
    private static (MLContext Ml, IDataView Data) Featurized(SyntheticData.Task task, int rows = 600)
    {
        var ml = new MLContext(seed: 1);
        var raw = ml.Data.LoadFromEnumerable(SyntheticData.Rows(rows, 1));
        IEstimator<ITransformer> label = task switch
        {
            SyntheticData.Task.Binary => ml.Transforms.CopyColumns("Label", nameof(RawRow.IsPositive)),
            SyntheticData.Task.Multiclass => ml.Transforms.Conversion.MapValueToKey("Label", nameof(RawRow.Class)),
            _ => ml.Transforms.CopyColumns("Label", nameof(RawRow.Target)),
        };
        var pipeline = label.Append(SyntheticData.Featurize(ml));
        return (ml, ml.Data.Cache(pipeline.Fit(raw).Transform(raw)));
    }

    [TestMethod]
    public void CrossValidateWorksForAllThreeTasks()
    {
        var (ml, binary) = Featurized(SyntheticData.Task.Binary);
        var b = ml.BinaryClassification.CrossValidate(binary, ml.BinaryClassification.Trainers.BatchNormMlp(numberOfEpochs: 5), numberOfFolds: 3);
        Assert.HasCount(3, b);
        Assert.IsTrue(b.All(f => f.Metrics.AreaUnderRocCurve > 0.9), string.Join(", ", b.Select(f => f.Metrics.AreaUnderRocCurve)));

        var (ml2, multi) = Featurized(SyntheticData.Task.Multiclass);
        var m = ml2.MulticlassClassification.CrossValidate(multi, ml2.MulticlassClassification.Trainers.BatchNormMlp(numberOfEpochs: 5), numberOfFolds: 3);
        Assert.IsTrue(m.All(f => f.Metrics.MicroAccuracy > 0.7));

        var (ml3, reg) = Featurized(SyntheticData.Task.Regression);
        var r = ml3.Regression.CrossValidate(reg, ml3.Regression.Trainers.BatchNormMlp(numberOfEpochs: 20), numberOfFolds: 3);
        Assert.IsTrue(r.All(f => f.Metrics.RSquared > 0.6), string.Join(", ", r.Select(f => f.Metrics.RSquared)));
    }

    [TestMethod]
    public void PermutationFeatureImportanceRanksTheInformativeFeature()
    {
        // Features = [red, green, blue one-hot, X1, X2]; the binary label depends on X1 most, then X2, then color.
        var (ml, data) = Featurized(SyntheticData.Task.Binary, rows: 800);
        var model = ml.BinaryClassification.Trainers.BatchNormMlp(numberOfEpochs: 10).Fit(data);
        var generic = ml.BinaryClassification.PermutationFeatureImportance(model, data, permutationCount: 1);
        Assert.HasCount(5, generic);
        double dropX1 = generic[3].AreaUnderRocCurve.Mean, dropX2 = generic[4].AreaUnderRocCurve.Mean;
        Assert.IsLessThan(-0.05, dropX1, "permuting X1 must hurt AUC");
        Assert.IsLessThan(dropX2 + 1e-9, dropX1, "X1 matters more than X2");

        // The non-generic overload (for non-calibrated binary models, like FastTree's), on a whole chain.
        var chain = ml.Transforms.CopyColumns("Copy", "X1").Append(ml.BinaryClassification.Trainers.BatchNormMlp(numberOfEpochs: 5)).Fit(data);
        var byName = ml.BinaryClassification.PermutationFeatureImportanceNonCalibrated(chain, data, permutationCount: 1);
        Assert.HasCount(5, byName);
        Assert.IsTrue(byName.Values.Min(m => m.AreaUnderRocCurve.Mean) < -0.05);
    }

    [TestMethod]
    public void PermutationFeatureImportanceForMulticlassAndRegression()
    {
        var (ml, multi) = Featurized(SyntheticData.Task.Multiclass);
        var mm = ml.MulticlassClassification.Trainers.BatchNormMlp(numberOfEpochs: 5).Fit(multi);
        var m = ml.MulticlassClassification.PermutationFeatureImportance(mm, multi, permutationCount: 1);
        Assert.HasCount(5, m);
        Assert.IsLessThan(-0.05, m[3].MicroAccuracy.Mean);

        var (ml2, reg) = Featurized(SyntheticData.Task.Regression);
        var rm = ml2.Regression.Trainers.BatchNormMlp(numberOfEpochs: 10).Fit(reg);
        var r = ml2.Regression.PermutationFeatureImportance(rm, reg, permutationCount: 1);
        Assert.HasCount(5, r);
        Assert.IsLessThan(-0.1, r[3].RSquared.Mean);

        var chain = ml2.Transforms.CopyColumns("Copy", "X1").Append(ml2.Regression.Trainers.BatchNormMlp(numberOfEpochs: 10)).Fit(reg);
        Assert.HasCount(5, ml2.Regression.PermutationFeatureImportance(chain, reg, permutationCount: 1));
        var multiChain = ml.Transforms.CopyColumns("Copy", "X1").Append(ml.MulticlassClassification.Trainers.BatchNormMlp(numberOfEpochs: 5)).Fit(multi);
        Assert.HasCount(5, ml.MulticlassClassification.PermutationFeatureImportance(multiChain, multi, permutationCount: 1));
    }

    [TestMethod]
    public void EachEpochIsLoggedThroughMlContextLog()
    {
        var (ml, data) = Featurized(SyntheticData.Task.Binary);
        var lines = new List<string>();
        ml.Log += (_, e) => { lock (lines) lines.Add(e.Message); };
        var model = ml.BinaryClassification.Trainers.BatchNormMlp(numberOfEpochs: 4).Fit(data);
        var epochLines = lines.Where(l => l.Contains("Epoch ") && l.Contains("train loss")).ToArray();
        string shown = string.Join("\n", lines.Where(l => l.Contains("BatchNormMlp") || l.Contains("Epoch")));
        // 600 synthetic rows are a small table: the defaults refit on all rows after the hold-out's 4 epochs, and log it.
        Assert.HasCount(4, epochLines.Where(l => !l.Contains("Refit Epoch ", StringComparison.Ordinal)).ToArray(), shown);
        Assert.HasCount(model.Model.TrainingHistory.Count, epochLines.Where(l => l.Contains("Refit Epoch ", StringComparison.Ordinal)).ToArray(), shown);
    }

    [TestMethod]
    [DataRow(0f, 35, 4)]     // 300 rows at batch 32: 9 full batches and one of 12, 10 steps an epoch; ⌈35 / 10⌉ = 4
    [DataRow(0.2f, 20, 3)]   // 240 rows trained on (60 held out): 7 full batches and one of 16, 8 steps; ⌈20 / 8⌉ = 3
    [DataRow(0f, 10_000, 6)] // a budget above NumberOfEpochs' steps: NumberOfEpochs
    public void EachEpochLineCountsThePlannedEpochsWhenAStepBudgetCapsThem(float validationFraction, int budget, int planned)
    {
        var (ml, data) = Featurized(SyntheticData.Task.Binary, rows: 300);
        var lines = new List<string>();
        ml.Log += (_, e) => { lock (lines) lines.Add(e.Message); };
        var model = ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options
        {
            NumberOfEpochs = 6, StepBudget = budget, BatchSize = 32, ValidationFraction = validationFraction, EarlyStoppingPatience = 0, Seed = 1,
            EnsembleSize = 1, RefitOnAllRows = false,   // one fit, so one line per planned epoch
        }).Fit(data);
        var epochLines = lines.Where(l => l.Contains("Epoch ") && l.Contains("train loss")).ToArray();
        string shown = string.Join("\n", epochLines);
        Assert.HasCount(planned, model.Model.TrainingHistory, "the run trained the planned epochs");
        Assert.HasCount(planned, epochLines, shown);
        for (int e = 1; e <= planned; e++)
            Assert.IsTrue(epochLines[e - 1].Contains($"Epoch {e}/{planned}: train loss"), $"line {e} counts the {planned} planned epochs:\n{shown}");
    }

    [TestMethod]
    public void ValidationSetIsReportedEachEpoch()
    {
        var (ml, data) = Featurized(SyntheticData.Task.Binary);
        var split = ml.Data.TrainTestSplit(data, 0.25, seed: 1);
        var lines = new List<string>();
        ml.Log += (_, e) => { lock (lines) lines.Add(e.Message); };
        var model = ml.BinaryClassification.Trainers.BatchNormMlp(numberOfEpochs: 3).Fit(split.TrainSet, split.TestSet);
        Assert.HasCount(3, lines.Where(l => l.Contains("validation loss")).ToArray());
        Assert.IsTrue(model.Model.TrainingHistory.All(h => h.ValidationLoss is not null && h.ValidationMetric is > 0.5));
    }

    [TestMethod]
    public void CancelExecutionStopsTraining()
    {
        var (ml, data) = Featurized(SyntheticData.Task.Binary);
        using var cancellation = new CancellationTokenSource();
        int epochsSeen = 0;
        ml.Log += (_, e) => { if (e.Message.Contains("train loss") && Interlocked.Increment(ref epochsSeen) == 2) cancellation.Cancel(); };
        var trainer = ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options
        {
            NumberOfEpochs = 2000, CancellationToken = cancellation.Token,
        });
        Assert.Throws<OperationCanceledException>(() => trainer.Fit(data));
        Assert.IsLessThan(10, epochsSeen, "training stopped soon after the cancellation");
    }
}
