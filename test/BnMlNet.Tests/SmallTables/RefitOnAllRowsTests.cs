using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Recipe;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Tests.SmallTables;

/// <summary>
/// <see cref="BatchNormMlpOptionsBase.RefitOnAllRows"/>: the hold-out only picks the epoch count E; the model returned
/// is the one a fit on every training row for E epochs from the same seed gives (checked against that manual fit, bit
/// for bit), deterministic across fits and thread counts, and off with an explicit validation set or no hold-out.
/// </summary>
[TestClass]
public sealed class RefitOnAllRowsTests
{
    private static List<RawRow> Rows(int count, int seed) => CompatibilityV2Fixture.WithHoles(SyntheticData.Rows(count, seed));

    /// <summary>The hold-out recipe on a small net: 20 % held out, early stopping with patience 3 of at most 60 epochs (lr 0.01, so it fires).</summary>
    private static void Small(BatchNormMlpOptionsBase o)
    {
        o.HiddenLayerSizes = [16, 8];
        o.NumberOfEpochs = 60;
        o.LearningRate = 0.01f;
        o.EarlyStoppingPatience = 3;
        o.ValidationFraction = 0.2f;
        o.Seed = 4;
        o.NumberOfThreads = 1;
        o.EnsembleSize = 1;          // one network, and the refit only where a test asks for it (both are automatic by default)
        o.RefitOnAllRows = false;
    }

    internal static IEstimator<ITransformer> Pipeline(MLContext ml, SyntheticData.Task task, Action<BatchNormMlpOptionsBase> edit)
    {
        var features = SyntheticData.Featurize(ml);
        switch (task)
        {
            case SyntheticData.Task.Binary:
            {
                var o = new BatchNormMlpBinaryTrainer.Options();
                edit(o);
                return ml.Transforms.CopyColumns("Label", nameof(RawRow.IsPositive)).Append(features).Append(ml.BinaryClassification.Trainers.BatchNormMlp(o));
            }
            case SyntheticData.Task.Multiclass:
            {
                var o = new BatchNormMlpMulticlassTrainer.Options();
                edit(o);
                return ml.Transforms.Conversion.MapValueToKey("Label", nameof(RawRow.Class)).Append(features).Append(ml.MulticlassClassification.Trainers.BatchNormMlp(o));
            }
            default:
            {
                var o = new BatchNormMlpRegressionTrainer.Options();
                edit(o);
                return ml.Transforms.CopyColumns("Label", nameof(RawRow.Target)).Append(features).Append(ml.Regression.Trainers.BatchNormMlp(o));
            }
        }
    }

    internal static BatchNormMlpModelParameters ModelOf(ITransformer model) => model is ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters> p
        ? p.Model
        : ((IEnumerable<ITransformer>)model).OfType<ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters>>().Single().Model;

    /// <summary>Every learned number of the model (weights, biases, BN γ, β, running mean and variance) and its scores on <paramref name="probe"/>, as bits.</summary>
    internal static List<uint> Bits(ITransformer model, IDataView probe)
    {
        var bits = new List<uint>();
        foreach (var l in ModelOf(model).Layers)
        {
            bits.AddRange(l.Weights.Select(BitConverter.SingleToUInt32Bits));
            if (l.Bias is not null) bits.AddRange(l.Bias.Select(BitConverter.SingleToUInt32Bits));
            if (l.BatchNorm is { } bn)
                bits.AddRange(bn.Gamma.Concat(bn.Beta).Concat(bn.RunningMean).Concat(bn.RunningVariance).Select(BitConverter.SingleToUInt32Bits));
        }
        var scored = model.Transform(probe);
        var scores = scored.Schema["Score"].Type is VectorDataViewType
            ? scored.GetColumn<VBuffer<float>>("Score").SelectMany(b => b.DenseValues()).ToArray()
            : scored.GetColumn<float>("Score").ToArray();
        Assert.IsTrue(scores.All(float.IsFinite));
        bits.AddRange(scores.Select(BitConverter.SingleToUInt32Bits));
        return bits;
    }

    /// <summary>The epoch of the lowest validation loss (the first of equals), as early stopping keeps it.</summary>
    private static int BestValidationEpoch(IReadOnlyList<BnMlNet.Engine.EpochReport> history)
    {
        int best = 0;
        for (int i = 1; i < history.Count; i++)
            if (history[i].ValidationLoss!.Value < history[best].ValidationLoss!.Value) best = i;
        return history[best].Epoch;
    }

    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Multiclass)]
    [DataRow(SyntheticData.Task.Regression)]
    public void TheRefitIsTheFitOnAllRowsForTheEpochsTheHoldOutChose(SyntheticData.Task task)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Rows(400, 1));
        var probe = ml.Data.LoadFromEnumerable(Rows(80, 2));

        var held = Pipeline(ml, task, Small).Fit(train);
        var history = ModelOf(held).TrainingHistory;
        Assert.IsTrue(history.All(e => e.ValidationLoss is not null), "the first fit validates on the hold-out");
        int chosen = BestValidationEpoch(history);
        Assert.IsLessThan(history.Count, chosen, "early stopping fired, so the chosen epoch count is not simply the budget");

        var refit = Pipeline(ml, task, o => { Small(o); o.RefitOnAllRows = true; }).Fit(train);
        var refitHistory = ModelOf(refit).TrainingHistory;
        Assert.HasCount(chosen, refitHistory, "the refit runs exactly the chosen epochs");
        Assert.IsTrue(refitHistory.All(e => e.ValidationLoss is null), "the refit has no validation set");

        // The independent reference: a user's fit on every row (no hold-out, no early stopping) for that many epochs.
        var manual = Pipeline(ml, task, o =>
        {
            Small(o);
            o.ValidationFraction = 0;
            o.EarlyStoppingPatience = 0;
            o.NumberOfEpochs = chosen;
            o.BatchSize = 128;   // what the automatic batch gave the 320 rows of the first fit
        }).Fit(train);
        CollectionAssert.AreEqual(Bits(manual, probe), Bits(refit, probe), "refit == fit on all rows for E epochs, bit for bit");
        CollectionAssert.AreNotEqual(Bits(held, probe), Bits(refit, probe), "the refit is another model than the hold-out's");
    }

    [TestMethod]
    public void TheRefitIsDeterministicAcrossFitsAndThreadCounts()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Rows(400, 1));
        var probe = ml.Data.LoadFromEnumerable(Rows(80, 2));
        IEstimator<ITransformer> P(int threads) => Pipeline(ml, SyntheticData.Task.Regression, o =>
        {
            Small(o);
            o.RefitOnAllRows = true;
            o.NumberOfThreads = threads;
        });
        var one = Bits(P(1).Fit(train), probe);
        CollectionAssert.AreEqual(one, Bits(P(1).Fit(train), probe), "two fits");
        CollectionAssert.AreEqual(one, Bits(P(2).Fit(train), probe), "1 and 2 threads");
    }

    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Regression)]
    public void AnExplicitValidationSetTurnsTheRefitOff(SyntheticData.Task task)
    {
        var ml = new MLContext(seed: 1);
        var rawTrain = ml.Data.LoadFromEnumerable(Rows(400, 1));
        var rawValid = ml.Data.LoadFromEnumerable(Rows(100, 3));
        var probe = ml.Data.LoadFromEnumerable(Rows(80, 2));
        // The featurizer and label map, fitted once and applied to both sets; then the trainer alone, with Fit(train, validation).
        var chain = ((IEnumerable<ITransformer>)Pipeline(ml, task, Small).Fit(rawTrain)).ToList();
        IDataView Featurized(IDataView d) { foreach (var t in chain.Take(chain.Count - 1)) d = t.Transform(d); return d; }
        var (train, valid, probed) = (Featurized(rawTrain), Featurized(rawValid), Featurized(probe));

        List<uint> Fitted(bool refit)
        {
            ITransformer model = task == SyntheticData.Task.Binary
                ? ml.BinaryClassification.Trainers.BatchNormMlp(Options<BatchNormMlpBinaryTrainer.Options>(refit)).Fit(train, valid)
                : ml.Regression.Trainers.BatchNormMlp(Options<BatchNormMlpRegressionTrainer.Options>(refit)).Fit(train, valid);
            Assert.IsTrue(ModelOf(model).TrainingHistory.All(e => e.ValidationLoss is not null), "the kept model is the validated fit's");
            return Bits(model, probed);
        }
        CollectionAssert.AreEqual(Fitted(false), Fitted(true));
    }

    [TestMethod]
    public void WithoutAHoldOutTheRefitChangesNothing()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Rows(300, 1));
        var probe = ml.Data.LoadFromEnumerable(Rows(80, 2));
        IEstimator<ITransformer> P(bool refit) => Pipeline(ml, SyntheticData.Task.Binary, o =>
        {
            Small(o);
            o.ValidationFraction = 0;
            o.NumberOfEpochs = 6;
            o.RefitOnAllRows = refit;
        });
        CollectionAssert.AreEqual(Bits(P(false).Fit(train), probe), Bits(P(true).Fit(train), probe));
    }

    private static T Options<T>(bool refit) where T : BatchNormMlpOptionsBase, new()
    {
        var o = new T();
        Small(o);
        o.RefitOnAllRows = refit;
        return o;
    }

    [TestMethod]
    public void TheAllOptionsOffSwitchTurnsTheRefitOff()
    {
        var o = new BatchNormMlpBinaryTrainer.Options { RefitOnAllRows = true, EnsembleSize = null };
        RecipeOff.Apply(o);
        Assert.AreEqual(false, o.RefitOnAllRows);
        Assert.AreEqual(1, o.EnsembleSize);
    }
}
