using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Onnx;

/// <summary>
/// ConvertToOnnx of whole pipelines (label preparation, OneHotEncoding, Concatenate, the BN-MLP) for every task,
/// activation and placement: ONNX Runtime's outputs against the ML.NET model's, and the re-imported model's metrics.
/// </summary>
[TestClass]
public sealed class OnnxExportTests
{
    private static readonly Activation[] HiddenActivations =
        [Activation.Relu, Activation.LeakyRelu, Activation.Tanh, Activation.Sigmoid, Activation.Gelu, Activation.Elu, Activation.Silu, Activation.Softplus];

    public static IEnumerable<object[]> TaskActivationInputBn =>
        from task in Enum.GetValues<OnnxTask>()
        from activation in HiddenActivations
        from inputBn in new[] { true, false }
        select new object[] { task, activation, inputBn };

    public static IEnumerable<object[]> TaskPlacement =>
        from task in Enum.GetValues<OnnxTask>()
        from placement in Enum.GetValues<BatchNormPlacement>()
        select new object[] { task, placement };

    [TestMethod]
    [DynamicData(nameof(TaskActivationInputBn))]
    public void ExportMatchesTheModelAndReimportsWithEqualMetrics(OnnxTask task, Activation activation, bool inputBatchNorm)
    {
        var ml = new MLContext(seed: 1);
        var (train, test, testRows) = OnnxTestData.Split(ml);
        var model = OnnxTestData.Pipeline(ml, task, new OnnxTestData.Net(activation, inputBatchNorm)).Fit(train);

        byte[] onnx = OnnxRunner.Export(ml, model, train);
        OnnxParity.AssertOutputsMatch(ml, task, model, test, OnnxRunner.Run(onnx, testRows), $"{task}/{activation}/inputBN={inputBatchNorm}");
        OnnxParity.AssertReimportedMetricsMatch(ml, task, model, test, onnx);
    }

    [TestMethod]
    [DynamicData(nameof(TaskPlacement))]
    public void EveryBatchNormPlacementExports(OnnxTask task, BatchNormPlacement placement)
    {
        var ml = new MLContext(seed: 1);
        var (train, test, testRows) = OnnxTestData.Split(ml);
        var model = OnnxTestData.Pipeline(ml, task, new OnnxTestData.Net(Activation.Gelu, Placement: placement)).Fit(train);

        byte[] onnx = OnnxRunner.Export(ml, model, train);
        OnnxParity.AssertOutputsMatch(ml, task, model, test, OnnxRunner.Run(onnx, testRows), $"{task}/{placement}");

        var graph = OnnxProtoReader.Read(onnx);
        int expectedBn = 1 + (placement == BatchNormPlacement.None ? 0 : 1); // input BN + the last hidden block's (the default since round 12)
        Assert.AreEqual(expectedBn, graph.Nodes.Count(n => n.OpType == "BatchNormalization"), "BatchNormalization nodes");
    }

    [TestMethod]
    [DynamicData(nameof(TaskPlacement))]
    public void FoldedExportGivesTheSameOutputsWithoutBatchNormalizationNodes(OnnxTask task, BatchNormPlacement placement)
    {
        var ml = new MLContext(seed: 1);
        var (train, test, testRows) = OnnxTestData.Split(ml);
        var model = OnnxTestData.Pipeline(ml, task, new OnnxTestData.Net(Activation.Silu, Placement: placement)).Fit(train);

        byte[] unfolded = OnnxRunner.Export(ml, model, train);
        byte[] folded;
        using (BatchNormMlpOnnxExport.FoldBatchNormalization())
        {
            Assert.IsTrue(BatchNormMlpOnnxExport.FoldsBatchNormalization);
            folded = OnnxRunner.Export(ml, model, train);
        }
        Assert.IsFalse(BatchNormMlpOnnxExport.FoldsBatchNormalization, "the scope restores the default");

        Assert.IsFalse(OnnxProtoReader.Read(folded).Nodes.Any(n => n.OpType == "BatchNormalization"), "folded graph has no BatchNormalization");
        var foldedOutputs = OnnxRunner.Run(folded, testRows);
        OnnxParity.AssertOutputsMatch(ml, task, model, test, foldedOutputs, $"folded {task}/{placement}");
        var unfoldedOutputs = OnnxRunner.Run(unfolded, testRows);
        OnnxParity.AssertClose(OnnxRunner.Output<float>(unfoldedOutputs, "Score"), OnnxRunner.Output<float>(foldedOutputs, "Score"), "folded vs unfolded Score");
    }

    [TestMethod]
    [DataRow(9)]
    [DataRow(10)]
    [DataRow(11)]
    [DataRow(12)]
    public void EveryOpsetTheConverterAllowsWorks(int opSet)
    {
        var ml = new MLContext(seed: 1);
        var (train, test, testRows) = OnnxTestData.Split(ml);
        var model = OnnxTestData.Pipeline(ml, OnnxTask.Multiclass, new OnnxTestData.Net(Activation.Gelu)).Fit(train);

        byte[] onnx = OnnxRunner.Export(ml, model, train, opSet);
        Assert.AreEqual(opSet, OnnxProtoReader.Read(onnx).OpsetImports[""], "ai.onnx opset");
        OnnxParity.AssertOutputsMatch(ml, OnnxTask.Multiclass, model, test, OnnxRunner.Run(onnx, testRows), $"opset {opSet}");
    }

    [TestMethod]
    [DataRow(8)]
    [DataRow(13)]
    public void AnOpsetOutsideNineToTwelveIsRejectedWithAClearMessage(int opSet)
    {
        var ml = new MLContext(seed: 1);
        var (train, _, _) = OnnxTestData.Split(ml);
        var model = OnnxTestData.Pipeline(ml, OnnxTask.Regression, new OnnxTestData.Net()).Fit(train);

        var e = Assert.Throws<ArgumentException>(() => OnnxRunner.Export(ml, model, train, opSet));
        StringAssert.Contains(e.Message, $"Requested OpSet version {opSet}");
    }

    [TestMethod]
    public void ABinaryThresholdChangedInMlNetIsExported()
    {
        var ml = new MLContext(seed: 1);
        var (train, test, testRows) = OnnxTestData.Split(ml);
        var chain = (TransformerChain<BinaryPredictionTransformer<BatchNormMlpModelParameters>>)
            OnnxTestData.Pipeline(ml, OnnxTask.Binary, new OnnxTestData.Net()).Fit(train);
        var featurizer = new TransformerChain<ITransformer>(chain.Take(chain.Count() - 1).ToArray());
        var thresholded = ml.BinaryClassification.ChangeModelThreshold(chain.LastTransformer, 0.75f);
        var model = featurizer.Append(thresholded);

        var onnx = OnnxRunner.Run(OnnxRunner.Export(ml, model, train), testRows);
        OnnxParity.AssertOutputsMatch(ml, OnnxTask.Binary, model, test, onnx, "threshold 0.75");
        var scores = OnnxRunner.Output<float>(onnx, "Score");
        CollectionAssert.AreEqual(scores.Select(s => s > 0.75f).ToArray(), OnnxRunner.Output<bool>(onnx, "PredictedLabel"));
        Assert.IsTrue(scores.Any(s => s > 0 && s <= 0.75f), "some rows lie between the default and the changed threshold");
    }
    [TestMethod]
    public void AServingModelExportedFromFeatureColumnsTakesOnlyThoseInputs()
    {
        var ml = new MLContext(seed: 1);
        var (train, test, testRows) = OnnxTestData.Split(ml);
        // The label is prepared outside the exported chain, so the graph needs no label input.
        var labeled = ml.Transforms.CopyColumns("Label", nameof(OnnxRow.IsPositive)).Fit(train).Transform(train);
        var model = ml.Transforms.Categorical.OneHotEncoding("ColorEncoded", nameof(OnnxRow.Color))
            .Append(ml.Transforms.Concatenate("Features", "ColorEncoded", nameof(OnnxRow.X1), nameof(OnnxRow.X2), nameof(OnnxRow.X3)))
            .Append(ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options
                { HiddenLayerSizes = [6], NumberOfEpochs = 2, BatchSize = 32, Seed = 5, NumberOfThreads = 1 }))
            .Fit(labeled);
        var featuresOnly = ml.Data.LoadFromEnumerable(testRows.Select(r => new ServingRow { Color = r.Color, X1 = r.X1, X2 = r.X2, X3 = r.X3 }));

        byte[] onnx = OnnxRunner.Export(ml, model, featuresOnly);
        using (var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx))
            CollectionAssert.AreEquivalent(new[] { "Color", "X1", "X2", "X3" }, session.InputMetadata.Keys.ToArray());
        var outputs = OnnxRunner.Run(onnx, testRows);
        OnnxParity.AssertClose(model.Transform(test).GetColumn<float>("Probability").ToArray(), OnnxRunner.Output<float>(outputs, "Probability"), "Probability");
    }

    public sealed class ServingRow
    {
        public string Color { get; set; } = "";
        public float X1 { get; set; }
        public float X2 { get; set; }
        public float X3 { get; set; }
    }
}
