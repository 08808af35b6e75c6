using BnMlNet.MlNet.Trainers;
using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.SmallTables;
using Microsoft.ML;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// The reduce-on-plateau options through ML.NET (<see cref="BatchNormMlpOptionsBase.PlateauPatience"/> and its
/// companions): the rate drops in the fitted model's history, the refit on all rows reduces the rate after the same
/// epochs as the hold-out's fit, and the defaults leave it off.
/// </summary>
[TestClass]
public sealed class PlateauOptionsTests
{
    private static List<RawRow> Rows(int count, int seed) => CompatibilityV2Fixture.WithHoles(SyntheticData.Rows(count, seed));

    /// <summary>A small net with a 20 % hold-out, a high rate and a plateau patience of 1, so the rate falls early.</summary>
    private static void Plateauing(BatchNormMlpOptionsBase o)
    {
        o.HiddenLayerSizes = [16, 8];
        o.NumberOfEpochs = 60;
        o.LearningRate = 0.1f;
        o.EarlyStoppingPatience = 6;
        o.PlateauPatience = 1;
        o.PlateauFactor = 0.5f;
        o.PlateauMaxReductions = 0;
        o.ValidationFraction = 0.2f;
        o.Seed = 4;
        o.NumberOfThreads = 1;
        o.EnsembleSize = 1;
        o.RefitOnAllRows = false;
        o.BatchNormHiddenLayers = BatchNormHiddenLayers.Every;   // the cases were chosen where the hold-out's fit reduces before its best epoch
    }

    /// <summary>The epochs after which the rate fell (epoch e + 1 ran at a lower rate than epoch e).</summary>
    private static List<int> Drops(IReadOnlyList<BnMlNet.Engine.EpochReport> history) =>
        Enumerable.Range(1, history.Count - 1).Where(i => history[i].LearningRate < history[i - 1].LearningRate).Select(i => history[i - 1].Epoch).ToList();

    [TestMethod]
    [DataRow(SyntheticData.Task.Binary, 1)]
    [DataRow(SyntheticData.Task.Regression, 1)]
    [DataRow(SyntheticData.Task.Binary, 3)]
    [DataRow(SyntheticData.Task.Multiclass, 3)]
    public void TheRefitReducesTheRateAfterTheSameEpochsAsTheHoldOutsFit(SyntheticData.Task task, int members)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Rows(400, 1));
        var first = RefitOnAllRowsTests.ModelOf(RefitOnAllRowsTests.Pipeline(ml, task, o => { Plateauing(o); o.EnsembleSize = members; }).Fit(train)).TrainingHistory;
        var refit = RefitOnAllRowsTests.ModelOf(RefitOnAllRowsTests.Pipeline(ml, task, o => { Plateauing(o); o.EnsembleSize = members; o.RefitOnAllRows = true; }).Fit(train)).TrainingHistory;

        var drops = Drops(first);
        int chosen = refit.Count;
        Assert.IsTrue(drops.Any(e => e < chosen), $"the hold-out's fit reduced the rate before the epoch it kept (else this test could not fail): drops {string.Join(",", drops)}, kept {chosen} of {first.Count}");
        Assert.IsTrue(refit.All(e => e.ValidationLoss is null), "the refit has no validation set");
        CollectionAssert.AreEqual(drops.Where(e => e < chosen).ToList(), Drops(refit), "the same reductions, as far as the refit runs");
        for (int i = 0; i < chosen; i++)
            Assert.AreEqual(first[i].LearningRate, refit[i].LearningRate, 1e-12, $"epoch {i + 1}: the first fit's rate");
    }

    [TestMethod]
    public void TheRefitsSettingsReplayTheReductionsBeforeItsLastEpochWithThePlateauOff()
    {
        var o = new BatchNormMlpRegressionTrainer.Options();
        Plateauing(o);
        var spec = EngineSettings.Network(o, 5, 1, rowsTrainedOn: 320);
        var first = EngineSettings.Training(o, 4, 320, spec);
        var s = RefitOnAllRows.Settings(first, o, 9, 320, spec, [3, 7, 9, 12]);
        CollectionAssert.AreEqual(new[] { 3, 7 }, s.LearningRateReductionEpochs!.ToArray(), "a reduction after epoch 9 or later never acts in 9 epochs");
        Assert.AreEqual(0, s.PlateauPatience);
        Assert.AreEqual(0, s.EarlyStoppingPatience);
        Assert.AreEqual(0.5f, s.PlateauFactor);
        s.Validate();
        Assert.IsNull(RefitOnAllRows.Settings(first, o, 3, 320, spec, [3]).LearningRateReductionEpochs);
        Assert.IsNull(RefitOnAllRows.Settings(first, o, 9, 320, spec).LearningRateReductionEpochs);
    }

    [TestMethod]
    public void APlateauFitIsTheSameOnOneAndTwoThreadsAndInASecondFit()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Rows(400, 1));
        var probe = ml.Data.LoadFromEnumerable(Rows(80, 2));
        IEstimator<ITransformer> P(int threads) => RefitOnAllRowsTests.Pipeline(ml, SyntheticData.Task.Multiclass, o =>
        {
            Plateauing(o);
            o.RefitOnAllRows = true;
            o.NumberOfThreads = threads;
        });
        var one = RefitOnAllRowsTests.Bits(P(1).Fit(train), probe);
        CollectionAssert.AreEqual(one, RefitOnAllRowsTests.Bits(P(1).Fit(train), probe), "two fits");
        CollectionAssert.AreEqual(one, RefitOnAllRowsTests.Bits(P(2).Fit(train), probe), "1 and 2 threads");
    }

    [TestMethod]
    public void TheOptionsReachTheEngineUnderTheirOwnNames()
    {
        var o = new BatchNormMlpBinaryTrainer.Options
        {
            PlateauPatience = 3, PlateauFactor = 0.3f, PlateauMaxReductions = 2, EarlyStoppingRelativeMinDelta = 1e-3f, EarlyStoppingPatienceFraction = 0.25f,
        };
        var s = EngineSettings.Training(o, 1, 5000);
        Assert.AreEqual(3, s.PlateauPatience);
        Assert.AreEqual(0.3f, s.PlateauFactor);
        Assert.AreEqual(2, s.PlateauMaxReductions);
        Assert.AreEqual(1e-3f, s.EarlyStoppingRelativeMinDelta);
        Assert.AreEqual(0.25f, s.EarlyStoppingPatienceFraction);
        Assert.IsNull(s.LearningRateReductionEpochs, "a first fit finds its reductions itself");
        s.Validate();
    }
}
