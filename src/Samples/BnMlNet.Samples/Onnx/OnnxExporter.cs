using Microsoft.ML;

namespace BnMlNet.Samples.Onnx;

/// <summary>Writes a fitted pipeline as ONNX through ML.NET's converter.</summary>
public static class OnnxExporter
{
    /// <summary>
    /// The ONNX bytes of <paramref name="model"/>; <paramref name="data"/> supplies the input schema (its columns
    /// become the graph's inputs, so pass only the columns the model reads).
    /// </summary>
    public static byte[] Export(MLContext ml, ITransformer model, IDataView data, int opset, bool foldBatchNorm)
    {
        using var stream = new MemoryStream();
        using (foldBatchNorm ? BatchNormMlpOnnxExport.FoldBatchNormalization() : null)
            ml.Model.ConvertToOnnx(model, data, opset, stream);
        return stream.ToArray();
    }
}
