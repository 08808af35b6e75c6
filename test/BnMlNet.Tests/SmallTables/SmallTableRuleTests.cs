using System.Diagnostics;
using BnMlNet.Engine;
using BnMlNet.MlNet.Trainers;
using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Recipe;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Tests.SmallTables;

/// <summary>
/// The small-table rule behind <see cref="BatchNormMlpOptionsBase.EnsembleSize"/> = null and
/// <see cref="BatchNormMlpOptionsBase.RefitOnAllRows"/> = null (the automatic modes, candidate defaults of round 8): <see cref="SmallTableRule.Members"/>
/// members and the refit up to <see cref="SmallTableRule.MaximumMemberWork"/> rows × multiply-adds per row, else 1 member
/// and no refit (the single network, bit for bit); an explicit value always wins. With both on, the model goes through
/// CrossValidate, permutation feature importance and a fresh-process round trip.
/// </summary>
[TestClass]
public sealed class SmallTableRuleTests
{
    [TestMethod]
    public void TheRuleGivesTheMembersUpToTheWorkLimitAndOneAbove()
    {
        var member = new NetworkSpec(13, [128, 64], 1);
        long perRow = 13 * 128 + 128 * 64 + 64;
        Assert.AreEqual(410 * perRow, SmallTableRule.MemberWork(member, 410));
        Assert.AreEqual(SmallTableRule.MemberWork(member, 410), SmallTableRule.MemberWork(member with { EnsembleSize = 7 }, 410), "one member's work");
        long lastRows = SmallTableRule.MaximumMemberWork / perRow;
        Assert.AreEqual(SmallTableRule.Members, SmallTableRule.EnsembleSize(member, lastRows));
        Assert.AreEqual(1, SmallTableRule.EnsembleSize(member, lastRows + 1));
        Assert.AreEqual(1, SmallTableRule.EnsembleSize(member, 0), "no rows known: one member");
    }

    [TestMethod]
    public void TheRefitIsAutomaticOnlyWhenRefitOnAllRowsIsNull()
    {
        var first = new BnMlNet.Engine.TrainingResult(null!, [], 7) { HeldOutValidation = true };
        foreach (bool small in new[] { false, true })
        {
            Assert.AreEqual(small, RefitOnAllRows.Applies(new BatchNormMlpBinaryTrainer.Options { RefitOnAllRows = null }, small, false, first));
            Assert.IsTrue(RefitOnAllRows.Applies(new BatchNormMlpBinaryTrainer.Options { RefitOnAllRows = true }, small, false, first));
            Assert.IsFalse(RefitOnAllRows.Applies(new BatchNormMlpBinaryTrainer.Options { RefitOnAllRows = false }, small, false, first));
            Assert.IsFalse(RefitOnAllRows.Applies(new BatchNormMlpBinaryTrainer.Options { RefitOnAllRows = true }, small, true, first), "an explicit validation set");
            Assert.IsFalse(RefitOnAllRows.Applies(new BatchNormMlpBinaryTrainer.Options { RefitOnAllRows = true }, small, false, first with { HeldOutValidation = false }), "no hold-out");
        }
    }

    [TestMethod]
    public void TheNetworkTakesTheAutomaticSizeOnlyWhenEnsembleSizeIsNull()
    {
        var auto = new BatchNormMlpRegressionTrainer.Options { EnsembleSize = null };
        Assert.AreEqual(SmallTableRule.Members, EngineSettings.Network(auto, 13, 1, rowsTrainedOn: 328).EnsembleSize);
        Assert.AreEqual(1, EngineSettings.Network(auto, 13, 1, rowsTrainedOn: 34522).EnsembleSize);
        var three = new BatchNormMlpRegressionTrainer.Options { EnsembleSize = 3 };
        Assert.AreEqual(3, EngineSettings.Network(three, 13, 1, rowsTrainedOn: 34522).EnsembleSize, "an explicit size wins");
        var one = new BatchNormMlpRegressionTrainer.Options { EnsembleSize = 1 };
        Assert.AreEqual(1, EngineSettings.Network(one, 13, 1, rowsTrainedOn: 328).EnsembleSize);
    }

    [TestMethod]
    public void TheAutomaticModesFollowTheRowsTrainedOnAndAboveTheLimitAreTheSingleNetworkBitForBit()
    {
        var ml = new MLContext(seed: 1);
        var probe = ml.Data.LoadFromEnumerable(SyntheticData.Rows(60, 2));
        void Wide(BatchNormMlpOptionsBase o)
        {
            o.HiddenLayerSizes = [128, 64];   // 5·128 + 128·64 + 64 multiply-adds per row
            o.NumberOfEpochs = 2;
            o.EarlyStoppingPatience = 0;
            o.Seed = 2;
            o.EnsembleSize = null;      // both automatic (the candidate defaults of round 8)
            o.RefitOnAllRows = null;
        }
        long perRow = 5 * 128 + 128 * 64 + 64;
        // 20 % held out: the rule sees 0.8·N rows (the ensemble and the refit alike).
        int small = (int)(SmallTableRule.MaximumMemberWork / perRow / 0.8) - 10, large = (int)(SmallTableRule.MaximumMemberWork / perRow / 0.8) + 20;
        var smallData = ml.Data.LoadFromEnumerable(SyntheticData.Rows(small, 1));
        var auto = RefitOnAllRowsTests.Pipeline(ml, SyntheticData.Task.Binary, Wide).Fit(smallData);
        Assert.AreEqual(SmallTableRule.Members, RefitOnAllRowsTests.ModelOf(auto).EnsembleSize, "automatic on a small table: 5 members");
        Assert.IsTrue(RefitOnAllRowsTests.ModelOf(auto).TrainingHistory.All(e => e.ValidationLoss is null), "and the refit on all rows");

        var largeData = ml.Data.LoadFromEnumerable(SyntheticData.Rows(large, 1));
        var autoLarge = RefitOnAllRowsTests.Pipeline(ml, SyntheticData.Task.Binary, Wide).Fit(largeData);
        var single = RefitOnAllRowsTests.Pipeline(ml, SyntheticData.Task.Binary, o => { Wide(o); o.EnsembleSize = 1; o.RefitOnAllRows = false; }).Fit(largeData);
        Assert.AreEqual(1, RefitOnAllRowsTests.ModelOf(autoLarge).EnsembleSize);
        Assert.IsTrue(RefitOnAllRowsTests.ModelOf(autoLarge).TrainingHistory.All(e => e.ValidationLoss is not null), "no refit above the limit");
        CollectionAssert.AreEqual(RefitOnAllRowsTests.Bits(single, probe), RefitOnAllRowsTests.Bits(autoLarge, probe), "above the limit: the single network, unchanged");
    }

    private static List<RawRow> Rows(int count, int seed) => CompatibilityV2Fixture.WithHoles(SyntheticData.Rows(count, seed));

    /// <summary>The small-table pieces on: automatic ensemble (it fires on these rows) and the refit on all rows.</summary>
    private static void SmallTablePieces(BatchNormMlpOptionsBase o)
    {
        o.HiddenLayerSizes = [16, 8];
        o.NumberOfEpochs = 20;
        o.EarlyStoppingPatience = 3;
        o.Seed = 1;
        o.EnsembleSize = null;
        o.RefitOnAllRows = null;
    }

    [TestMethod]
    public void CrossValidateAndPermutationFeatureImportanceWithTheSmallTablePiecesOn()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows(600, 1));
        var b = ml.BinaryClassification.CrossValidate(data, RefitOnAllRowsTests.Pipeline(ml, SyntheticData.Task.Binary, SmallTablePieces), numberOfFolds: 3);
        Assert.IsTrue(b.All(f => f.Metrics.AreaUnderRocCurve > 0.85), string.Join(", ", b.Select(f => f.Metrics.AreaUnderRocCurve)));
        Assert.IsTrue(b.All(f => RefitOnAllRowsTests.ModelOf(f.Model).EnsembleSize == SmallTableRule.Members));
        var m = ml.MulticlassClassification.CrossValidate(data, RefitOnAllRowsTests.Pipeline(ml, SyntheticData.Task.Multiclass, SmallTablePieces), numberOfFolds: 3);
        double majority = Rows(600, 1).GroupBy(r => r.Class).Max(g => g.Count()) / 600.0;
        Assert.IsTrue(m.All(f => f.Metrics.MicroAccuracy > majority + 0.1), $"majority {majority:F3}: " + string.Join(", ", m.Select(f => f.Metrics.MicroAccuracy)));

        // Features = [red, green, blue, X1, X2]; the regression target depends on X1 most.
        var chain = ((IEnumerable<ITransformer>)RefitOnAllRowsTests.Pipeline(ml, SyntheticData.Task.Regression, SmallTablePieces).Fit(data)).ToList();
        var featurized = data;
        foreach (var t in chain.Take(chain.Count - 1)) featurized = t.Transform(featurized);
        var regression = (RegressionPredictionTransformer<BatchNormMlpModelParameters>)chain[^1];
        Assert.IsTrue(regression.Model.TrainingHistory.All(e => e.ValidationLoss is null), "the kept model is the refit");
        var pfi = ml.Regression.PermutationFeatureImportance(regression, featurized, permutationCount: 1);
        Assert.IsLessThan(-0.1, pfi[3].RSquared.Mean, "permuting X1 hurts R²");
    }

    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Multiclass)]
    [DataRow(SyntheticData.Task.Regression)]
    public void RoundTripsInAFreshProcessBitForBitWithTheSmallTablePiecesOn(SyntheticData.Task task)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Rows(300, 1));
        var probe = ml.Data.LoadFromEnumerable(Rows(60, 2));
        var model = RefitOnAllRowsTests.Pipeline(ml, task, SmallTablePieces).Fit(train);
        Assert.AreEqual(SmallTableRule.Members, RefitOnAllRowsTests.ModelOf(model).EnsembleSize);
        string dir = Directory.CreateTempSubdirectory("bnmlnet-smalltab-").FullName;
        try
        {
            string modelPath = Path.Combine(dir, "model.zip"), inputPath = Path.Combine(dir, "input.idv"), outputPath = Path.Combine(dir, "output.idv");
            ml.Model.Save(model, train.Schema, modelPath);
            using (var input = File.Create(inputPath)) ml.Data.SaveAsBinary(probe, input);
            string exe = Path.Combine(AppContext.BaseDirectory, "BnMlNet.FreshProcess.dll");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "exec", exe, modelPath, inputPath, outputPath }) start.ArgumentList.Add(a);
            using (var process = Process.Start(start)!)
            {
                string stdout = process.StandardOutput.ReadToEnd(), stderr = process.StandardError.ReadToEnd();
                Assert.IsTrue(process.WaitForExit(120_000), "the fresh process did not finish");
                Assert.AreEqual(0, process.ExitCode, stdout + stderr);
            }
            var scores = Flat(model.Transform(probe));
            Assert.IsTrue(scores.All(float.IsFinite));
            CollectionAssert.AreEqual(scores, Flat(new MLContext().Data.LoadFromBinary(outputPath)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static float[] Flat(IDataView v) => v.Schema["Score"].Type is VectorDataViewType
        ? v.GetColumn<VBuffer<float>>("Score").SelectMany(b => b.DenseValues()).ToArray()
        : v.GetColumn<float>("Score").ToArray();

    [TestMethod]
    public void BadEnsembleSizesAreStillRefusedNamingTheOption()
    {
        var ml = new MLContext(1);
        foreach (int bad in new[] { 0, -1, 33 })
        {
            var e = Assert.Throws<ArgumentException>(() => ml.Regression.Trainers.BatchNormMlp(new BatchNormMlpRegressionTrainer.Options { EnsembleSize = bad }));
            Assert.AreEqual(nameof(BatchNormMlpOptionsBase.EnsembleSize), e.ParamName);
            StringAssert.Contains(e.Message, "in [1, 32]");
        }
        // null (automatic) is accepted, with or without the numerical embedding (which the members then share).
        ml.Regression.Trainers.BatchNormMlp(new BatchNormMlpRegressionTrainer.Options { EnsembleSize = null, NumericEmbedding = NumericEmbedding.Periodic });
    }
}
