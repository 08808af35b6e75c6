using BnMlNet.Engine;
using BnMlNet.Tests.Onnx;
using BnMlNet.Tests.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.MlNet;

/// <summary>
/// <see cref="BatchNormMlpOptionsBase.BatchNormLayers"/> and <see cref="BatchNormMlpOptionsBase.BatchNormHiddenLayers"/>: BN on
/// chosen hidden layers only. The layout of the trained network (by default BN on the last hidden layer only), Every = the
/// list of every index bit for bit, the errors, and a mixed network through save/load (fresh process), ONNX Runtime and
/// PredictionEngine with the payload format unchanged. (The training math of mixed networks against PyTorch is in
/// TorchParityTests, bn_variants.json.)
/// </summary>
[TestClass]
public sealed class BatchNormLayersTests
{
    private static BatchNormMlpBinaryTrainer.Options Options(int[]? layers, int[] hidden,
        BatchNormHiddenLayers automatic = BatchNormHiddenLayers.Last) => new()
    {
        HiddenLayerSizes = hidden, BatchNormLayers = layers, BatchNormHiddenLayers = automatic, NumberOfEpochs = 3, BatchSize = 32, Seed = 3,
        NumberOfThreads = 1,
    };

    private static float[] Scores(MLContext ml, IDataView train, IDataView test, BatchNormMlpBinaryTrainer.Options o)
        => FitBinary(ml, train, o).Transform(test).GetColumn<float>("Score").ToArray();

    private static (MLContext Ml, IDataView Train, IDataView Test, List<OnnxRow> TestRows) Data()
    {
        var ml = new MLContext(seed: 1);
        var (train, test, rows) = OnnxTestData.Split(ml);
        return (ml, train, test, rows);
    }

    private static IEstimator<ITransformer> BinaryPipeline(MLContext ml, BatchNormMlpBinaryTrainer.Options o) =>
        ml.Transforms.CopyColumns("Label", nameof(OnnxRow.IsPositive))
            .Append(ml.Transforms.Categorical.OneHotEncoding("ColorEncoded", nameof(OnnxRow.Color)))
            .Append(ml.Transforms.Concatenate("Features", "ColorEncoded", nameof(OnnxRow.X1), nameof(OnnxRow.X2), nameof(OnnxRow.X3)))
            .Append(ml.BinaryClassification.Trainers.BatchNormMlp(o));

    private static ITransformer FitBinary(MLContext ml, IDataView train, BatchNormMlpBinaryTrainer.Options o) => BinaryPipeline(ml, o).Fit(train);

    [TestMethod]
    public void OnlyTheChosenHiddenLayersGetBatchNormAndTheOthersABias()
    {
        var (ml, train, _, _) = Data();
        var model = OnnxTestData.ModelOf(FitBinary(ml, train, Options([1], [6, 5, 4])));
        var layers = model.Layers;
        Assert.HasCount(4, layers);
        // layer 0 and 2: Dense with bias → ReLU; layer 1: Dense without bias → BN → ReLU; the output: Dense with bias.
        Assert.IsNull(layers[0].BatchNorm);
        Assert.AreEqual(BatchNormPlacement.None, layers[0].Placement);
        Assert.IsNotNull(layers[0].Bias);
        Assert.IsNotNull(layers[1].BatchNorm);
        Assert.AreEqual(BatchNormPlacement.BeforeActivation, layers[1].Placement);
        Assert.IsNull(layers[1].Bias);
        Assert.IsNull(layers[2].BatchNorm);
        Assert.IsNotNull(layers[2].Bias);
        Assert.IsNotNull(layers[3].Bias);
        Assert.IsNotNull(model.InputBatchNorm, "the input batch norm is a separate option");
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(3)]
    public void TheDefaultPutsBatchNormOnTheLastHiddenLayerOnly(int hiddenLayers)
    {
        var (ml, train, _, _) = Data();
        int[] hidden = [.. Enumerable.Range(0, hiddenLayers).Select(i => 7 - i)];
        var o = new BatchNormMlpBinaryTrainer.Options { HiddenLayerSizes = hidden, NumberOfEpochs = 3, BatchSize = 32, Seed = 3, NumberOfThreads = 1 };
        Assert.IsNull(o.BatchNormLayers);
        Assert.AreEqual(BatchNormHiddenLayers.Last, o.BatchNormHiddenLayers);
        var layers = OnnxTestData.ModelOf(FitBinary(ml, train, o)).Layers;
        Assert.HasCount(hiddenLayers + 1, layers);
        for (int l = 0; l < hiddenLayers - 1; l++)
        {
            Assert.IsNull(layers[l].BatchNorm, $"hidden layer {l} of {hiddenLayers}: no running statistics");
            Assert.AreEqual(BatchNormPlacement.None, layers[l].Placement);
            Assert.IsNotNull(layers[l].Bias, $"hidden layer {l}: Dense with bias");
        }
        var last = layers[hiddenLayers - 1];
        Assert.IsNotNull(last.BatchNorm, "the last hidden layer has BN");
        Assert.AreEqual(BatchNormPlacement.BeforeActivation, last.Placement);
        Assert.IsNull(last.Bias, "BN before the activation drops the dense bias");
        Assert.IsTrue(last.BatchNorm!.RunningVariance.Any(v => v != 1f), "running statistics were collected");
        Assert.IsNull(layers[hiddenLayers].BatchNorm, "the output layer");
    }

    [TestMethod]
    public void EveryIsTheListOfEveryIndexAndTheDefaultTheLastIndexBitForBit()
    {
        var (ml, train, test, _) = Data();
        var every = Scores(ml, train, test, Options(null, [6, 5, 4], BatchNormHiddenLayers.Every));
        CollectionAssert.AreEqual(Scores(ml, train, test, Options([0, 1, 2], [6, 5, 4])), every);
        var automatic = Scores(ml, train, test, Options(null, [6, 5, 4]));
        CollectionAssert.AreEqual(Scores(ml, train, test, Options([2], [6, 5, 4])), automatic);
        CollectionAssert.AreNotEqual(every, automatic, "BN on one layer of three must be another network");
        var none = Scores(ml, train, test, Options([], [6, 5, 4]));
        CollectionAssert.AreNotEqual(automatic, none, "no hidden BN must be another network");
        // one hidden layer: last = first = every
        CollectionAssert.AreEqual(Scores(ml, train, test, Options(null, [6], BatchNormHiddenLayers.Every)), Scores(ml, train, test, Options(null, [6])));
        // the engine's own default (null) is every hidden layer: Every hands it null, so the engine spec is the old default's
        var o = Options(null, [6, 5], BatchNormHiddenLayers.Every);
        var model = OnnxTestData.ModelOf(FitBinary(ml, train, o));
        Assert.IsTrue(model.Layers.Take(2).All(l => l.BatchNorm is not null && l.Bias is null), "BN on both hidden layers, no dense bias");
    }

    [TestMethod]
    public void EveryWithAListAndAnUndefinedValueAreRefusedNamingTheOptions()
    {
        var ml = new MLContext(1);
        var e = Assert.Throws<ArgumentException>(() => ml.BinaryClassification.Trainers.BatchNormMlp(Options([0], [6, 5], BatchNormHiddenLayers.Every)));
        Assert.AreEqual(nameof(BatchNormMlpOptionsBase.BatchNormLayers), e.ParamName);
        StringAssert.Contains(e.Message, "BatchNormHiddenLayers is Every");
        StringAssert.Contains(e.Message, "give one or the other");
        var bad = Options(null, [6, 5], (BatchNormHiddenLayers)7);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.BatchNormMlp(bad));
        Assert.AreEqual(nameof(BatchNormMlpOptionsBase.BatchNormHiddenLayers), e2.ParamName);
        StringAssert.Contains(e2.Message, "7");
    }

    [TestMethod]
    public void EveryAndLastAreTheSameNetworkAsPlacementNoneWhenThePlacementIsNone()
    {
        var (ml, train, test, _) = Data();
        var last = Options(null, [6, 5]);
        last.BatchNormPlacement = BatchNormPlacement.None;
        var every = Options(null, [6, 5], BatchNormHiddenLayers.Every);
        every.BatchNormPlacement = BatchNormPlacement.None;
        var model = OnnxTestData.ModelOf(FitBinary(ml, train, last));
        Assert.IsTrue(model.Layers.All(l => l.BatchNorm is null), "no hidden BN");
        CollectionAssert.AreEqual(Scores(ml, train, test, every), Scores(ml, train, test, last));
    }

    [TestMethod]
    public void AnEmptyListIsTheSameNetworkAsPlacementNone()
    {
        var (ml, train, test, _) = Data();
        var empty = FitBinary(ml, train, Options([], [6, 5])).Transform(test).GetColumn<float>("Score").ToArray();
        var o = Options(null, [6, 5]);
        o.BatchNormPlacement = BatchNormPlacement.None;
        var none = FitBinary(ml, train, o).Transform(test).GetColumn<float>("Score").ToArray();
        CollectionAssert.AreEqual(none, empty);
    }

    [TestMethod]
    [DataRow(new[] { 2 }, "BatchNormLayers[0] is 2; it must be in [0, 1] (a 0-based index into the 2 hidden layers)")]
    [DataRow(new[] { 0, -1 }, "BatchNormLayers[1] is -1; it must be in [0, 1]")]
    [DataRow(new[] { 1, 1 }, "BatchNormLayers[1] is 1, which BatchNormLayers already lists")]
    public void BadIndicesAreRefusedNamingTheOptionAndValue(int[] layers, string message)
    {
        var ml = new MLContext(1);
        var e = Assert.Throws<ArgumentException>(() => ml.BinaryClassification.Trainers.BatchNormMlp(Options(layers, [6, 5])));
        Assert.AreEqual(nameof(BatchNormMlpOptionsBase.BatchNormLayers), e.ParamName);
        StringAssert.Contains(e.Message, message);
        // the engine's own check, same rule
        var spec = new NetworkSpec(3, [6, 5], 1) { BatchNormLayers = layers };
        var engine = Assert.Throws<ArgumentException>(() => spec.Validate());
        Assert.AreEqual(nameof(NetworkSpec.BatchNormLayers), engine.ParamName);
        StringAssert.Contains(engine.Message, message);
    }

    [TestMethod]
    public void ListedLayersWithoutAPlacementAreRefused()
    {
        var o = Options([0], [6, 5]);
        o.BatchNormPlacement = BatchNormPlacement.None;
        var e = Assert.Throws<ArgumentException>(() => new MLContext(1).BinaryClassification.Trainers.BatchNormMlp(o));
        Assert.AreEqual(nameof(BatchNormMlpOptionsBase.BatchNormLayers), e.ParamName);
        StringAssert.Contains(e.Message, "BatchNormPlacement is None");
        var linear = Options([0], []);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext(1).BinaryClassification.Trainers.BatchNormMlp(linear));
        StringAssert.Contains(e2.Message, "the network has no hidden layer");
    }

    [TestMethod]
    public void AnOptionSpoiledAfterCreationFailsFit()
    {
        var (ml, train, _, _) = Data();
        var o = Options(null, [6, 5]);
        var pipeline = BinaryPipeline(ml, o);
        o.BatchNormLayers = [5];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.Fit(train));
        Assert.AreEqual(nameof(BatchNormMlpOptionsBase.BatchNormLayers), e.ParamName);
    }

    public static IEnumerable<object[]> MixedNetworks =>
        from task in Enum.GetValues<OnnxTask>()
        from layers in new[] { new[] { 0 }, new[] { 1 } }
        from placement in new[] { BatchNormPlacement.BeforeActivation, BatchNormPlacement.AfterActivation }
        select new object[] { task, layers, placement };

    [TestMethod]
    [DynamicData(nameof(MixedNetworks))]
    public void AMixedNetworkExportsToOnnxWithTheSameOutputs(OnnxTask task, int[] layers, BatchNormPlacement placement)
    {
        var (ml, train, test, rows) = Data();
        var model = OnnxTestData.Pipeline(ml, task, new OnnxTestData.Net(Activation.Gelu, Placement: placement, BatchNormLayers: layers)).Fit(train);
        byte[] onnx = OnnxRunner.Export(ml, model, train);
        OnnxParity.AssertOutputsMatch(ml, task, model, test, OnnxRunner.Run(onnx, rows), $"{task}/BN on layer {layers[0]}/{placement}");
        int bnNodes = OnnxProtoReader.Read(onnx).Nodes.Count(n => n.OpType == "BatchNormalization");
        Assert.AreEqual(2, bnNodes, "the input BN and the one chosen hidden layer");
    }

    [TestMethod]
    [DataRow(OnnxTask.Binary)]
    [DataRow(OnnxTask.Multiclass)]
    [DataRow(OnnxTask.Regression)]
    public void AMixedNetworkRoundTripsInAFreshProcessBitForBitWithTheSamePayloadVersion(OnnxTask task)
    {
        var (ml, train, test, _) = Data();
        var model = OnnxTestData.Pipeline(ml, task, new OnnxTestData.Net(BatchNormLayers: [1])).Fit(train);
        var reference = OnnxTestData.Pipeline(ml, task, new OnnxTestData.Net(HiddenBatchNorm: BatchNormHiddenLayers.Every)).Fit(train);
        string dir = Directory.CreateTempSubdirectory("bnmlnet-bnlayers-").FullName;
        try
        {
            string modelPath = Path.Combine(dir, "model.zip"), inputPath = Path.Combine(dir, "input.idv"), outputPath = Path.Combine(dir, "output.idv");
            ml.Model.Save(model, train.Schema, modelPath);
            using (var input = File.Create(inputPath)) ml.Data.SaveAsBinary(test, input);
            FreshProcess.Score(modelPath, inputPath, outputPath);
            var expected = model.Transform(test);
            var actual = new MLContext().Data.LoadFromBinary(outputPath);
            if (task == OnnxTask.Multiclass)
                CollectionAssert.AreEqual(expected.GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()).ToArray(),
                    actual.GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()).ToArray());
            else
                CollectionAssert.AreEqual(expected.GetColumn<float>("Score").ToArray(), actual.GetColumn<float>("Score").ToArray());

            // The payload format is the one every model without newer features is written in: same version field as the all-BN model.
            byte[] mixedEntry = ModelZip.FindOurEntry(File.ReadAllBytes(modelPath)).Bytes;
            byte[] referenceEntry = ModelZip.FindOurEntry(ModelZip.Save(ml, reference, train.Schema)).Bytes;
            static int Version(byte[] entry) => BitConverter.ToInt32(entry, ModelZip.PayloadStart(entry) + 8);   // after the 8-byte magic
            Assert.AreEqual(Version(referenceEntry), Version(mixedEntry), "payload version");
            Assert.IsLessThanOrEqualTo(5, Version(mixedEntry), "no payload version beyond v5");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void PredictionEngineScoresAMixedNetworkAsTransformDoes()
    {
        var (ml, train, test, rows) = Data();
        var model = OnnxTestData.Pipeline(ml, OnnxTask.Binary, new OnnxTestData.Net(BatchNormLayers: [0])).Fit(train);
        var scores = model.Transform(test).GetColumn<float>("Score").ToArray();
        var probabilities = model.Transform(test).GetColumn<float>("Probability").ToArray();
        using var engine = ml.Model.CreatePredictionEngine<OnnxRow, BinaryOutput>(model);
        for (int i = 0; i < rows.Count; i++)
        {
            var p = engine.Predict(rows[i]);
            Assert.AreEqual(scores[i], p.Score, $"row {i} score");
            Assert.AreEqual(probabilities[i], p.Probability, $"row {i} probability");
        }
    }

    private sealed class BinaryOutput
    {
        public float Score { get; set; }
        public float Probability { get; set; }
    }
}
