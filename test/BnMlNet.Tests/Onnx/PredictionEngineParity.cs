using Microsoft.ML;

namespace BnMlNet.Tests.Onnx;

/// <summary>PredictionEngine against Transform on the ONNX test rows, bit for bit.</summary>
internal static class PredictionEngineParity
{
    /// <summary>
    /// Each of <paramref name="testRows"/> through a PredictionEngine of <paramref name="model"/> must give exactly its
    /// Transform score in <paramref name="scores"/> (the class scores of a row, [rows×classes], for multiclass).
    /// </summary>
    public static void AssertMatchesTransform(MLContext ml, ITransformer model, IReadOnlyList<OnnxRow> testRows, float[] scores, OnnxTask task)
    {
        int width = task == OnnxTask.Multiclass ? OnnxTestData.ClassCount : 1;
        if (task == OnnxTask.Multiclass)
        {
            using var engine = ml.Model.CreatePredictionEngine<OnnxRow, VectorScore>(model);
            for (int i = 0; i < testRows.Count; i++)
                CollectionAssert.AreEqual(scores.AsSpan(i * width, width).ToArray(), engine.Predict(testRows[i]).Score, $"row {i}: PredictionEngine vs Transform");
        }
        else
        {
            using var engine = ml.Model.CreatePredictionEngine<OnnxRow, ScalarScore>(model);
            for (int i = 0; i < testRows.Count; i++)
                Assert.AreEqual(scores[i], engine.Predict(testRows[i]).Score, $"row {i}: PredictionEngine vs Transform, bit for bit");
        }
    }

    private sealed class ScalarScore
    {
        public float Score { get; set; }
    }

    private sealed class VectorScore
    {
        public float[] Score { get; set; } = [];
    }
}
