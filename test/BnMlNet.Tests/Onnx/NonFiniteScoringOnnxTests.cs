using BnMlNet.Tests.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Onnx;

/// <summary>
/// The ONNX side of issue 12's option and of the Poisson cap: an ONNX graph cannot throw per row, so a model with
/// NonFiniteScoring other than Impute refuses the export with a clear error, and inside
/// <see cref="BatchNormMlpOnnxExport.ImputeNonFiniteFeatures"/> exports exactly what its Impute twin computes; a Poisson
/// model's exported rate is capped at e^80 as in-process.
/// </summary>
[TestClass]
public sealed class NonFiniteScoringOnnxTests
{
    private static List<OnnxRow> RowsWithHoles()
    {
        var rows = OnnxTestData.Rows(48, 11);
        for (int i = 0; i < rows.Count; i++)
        {
            if (i % 5 == 1) rows[i].X1 = float.NaN;
            if (i % 7 == 6) rows[i].X2 = i % 2 == 0 ? float.PositiveInfinity : float.NegativeInfinity;
        }
        return rows;
    }

    [TestMethod]
    [DataRow(OnnxTask.Binary)]
    [DataRow(OnnxTask.Multiclass)]
    [DataRow(OnnxTask.Regression)]
    public void AThrowingModelRefusesTheExportUnlessTheImputeRuleIsAskedFor(OnnxTask task)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(OnnxTestData.Rows(192, 7));
        var throwing = OnnxTestData.Pipeline(ml, task, new OnnxTestData.Net(Policy: NonFiniteScoring.Throw)).Fit(train);
        var imputing = OnnxTestData.Pipeline(ml, task, new OnnxTestData.Net()).Fit(train);
        Assert.IsFalse(BatchNormMlpOnnxExport.ImputesNonFiniteFeatures, "off by default");

        var refused = Assert.Throws<Exception>(() => OnnxRunner.Export(ml, throwing, train));
        string message = Scoring.VectorScoring.MessageChain(refused);
        StringAssert.Contains(message, "has NonFiniteScoring = Throw: it throws on non-finite features, which an ONNX graph cannot do per row");
        StringAssert.Contains(message, "BatchNormMlpOnnxExport.ImputeNonFiniteFeatures()");

        byte[] onnx;
        using (BatchNormMlpOnnxExport.ImputeNonFiniteFeatures())
        {
            Assert.IsTrue(BatchNormMlpOnnxExport.ImputesNonFiniteFeatures);
            onnx = OnnxRunner.Export(ml, throwing, train);
        }
        Assert.IsFalse(BatchNormMlpOnnxExport.ImputesNonFiniteFeatures, "the scope restores the setting");
        var rows = RowsWithHoles();
        OnnxParity.AssertOutputsMatch(ml, task, imputing, ml.Data.LoadFromEnumerable(rows), OnnxRunner.Run(onnx, rows), $"{task}, Throw exported as Impute");
        CollectionAssert.AreEqual(OnnxRunner.Export(ml, imputing, train), onnx, "the same graph as the Impute twin's");
        // the default model exports outside any scope, as before
        Assert.IsNotEmpty(OnnxRunner.Export(ml, imputing, train));
    }

    [TestMethod]
    public void OnnxRuntimeCapsThePoissonLogRateAsTheScorerDoes()
    {
        var ml = new MLContext(seed: 1);
        var trainRows = OnnxTestData.Rows(192, 7);
        foreach (var r in trainRows) r.Target = MathF.Round(MathF.Abs(r.Target) * 3);   // counts
        var train = ml.Data.LoadFromEnumerable(trainRows);
        var model = OnnxTestData.Pipeline(ml, OnnxTask.Regression, new OnnxTestData.Net(WithoutRecipe: true, Poisson: true)).Fit(train);
        Assert.IsTrue(OnnxTestData.ModelOf(model).ExponentialScore);
        var rows = OnnxTestData.Rows(12, 3);
        float[] extremes = [float.MaxValue, -float.MaxValue, 3e38f, -3e38f, 1e30f, -1e30f];
        for (int i = 0; i < rows.Count; i++)
        {
            rows[i].X1 = extremes[i % extremes.Length];
            rows[i].X2 = extremes[(i + 1 + i / extremes.Length) % extremes.Length];
            rows[i].X3 = extremes[(i + 3) % extremes.Length];
        }
        var expected = model.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float>("Score").ToArray();
        var actual = OnnxRunner.Output<float>(OnnxRunner.Run(OnnxRunner.Export(ml, model, train), rows), "Score");
        Assert.IsTrue(expected.All(float.IsFinite), string.Join(", ", expected));
        Assert.IsTrue(expected.Any(s => s == MathF.Exp(80f)), $"no row reached the cap: {string.Join(", ", expected)}");
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.IsTrue(float.IsFinite(actual[i]), $"ONNX row {i}: {actual[i]}");
            Assert.IsLessThanOrEqualTo(1e-5, Math.Abs((double)actual[i] - expected[i]) / Math.Max(1, Math.Abs((double)expected[i])), $"row {i}: {expected[i]} vs {actual[i]}");
        }
    }
}
