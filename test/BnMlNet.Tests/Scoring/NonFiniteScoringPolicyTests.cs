using BnMlNet.Tests.Persistence;
using BnMlNet.Tests.Reliability;
using static BnMlNet.Tests.Scoring.VectorScoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Scoring;

/// <summary>
/// Issue 12's option: <see cref="BatchNormMlpOptionsBase.NonFiniteScoring"/> makes NaN and/or ±∞ features throw at
/// scoring (Transform, PredictionEngine, Predict), naming the column, the slot and the value; it is stored in the model
/// (payload format version 4) and survives Save/Load in this process and in a fresh one; the default never throws.
/// Each throwing model is compared with its Impute twin (same data, seed and options): finite rows score bit for bit
/// alike, so the option changes nothing but the refusal.
/// </summary>
[TestClass]
public sealed class NonFiniteScoringPolicyTests
{
    private const string Column = "Inputs";

    private static ITransformer Train(MLContext ml, VectorTask kind, NonFiniteScoring policy, bool preprocessing = true, int members = 1) =>
        VectorScoring.Train(ml, kind, ReliabilityData.Rows(200, 1, scale: 5f), Column, preprocessing, hidden: [6], epochs: 2, o =>
        {
            o.NonFiniteScoring = policy;
            o.EnsembleSize = members;
        });

    private static readonly List<VectorRow> Finite = [Row(0.5f, -1f, 2f), Row(-3f, 4f, 0f), Row(1e6f, -2e6f, 7f)];

    private static string Shown(float bad) => float.IsNaN(bad) ? "NaN" : bad > 0 ? "+∞" : "−∞";

    private static void AssertRefuses(Func<object> score, float bad, int slot, NonFiniteScoring policy, string what)
    {
        var e = Assert.Throws<Exception>(() => score(), what);
        string m = MessageChain(e);
        StringAssert.Contains(m, $"Feature column '{Column}' slot {slot} is {Shown(bad)}, but this model was trained with NonFiniteScoring = {policy}", what);
        StringAssert.Contains(m, "so it expects", what);
    }

    private static void AssertRefusesEverywhere(MLContext ml, ITransformer model, VectorTask kind, float bad, int slot, NonFiniteScoring policy, string what)
    {
        var x = new float[] { 0.5f, -1f, 2f };
        x[slot] = bad;
        var rows = new List<VectorRow> { Finite[0], Row(x) };
        AssertRefuses(() => ByTransform(ml, model, kind, rows), bad, slot, policy, what + ": Transform");
        AssertRefuses(() => ByEngine(ml, model, kind, rows), bad, slot, policy, what + ": PredictionEngine");
        var direct = Assert.ThrowsExactly<InvalidOperationException>(() => ModelOf(model).Predict(x), what + ": Predict");
        StringAssert.Contains(direct.Message, $"slot {slot} is {Shown(bad)}");
    }

    private static int[] Bits(float[][] scores) => scores.SelectMany(s => s).Select(BitConverter.SingleToInt32Bits).ToArray();

    [TestMethod]
    [DataRow(VectorTask.Binary, true)]
    [DataRow(VectorTask.Multiclass, true)]
    [DataRow(VectorTask.Regression, true)]
    [DataRow(VectorTask.Binary, false)]
    [DataRow(VectorTask.Regression, false)]
    public void ThrowRefusesNaNAndBothInfinitiesNamingColumnSlotAndValue(VectorTask kind, bool preprocessing)
    {
        var ml = new MLContext(1);
        var throwing = Train(ml, kind, NonFiniteScoring.Throw, preprocessing);
        var imputing = Train(ml, kind, NonFiniteScoring.Impute, preprocessing);
        Assert.AreEqual(NonFiniteScoring.Throw, ModelOf(throwing).NonFiniteScoring);
        Assert.AreEqual(NonFiniteScoring.Impute, ModelOf(imputing).NonFiniteScoring, "the default");
        Assert.AreEqual(preprocessing, ModelOf(throwing).Preprocessing is not null);
        // finite rows: exactly the Impute twin's scores, through both paths
        CollectionAssert.AreEqual(Bits(ByTransform(ml, imputing, kind, Finite)), Bits(ByTransform(ml, throwing, kind, Finite)), "Transform, finite rows");
        CollectionAssert.AreEqual(Bits(ByEngine(ml, imputing, kind, Finite)), Bits(ByEngine(ml, throwing, kind, Finite)), "PredictionEngine, finite rows");
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            for (int slot = 0; slot < 3; slot += 2)
            {
                AssertRefusesEverywhere(ml, throwing, kind, bad, slot, NonFiniteScoring.Throw, $"{kind} {Shown(bad)} at slot {slot}");
                // the default scores the same row, finitely, and never throws
                var x = new float[] { 0.5f, -1f, 2f };
                x[slot] = bad;
                Assert.IsTrue(ByTransform(ml, imputing, kind, [Row(x)])[0].All(float.IsFinite), $"Impute scores {Shown(bad)}");
                Assert.IsTrue(ByEngine(ml, imputing, kind, [Row(x)])[0].All(float.IsFinite), $"Impute scores {Shown(bad)}");
            }
    }

    [TestMethod]
    [DataRow(NonFiniteScoring.ThrowOnNaN)]
    [DataRow(NonFiniteScoring.ThrowOnInfinity)]
    public void EachHalfRefusesOnlyItsCaseAndImputesTheOther(NonFiniteScoring policy)
    {
        var ml = new MLContext(1);
        var partial = Train(ml, VectorTask.Binary, policy);
        var imputing = Train(ml, VectorTask.Binary, NonFiniteScoring.Impute);
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            bool refused = float.IsNaN(bad) == (policy == NonFiniteScoring.ThrowOnNaN);
            var rows = new List<VectorRow> { Row(0.5f, bad, 2f) };
            if (refused)
            {
                AssertRefusesEverywhere(ml, partial, VectorTask.Binary, bad, 1, policy, $"{policy} {Shown(bad)}");
                continue;
            }
            CollectionAssert.AreEqual(Bits(ByTransform(ml, imputing, VectorTask.Binary, rows)), Bits(ByTransform(ml, partial, VectorTask.Binary, rows)), $"{policy} imputes {Shown(bad)}");
            CollectionAssert.AreEqual(Bits(ByEngine(ml, imputing, VectorTask.Binary, rows)), Bits(ByEngine(ml, partial, VectorTask.Binary, rows)), $"{policy} imputes {Shown(bad)}");
        }
    }

    private static int PayloadVersion(byte[] zip)
    {
        var (_, entry) = ModelZip.FindOurEntry(zip);
        return BitConverter.ToInt32(entry, ModelZip.PayloadStart(entry) + 8);
    }

    [TestMethod]
    [DataRow(VectorTask.Binary, true)]
    [DataRow(VectorTask.Multiclass, true)]
    [DataRow(VectorTask.Regression, true)]
    [DataRow(VectorTask.Binary, false)]
    public void ThePolicyIsSavedAsVersionFourAndHonouredAfterLoading(VectorTask kind, bool preprocessing)
    {
        var ml = new MLContext(1);
        var schema = ml.Data.LoadFromEnumerable(ReliabilityData.Rows(4, 1)).Schema;
        var throwing = Train(ml, kind, NonFiniteScoring.Throw, preprocessing);
        var imputing = Train(ml, kind, NonFiniteScoring.Impute, preprocessing);
        byte[] zip = ModelZip.Save(ml, throwing, schema);
        Assert.AreEqual(4, PayloadVersion(zip), "a throwing model is payload version 4");
        Assert.AreEqual(preprocessing ? 2 : 1, PayloadVersion(ModelZip.Save(ml, imputing, schema)), "the default stays in version 1 or 2, byte for byte as before");
        var loaded = new MLContext().Model.Load(new MemoryStream(zip), out _);
        Assert.AreEqual(NonFiniteScoring.Throw, ModelOf(loaded).NonFiniteScoring);
        CollectionAssert.AreEqual(Bits(ByTransform(ml, throwing, kind, Finite)), Bits(ByTransform(ml, loaded, kind, Finite)));
        CollectionAssert.AreEqual(Bits(ByEngine(ml, throwing, kind, Finite)), Bits(ByEngine(ml, loaded, kind, Finite)));
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            AssertRefusesEverywhere(ml, loaded, kind, bad, 2, NonFiniteScoring.Throw, $"loaded {kind} {Shown(bad)}");
    }

    [TestMethod]
    public void AThrowingEnsembleIsVersionFourWithItsMembers()
    {
        var ml = new MLContext(1);
        var schema = ml.Data.LoadFromEnumerable(ReliabilityData.Rows(4, 1)).Schema;
        var throwing = Train(ml, VectorTask.Multiclass, NonFiniteScoring.ThrowOnInfinity, members: 2);
        var imputing = Train(ml, VectorTask.Multiclass, NonFiniteScoring.Impute, members: 2);
        Assert.AreEqual(3, PayloadVersion(ModelZip.Save(ml, imputing, schema)), "an imputing ensemble stays version 3");
        byte[] zip = ModelZip.Save(ml, throwing, schema);
        Assert.AreEqual(4, PayloadVersion(zip));
        var loaded = new MLContext().Model.Load(new MemoryStream(zip), out _);
        Assert.AreEqual(2, ModelOf(loaded).EnsembleSize);
        Assert.AreEqual(NonFiniteScoring.ThrowOnInfinity, ModelOf(loaded).NonFiniteScoring);
        var withNaN = new List<VectorRow> { Finite[0], Row(float.NaN, 1f, 2f) };
        CollectionAssert.AreEqual(Bits(ByTransform(ml, imputing, VectorTask.Multiclass, withNaN)), Bits(ByTransform(ml, loaded, VectorTask.Multiclass, withNaN)), "NaN is still imputed");
        AssertRefusesEverywhere(ml, loaded, VectorTask.Multiclass, float.NegativeInfinity, 0, NonFiniteScoring.ThrowOnInfinity, "ensemble −∞");
    }

    [TestMethod]
    public void WithNonFiniteScoringReturnsACopyAndLeavesTheModelAlone()
    {
        var ml = new MLContext(1);
        var model = ModelOf(Train(ml, VectorTask.Regression, NonFiniteScoring.Impute));
        var strict = model.WithNonFiniteScoring(NonFiniteScoring.Throw);
        Assert.AreNotSame(model, strict);
        Assert.AreSame(model, model.WithNonFiniteScoring(NonFiniteScoring.Impute));
        Assert.AreEqual(NonFiniteScoring.Impute, model.NonFiniteScoring, "the original is unchanged");
        float[] nan = [float.NaN, 1f, 2f];
        Assert.IsTrue(float.IsFinite(model.Predict(nan)[0]));
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => strict.Predict(nan));
        StringAssert.Contains(error.Message, "Feature column 'Inputs' slot 0 is NaN");
        CollectionAssert.AreEqual(model.Predict([1f, 2f, 3f]), strict.Predict([1f, 2f, 3f]), "finite rows unchanged");
        // and back again
        Assert.AreEqual(model.Predict(nan)[0], strict.WithNonFiniteScoring(NonFiniteScoring.Impute).Predict(nan)[0]);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.WithNonFiniteScoring((NonFiniteScoring)4));
    }

    [TestMethod]
    public void AnUndefinedPolicyIsRejectedAtConstructionNamingTheOption()
    {
        var ml = new MLContext(1);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options { NonFiniteScoring = (NonFiniteScoring)7 }));
        Assert.AreEqual("NonFiniteScoring", error.ParamName);
        StringAssert.Contains(error.Message, "Impute, ThrowOnNaN, ThrowOnInfinity, Throw");
    }

    [TestMethod]
    public void FreshProcessHonoursThePolicy()
    {
        var ml = new MLContext(1);
        var throwing = Train(ml, VectorTask.Binary, NonFiniteScoring.Throw);
        string dir = Directory.CreateTempSubdirectory("bnmlnet-nonfinite-").FullName;
        try
        {
            string modelPath = Path.Combine(dir, "model.zip");
            ml.Model.Save(throwing, ml.Data.LoadFromEnumerable(Finite).Schema, modelPath);
            var (code, output) = RunFreshProcess(ml, dir, modelPath, Finite, "finite");
            Assert.AreEqual(0, code, output);
            var actual = new MLContext().Data.LoadFromBinary(Path.Combine(dir, "finite.out.idv")).GetColumn<float>("Score").ToArray();
            CollectionAssert.AreEqual(ByTransform(ml, throwing, VectorTask.Binary, Finite).Select(s => s[0]).ToArray(), actual, "finite rows, fresh process");
            foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            {
                (code, output) = RunFreshProcess(ml, dir, modelPath, [Finite[0], Row(1f, 2f, bad)], "bad");
                Assert.AreNotEqual(0, code, $"the fresh process scored {Shown(bad)}");
                StringAssert.Contains(output, $"Feature column '{Column}' slot 2 is {Shown(bad)}, but this model was trained with NonFiniteScoring = Throw");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (int Code, string Output) RunFreshProcess(MLContext ml, string dir, string modelPath, List<VectorRow> rows, string name)
    {
        string input = Path.Combine(dir, name + ".idv"), output = Path.Combine(dir, name + ".out.idv");
        using (var stream = File.Create(input)) ml.Data.SaveAsBinary(ml.Data.LoadFromEnumerable(rows), stream);
        return FreshProcess.Run(modelPath, input, output);
    }
}
