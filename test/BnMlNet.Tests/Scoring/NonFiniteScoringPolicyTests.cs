using System.Diagnostics;
using BnMlNet.Tests.Persistence;
using BnMlNet.Tests.Recipe;
using BnMlNet.Tests.Reliability;
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
    public enum Kind { Binary, Multiclass, Regression }

    private sealed class VectorOutput { public float[] Score { get; set; } = []; }

    private sealed class ScalarOutput { public float Score { get; set; } }

    private const string Column = "Inputs";

    internal static ITransformer Train(MLContext ml, Kind kind, NonFiniteScoring policy, bool preprocessing = true)
    {
        var data = ml.Data.LoadFromEnumerable(ReliabilityData.Rows(200, 1, scale: 5f));
        T Configure<T>(T o) where T : BatchNormMlpOptionsBase
        {
            if (!preprocessing) RecipeOff.Apply(o);
            o.HiddenLayerSizes = [6];
            o.NumberOfEpochs = 2;
            o.Seed = 1;
            o.NumberOfThreads = 1;
            o.FeatureColumnName = Column;
            o.NonFiniteScoring = policy;
            return o;
        }
        var copy = ml.Transforms.CopyColumns(Column, nameof(VectorRow.Features));
        IEstimator<ITransformer> pipeline = kind switch
        {
            Kind.Binary => copy.Append(ml.BinaryClassification.Trainers.BatchNormMlp(Configure(new BatchNormMlpBinaryTrainer.Options { LabelColumnName = nameof(VectorRow.Label) }))),
            Kind.Multiclass => copy.Append(ml.Transforms.Conversion.MapValueToKey("Key", nameof(VectorRow.Class)))
                .Append(ml.MulticlassClassification.Trainers.BatchNormMlp(Configure(new BatchNormMlpMulticlassTrainer.Options { LabelColumnName = "Key" }))),
            _ => copy.Append(ml.Regression.Trainers.BatchNormMlp(Configure(new BatchNormMlpRegressionTrainer.Options { LabelColumnName = nameof(VectorRow.Target) }))),
        };
        return pipeline.Fit(data);
    }

    internal static BatchNormMlpModelParameters ModelOf(ITransformer model) =>
        ((IEnumerable<ITransformer>)model).OfType<ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters>>().Single().Model;

    internal static VectorRow Row(params float[] x) => new() { Features = x, Class = "a" };

    private static float[][] ByTransform(MLContext ml, ITransformer model, Kind kind, List<VectorRow> rows)
    {
        var scored = model.Transform(ml.Data.LoadFromEnumerable(rows));
        return kind == Kind.Multiclass
            ? scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray()
            : scored.GetColumn<float>("Score").Select(v => new[] { v }).ToArray();
    }

    private static float[][] ByEngine(MLContext ml, ITransformer model, Kind kind, List<VectorRow> rows)
    {
        if (kind == Kind.Multiclass)
        {
            using var engine = ml.Model.CreatePredictionEngine<VectorRow, VectorOutput>(model);
            return rows.Select(r => engine.Predict(r).Score.ToArray()).ToArray();
        }
        using var scalar = ml.Model.CreatePredictionEngine<VectorRow, ScalarOutput>(model);
        return rows.Select(r => new[] { scalar.Predict(r).Score }).ToArray();
    }

    internal static string MessageChain(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + MessageChain(e.InnerException);

    private static readonly List<VectorRow> Finite = [Row(0.5f, -1f, 2f), Row(-3f, 4f, 0f), Row(1e6f, -2e6f, 7f)];

    private static string Shown(float bad) => float.IsNaN(bad) ? "NaN" : bad > 0 ? "+∞" : "−∞";

    private static void AssertRefuses(Func<object> score, float bad, int slot, NonFiniteScoring policy, string what)
    {
        var e = Assert.Throws<Exception>(() => score(), what);
        string m = MessageChain(e);
        StringAssert.Contains(m, $"Feature column '{Column}' slot {slot} is {Shown(bad)}, but this model was trained with NonFiniteScoring = {policy}", what);
        StringAssert.Contains(m, "so it expects", what);
    }

    private static void AssertRefusesEverywhere(MLContext ml, ITransformer model, Kind kind, float bad, int slot, NonFiniteScoring policy, string what)
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
    [DataRow(Kind.Binary, true)]
    [DataRow(Kind.Multiclass, true)]
    [DataRow(Kind.Regression, true)]
    [DataRow(Kind.Binary, false)]
    [DataRow(Kind.Regression, false)]
    public void ThrowRefusesNaNAndBothInfinitiesNamingColumnSlotAndValue(Kind kind, bool preprocessing)
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
        var partial = Train(ml, Kind.Binary, policy);
        var imputing = Train(ml, Kind.Binary, NonFiniteScoring.Impute);
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            bool refused = float.IsNaN(bad) == (policy == NonFiniteScoring.ThrowOnNaN);
            var rows = new List<VectorRow> { Row(0.5f, bad, 2f) };
            if (refused)
            {
                AssertRefusesEverywhere(ml, partial, Kind.Binary, bad, 1, policy, $"{policy} {Shown(bad)}");
                continue;
            }
            CollectionAssert.AreEqual(Bits(ByTransform(ml, imputing, Kind.Binary, rows)), Bits(ByTransform(ml, partial, Kind.Binary, rows)), $"{policy} imputes {Shown(bad)}");
            CollectionAssert.AreEqual(Bits(ByEngine(ml, imputing, Kind.Binary, rows)), Bits(ByEngine(ml, partial, Kind.Binary, rows)), $"{policy} imputes {Shown(bad)}");
        }
    }

    private static int PayloadVersion(byte[] zip)
    {
        var (_, entry) = ModelZip.FindOurEntry(zip);
        return BitConverter.ToInt32(entry, ModelZip.PayloadStart(entry) + 8);
    }

    [TestMethod]
    [DataRow(Kind.Binary)]
    [DataRow(Kind.Multiclass)]
    [DataRow(Kind.Regression)]
    public void ThePolicyIsSavedAsVersionFourAndHonouredAfterLoading(Kind kind)
    {
        var ml = new MLContext(1);
        var schema = ml.Data.LoadFromEnumerable(ReliabilityData.Rows(4, 1)).Schema;
        var throwing = Train(ml, kind, NonFiniteScoring.Throw);
        var imputing = Train(ml, kind, NonFiniteScoring.Impute);
        byte[] zip = ModelZip.Save(ml, throwing, schema);
        Assert.AreEqual(4, PayloadVersion(zip), "a throwing model is payload version 4");
        Assert.AreEqual(2, PayloadVersion(ModelZip.Save(ml, imputing, schema)), "the default stays in version 2, byte for byte as before");
        var loaded = new MLContext().Model.Load(new MemoryStream(zip), out _);
        Assert.AreEqual(NonFiniteScoring.Throw, ModelOf(loaded).NonFiniteScoring);
        CollectionAssert.AreEqual(Bits(ByTransform(ml, throwing, kind, Finite)), Bits(ByTransform(ml, loaded, kind, Finite)));
        CollectionAssert.AreEqual(Bits(ByEngine(ml, throwing, kind, Finite)), Bits(ByEngine(ml, loaded, kind, Finite)));
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            AssertRefusesEverywhere(ml, loaded, kind, bad, 2, NonFiniteScoring.Throw, $"loaded {kind} {Shown(bad)}");
    }

    [TestMethod]
    public void WithNonFiniteScoringReturnsACopyAndLeavesTheModelAlone()
    {
        var ml = new MLContext(1);
        var model = ModelOf(Train(ml, Kind.Regression, NonFiniteScoring.Impute));
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
        var throwing = Train(ml, Kind.Binary, NonFiniteScoring.Throw);
        string dir = Directory.CreateTempSubdirectory("bnmlnet-nonfinite-").FullName;
        try
        {
            string modelPath = Path.Combine(dir, "model.zip");
            ml.Model.Save(throwing, ml.Data.LoadFromEnumerable(Finite).Schema, modelPath);
            var (code, output) = RunFreshProcess(ml, dir, modelPath, Finite, "finite");
            Assert.AreEqual(0, code, output);
            var actual = new MLContext().Data.LoadFromBinary(Path.Combine(dir, "finite.out.idv")).GetColumn<float>("Score").ToArray();
            CollectionAssert.AreEqual(ByTransform(ml, throwing, Kind.Binary, Finite).Select(s => s[0]).ToArray(), actual, "finite rows, fresh process");
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
        string exe = Path.Combine(AppContext.BaseDirectory, "BnMlNet.FreshProcess.dll");
        Assert.IsTrue(File.Exists(exe), $"{exe} is missing");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "exec", exe, modelPath, input, output }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.IsTrue(process.WaitForExit(120_000), "the fresh process did not finish in 2 minutes");
        return (process.ExitCode, stdout + stderr.Result);
    }
}
