using BnMlNet.Tests.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Tests.Embedding;

/// <summary>
/// A model with the periodic embedding through the ML.NET surface: the one-hot slots pass through, and Transform,
/// PredictionEngine and ONNX Runtime (Cos/Sin/MatMul/Relu in the exported graph) agree, on every task, with NaN rows too,
/// for a single network and for an ensemble of 3 members sharing the embedding.
/// </summary>
[TestClass]
public sealed class EmbeddingScoringTests
{
    private static List<OnnxRow> WithHoles(List<OnnxRow> rows)
    {
        for (int i = 0; i < rows.Count; i++)
        {
            if (i % 7 == 2) rows[i].X1 = float.NaN;
            if (i % 11 == 5) rows[i].X3 = float.PositiveInfinity;
        }
        return rows;
    }

    [TestMethod]
    [DataRow(OnnxTask.Binary, 1)]
    [DataRow(OnnxTask.Multiclass, 1)]
    [DataRow(OnnxTask.Regression, 1)]
    [DataRow(OnnxTask.Binary, 3)]
    [DataRow(OnnxTask.Multiclass, 3)]
    [DataRow(OnnxTask.Regression, 3)]
    public void TransformPredictionEngineAndOnnxRuntimeAgree(OnnxTask task, int ensembleSize)
    {
        var ml = new MLContext(seed: 1);
        var trainRows = WithHoles(OnnxTestData.Rows(192, 7));
        var testRows = WithHoles(OnnxTestData.Rows(64, 11));
        var train = ml.Data.LoadFromEnumerable(trainRows);
        var test = ml.Data.LoadFromEnumerable(testRows);
        var model = OnnxTestData.Pipeline(ml, task, new OnnxTestData.Net(Epochs: 4, EnsembleSize: ensembleSize, Embedding: NumericEmbedding.Periodic)).Fit(train);
        var parameters = OnnxTestData.ModelOf(model);
        Assert.AreEqual(ensembleSize, parameters.EnsembleSize, "the members share the one embedding");
        var embedding = parameters.Embedding ?? throw new AssertFailedException("the model has no embedding");
        // Features: 4 one-hot colour slots, X1, X2, X3, then X1's missing indicator: only X1..X3 are embedded.
        CollectionAssert.AreEqual(new[] { 4, 5, 6 }, embedding.Slots.ToArray(), "the numeric slots, not the one-hot ones or the indicator");
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3, 7 }, embedding.PassThroughSlots.ToArray());
        Assert.AreEqual(3 * 3 + 5, parameters.Layers[0].InputSize);

        byte[] onnx = OnnxRunner.Export(ml, model, train);
        OnnxParity.AssertOutputsMatch(ml, task, model, test, OnnxRunner.Run(onnx, testRows), $"{task} with the embedding");
        using (BatchNormMlpOnnxExport.FoldBatchNormalization())
            OnnxParity.AssertOutputsMatch(ml, task, model, test, OnnxRunner.Run(OnnxRunner.Export(ml, model, train), testRows), $"folded {task} with the embedding");
        var ops = OnnxProtoReader.Read(onnx).Nodes.Select(n => n.OpType).ToHashSet();
        foreach (var op in new[] { "Cos", "Sin", "MatMul", "Relu" })
            Assert.Contains(op, ops, $"{op} in the exported graph");

        if (task == OnnxTask.Multiclass)
        {
            var vectors = model.Transform(test).GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
            using var vectorEngine = ml.Model.CreatePredictionEngine<OnnxRow, ScoreVector>(model);
            for (int i = 0; i < testRows.Count; i++)
                CollectionAssert.AreEqual(vectors[i], vectorEngine.Predict(testRows[i]).Score, $"row {i}: PredictionEngine vs Transform, bit for bit");
            Assert.IsTrue(vectors.All(v => v.All(float.IsFinite)), "NaN and +∞ rows score finitely");
            return;
        }
        var scores = model.Transform(test).GetColumn<float>("Score").ToArray();
        using var engine = ml.Model.CreatePredictionEngine<OnnxRow, ScoreOnly>(model);
        for (int i = 0; i < testRows.Count; i++)
            Assert.AreEqual(scores[i], engine.Predict(testRows[i]).Score, $"row {i}: PredictionEngine vs Transform, bit for bit");
        Assert.IsTrue(scores.All(float.IsFinite), "NaN and +∞ rows score finitely");
    }

    private sealed class ScoreOnly
    {
        public float Score { get; set; }
    }

    private sealed class ScoreVector
    {
        public float[] Score { get; set; } = [];
    }
}
