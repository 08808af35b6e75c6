using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.MlNet;

/// <summary>Missing or wrongly typed columns fail at GetOutputSchema and Fit, naming the column and both types.</summary>
[TestClass]
public sealed class SchemaErrorTests
{
    private sealed class TextFeatures { public string Features { get; set; } = "a"; public bool Label { get; set; } }
    private sealed class FloatLabel { [VectorType(2)] public float[] Features { get; set; } = [1, 2]; public float Label { get; set; } }
    private sealed class BoolLabel { [VectorType(2)] public float[] Features { get; set; } = [1, 2]; public bool Label { get; set; } }
    private sealed class DoubleFeatures { [VectorType(2)] public double[] Features { get; set; } = [1, 2]; public bool Label { get; set; } }
    private sealed class NoLabel { [VectorType(2)] public float[] Features { get; set; } = [1, 2]; }

    /// <summary>ML.NET keeps SchemaShape.Create internal; pipelines call it the same way before GetOutputSchema.</summary>
    private static SchemaShape ShapeOf(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public, [typeof(DataViewSchema)])!
            .Invoke(null, [schema])!;

    private static IDataView View<T>(MLContext ml) where T : class, new() => ml.Data.LoadFromEnumerable(new[] { new T(), new T(), new T() });

    private static void AssertBothFail(IEstimator<ITransformer> trainer, IDataView data, params string[] fragments)
    {
        var schemaError = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainer.GetOutputSchema(ShapeOf(data.Schema)));
        var fitError = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainer.Fit(data));
        foreach (string f in fragments)
        {
            StringAssert.Contains(schemaError.Message, f);
            StringAssert.Contains(fitError.Message, f);
        }
    }

    [TestMethod]
    public void TextFeaturesNameColumnAndTypes()
    {
        var ml = new MLContext(1);
        AssertBothFail(ml.BinaryClassification.Trainers.BatchNormMlp(), View<TextFeatures>(ml), "'Features'", "Vector<Single>", "String");
    }

    [TestMethod]
    public void DoubleFeatureVectorIsRejected()
    {
        var ml = new MLContext(1);
        AssertBothFail(ml.BinaryClassification.Trainers.BatchNormMlp(), View<DoubleFeatures>(ml), "'Features'", "Vector<Single>", "Double");
    }

    [TestMethod]
    public void MissingFeatureColumnIsNamed()
    {
        var ml = new MLContext(1);
        AssertBothFail(ml.Regression.Trainers.BatchNormMlp(featureColumnName: "Pixels"), View<FloatLabel>(ml), "'Pixels'");
    }

    [TestMethod]
    public void MissingLabelColumnIsNamed()
    {
        var ml = new MLContext(1);
        AssertBothFail(ml.Regression.Trainers.BatchNormMlp(), View<NoLabel>(ml), "'Label'");
    }

    [TestMethod]
    public void MissingWeightColumnIsNamed()
    {
        var ml = new MLContext(1);
        AssertBothFail(ml.Regression.Trainers.BatchNormMlp(exampleWeightColumnName: "Weight"), View<FloatLabel>(ml), "'Weight'");
    }

    [TestMethod]
    public void BinaryLabelThatIsNotBooleanNamesTypes()
    {
        var ml = new MLContext(1);
        AssertBothFail(ml.BinaryClassification.Trainers.BatchNormMlp(), View<FloatLabel>(ml), "'Label'", "Boolean", "Single");
    }

    [TestMethod]
    public void RegressionLabelThatIsNotSingleNamesTypes()
    {
        var ml = new MLContext(1);
        AssertBothFail(ml.Regression.Trainers.BatchNormMlp(), View<BoolLabel>(ml), "'Label'", "Single", "Boolean");
    }

    [TestMethod]
    public void MulticlassLabelThatIsNotAKeySuggestsMapValueToKey()
    {
        var ml = new MLContext(1);
        AssertBothFail(ml.MulticlassClassification.Trainers.BatchNormMlp(), View<FloatLabel>(ml), "'Label'", "Key", "Single", "MapValueToKey");
    }

    [TestMethod]
    public void MulticlassLabelWithOneClassIsRejected()
    {
        var ml = new MLContext(1);
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(View<FloatLabel>(ml)).Transform(View<FloatLabel>(ml));
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.BatchNormMlp().Fit(data));
        StringAssert.Contains(error.Message, "at least 2");
    }

    [TestMethod]
    public void MulticlassValidationSetWithOtherClassesIsRejectedBeforeTraining()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 30).Select(i => new FloatLabel { Features = [i, -i], Label = i % 3 }).ToArray());
        var valid = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(i => new FloatLabel { Features = [i, -i], Label = i % 2 }).ToArray());
        // Each set keyed by its own MapValueToKey: 3 classes against 2.
        var keyedTrain = ml.Transforms.Conversion.MapValueToKey("Label").Fit(train).Transform(train);
        var keyedValid = ml.Transforms.Conversion.MapValueToKey("Label").Fit(valid).Transform(valid);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => ml.MulticlassClassification.Trainers.BatchNormMlp(numberOfEpochs: 1).Fit(keyedTrain, keyedValid));
        StringAssert.Contains(error.Message, "validation");
        StringAssert.Contains(error.Message, "2 outputs");
        StringAssert.Contains(error.Message, "3");
    }

    [TestMethod]
    public void ScoringVectorOfAnotherLengthIsRejected()
    {
        var ml = new MLContext(1);
        var rows = Enumerable.Range(0, 40).Select(i => new FloatLabel { Features = [i, -i], Label = i }).ToArray();
        var model = ml.Regression.Trainers.BatchNormMlp(numberOfEpochs: 1).Fit(ml.Data.LoadFromEnumerable(rows));
        var other = ml.Data.LoadFromEnumerable(new[] { new { Features = new float[] { 1, 2, 3 } } }.Select(r => new ThreeFeatures { Features = r.Features }));
        // ML.NET's scorer refuses the binding, naming both vector types.
        var error = Assert.Throws<Exception>(() => model.Transform(other).GetColumn<float>("Score").ToArray());
        StringAssert.Contains(error.Message, "Vector<Single, 3>");
        StringAssert.Contains(error.Message, "Vector<Single, 2>");
    }

    private sealed class ThreeFeatures { [VectorType(3)] public float[] Features { get; set; } = [0, 0, 0]; }
}
