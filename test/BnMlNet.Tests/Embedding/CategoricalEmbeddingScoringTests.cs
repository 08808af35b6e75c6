using BnMlNet.MlNet.Data;
using BnMlNet.Tests.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Tests.Embedding;

/// <summary>
/// The categorical embedding through the ML.NET surface: the annotation OneHotEncoding writes is read (and a malformed
/// one is an error naming the column), the option changes the model only where a block qualifies, and Transform,
/// PredictionEngine and ONNX Runtime agree on every task, also with the numerical embedding and with an ensemble.
/// </summary>
[TestClass]
public sealed class CategoricalEmbeddingScoringTests
{
    private static float[] AllScores(MLContext ml, ITransformer model, IDataView data, OnnxTask task)
    {
        var scored = model.Transform(data);
        return task == OnnxTask.Multiclass
            ? scored.GetColumn<float[]>("Score").SelectMany(s => s).ToArray()
            : scored.GetColumn<float>("Score").ToArray();
    }

    [TestMethod]
    public void TheAnnotationOneHotEncodingWritesAndConcatenateKeeps_IsRead()
    {
        var ml = new MLContext(seed: 1);
        var (train, _, _) = OnnxTestData.Split(ml);
        var featurized = ml.Transforms.Categorical.OneHotEncoding("ColorEncoded", nameof(OnnxRow.Color))
            .Append(ml.Transforms.Concatenate("Features", nameof(OnnxRow.X1), "ColorEncoded", nameof(OnnxRow.X2)))
            .Fit(train).Transform(train);
        var blocks = CategoricalSlotRanges.Read(featurized.Schema["Features"], 6);
        CollectionAssert.AreEqual(new[] { new BnMlNet.Engine.CategoricalBlock(1, 4) }, blocks, "the 4 colour slots after X1");
        Assert.IsEmpty(CategoricalSlotRanges.Read(featurized.Schema[nameof(OnnxRow.X1)], 1), "no annotation: no blocks");
    }

    [TestMethod]
    [DataRow(new[] { 0, 3, 5 }, "even count")]
    [DataRow(new[] { 2, 1 }, "range 0 is [2, 1]")]
    [DataRow(new[] { 0, 6 }, "end < 6")]
    [DataRow(new[] { -1, 2 }, "range 0 is [-1, 2]")]
    [DataRow(new[] { 0, 2, 2, 4 }, "must not overlap")]
    [DataRow(new[] { 3, 4, 0, 1 }, "ascending")]
    public void AMalformedAnnotationIsAClearErrorNamingTheColumn(int[] ranges, string expected)
    {
        var ml = new MLContext(seed: 1);
        var definition = SchemaDefinition.Create(typeof(AnnotatedRow));
        definition[nameof(AnnotatedRow.Features)].AddAnnotation("CategoricalSlotRanges",   // AnnotationUtils.Kinds.CategoricalSlotRanges (internal)
            new VBuffer<int>(ranges.Length, ranges), new VectorDataViewType(NumberDataViewType.Int32, ranges.Length));
        var rows = Enumerable.Range(0, 40).Select(i => new AnnotatedRow { Features = [i % 2, 1 - i % 2, i, 0, 1, i % 3], Label = i % 2 == 0 }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows, definition);
        var trainer = ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options
        {
            CategoricalEmbedding = CategoricalEmbedding.Learned, NumberOfEpochs = 1, HiddenLayerSizes = [4], NumberOfThreads = 1, Seed = 1,
        });
        var e = Assert.ThrowsExactly<ArgumentException>(() => trainer.Fit(data));
        StringAssert.Contains(e.Message, "feature column 'Features'");
        StringAssert.Contains(e.Message, "CategoricalSlotRanges");
        StringAssert.Contains(e.Message, expected);
        var off = ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options { CategoricalEmbedding = CategoricalEmbedding.None, NumberOfEpochs = 1, HiddenLayerSizes = [4], NumberOfThreads = 1, Seed = 1 });
        Assert.IsNotNull(off.Fit(data), "with the option off the annotation is not read");
    }

    [TestMethod]
    [DataRow(OnnxTask.Binary)]
    [DataRow(OnnxTask.Multiclass)]
    [DataRow(OnnxTask.Regression)]
    public void TheOptionChangesTheModel_OnlyWhenABlockHasEnoughLevels(OnnxTask task)
    {
        var ml = new MLContext(seed: 1);
        var (train, test, _) = OnnxTestData.Split(ml);
        var off = AllScores(ml, OnnxTestData.Pipeline(ml, task, new OnnxTestData.Net(Epochs: 3)).Fit(train), test, task);
        var on = AllScores(ml, OnnxTestData.Pipeline(ml, task, new OnnxTestData.Net(Epochs: 3, Categorical: CategoricalEmbedding.Learned)).Fit(train), test, task);
        CollectionAssert.AreNotEqual(off, on, "the 4-level colour block is embedded");
        Assert.IsTrue(on.All(float.IsFinite));
        // A threshold above the block's 4 levels: the block passes through and the model is the one without the option, bit for bit.
        var above = AllScores(ml, Threshold(ml, task, 5).Fit(train), test, task);
        CollectionAssert.AreEqual(off, above, "blocks under the threshold pass through unchanged");
    }

    /// <summary>The <see cref="OnnxTestData.Pipeline"/> with the categorical embedding on and its level threshold at <paramref name="minimumLevels"/>.</summary>
    private static IEstimator<ITransformer> Threshold(MLContext ml, OnnxTask task, int minimumLevels)
    {
        var features = ml.Transforms.Categorical.OneHotEncoding("ColorEncoded", nameof(OnnxRow.Color))
            .Append(ml.Transforms.Concatenate("Features", "ColorEncoded", nameof(OnnxRow.X1), nameof(OnnxRow.X2), nameof(OnnxRow.X3)));
        T Set<T>(T o) where T : BatchNormMlpOptionsBase
        {
            o.EnsembleSize = 1; o.HiddenLayerSizes = [6, 5]; o.NumberOfEpochs = 3; o.BatchSize = 32; o.LearningRate = 0.01f; o.Seed = 5; o.NumberOfThreads = 1;
            o.InputBatchNorm = true; o.LeakyReluSlope = 0.05f; o.EmbeddingFrequencies = 5; o.EmbeddingDimension = 3;
            o.CategoricalEmbedding = CategoricalEmbedding.Learned; o.CategoricalEmbeddingDimension = 2; o.CategoricalEmbeddingMinimumLevels = minimumLevels;
            return o;
        }
        return task switch
        {
            OnnxTask.Binary => ml.Transforms.CopyColumns("Label", nameof(OnnxRow.IsPositive)).Append(features)
                .Append(ml.BinaryClassification.Trainers.BatchNormMlp(Set(new BatchNormMlpBinaryTrainer.Options()))),
            OnnxTask.Multiclass => ml.Transforms.Conversion.MapValueToKey("Label", nameof(OnnxRow.Class)).Append(features)
                .Append(ml.MulticlassClassification.Trainers.BatchNormMlp(Set(new BatchNormMlpMulticlassTrainer.Options())))
                .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel")),
            _ => ml.Transforms.CopyColumns("Label", nameof(OnnxRow.Target)).Append(features)
                .Append(ml.Regression.Trainers.BatchNormMlp(Set(new BatchNormMlpRegressionTrainer.Options()))),
        };
    }

    [TestMethod]
    [DataRow(OnnxTask.Binary, NumericEmbedding.None, 1)]
    [DataRow(OnnxTask.Multiclass, NumericEmbedding.None, 1)]
    [DataRow(OnnxTask.Regression, NumericEmbedding.None, 1)]
    [DataRow(OnnxTask.Binary, NumericEmbedding.Periodic, 1)]
    [DataRow(OnnxTask.Regression, NumericEmbedding.Periodic, 1)]
    [DataRow(OnnxTask.Multiclass, NumericEmbedding.None, 3)]
    public void TransformPredictionEngineAndOnnxRuntimeAgree(OnnxTask task, NumericEmbedding numeric, int members)
    {
        var ml = new MLContext(seed: 1);
        var (train, test, testRows) = OnnxTestData.Split(ml);
        var net = new OnnxTestData.Net(Epochs: 4, Embedding: numeric, EnsembleSize: members, Categorical: CategoricalEmbedding.Learned);
        var model = OnnxTestData.Pipeline(ml, task, net).Fit(train);
        var parameters = OnnxTestData.ModelOf(model);
        // Folded: the first layer takes the 7 input slots (4 colour, X1..X3) or the numerical embedding's output.
        Assert.AreEqual(numeric == NumericEmbedding.None ? 7 : 3 * 3 + 4, parameters.Layers[0].InputSize);
        if (numeric != NumericEmbedding.None)
            CollectionAssert.AreEqual(new[] { 4, 5, 6 }, parameters.Embedding!.Slots.ToArray(), "the colour block is not numerically embedded");

        byte[] onnx = OnnxRunner.Export(ml, model, train);
        OnnxParity.AssertOutputsMatch(ml, task, model, test, OnnxRunner.Run(onnx, testRows), $"{task} with the categorical embedding");
        using (BatchNormMlpOnnxExport.FoldBatchNormalization())
            OnnxParity.AssertOutputsMatch(ml, task, model, test, OnnxRunner.Run(OnnxRunner.Export(ml, model, train), testRows), $"folded {task}");

        var scores = AllScores(ml, model, test, task);
        PredictionEngineParity.AssertMatchesTransform(ml, model, testRows, scores, task);
    }

    private sealed class AnnotatedRow
    {
        [VectorType(6)] public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }
}
