using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace BnMlNet.Tests.Onnx;

/// <summary>Exports a fitted pipeline with ML.NET's converter and scores rows with ONNX Runtime directly.</summary>
internal static class OnnxRunner
{
    public static byte[] Export(MLContext ml, ITransformer model, IDataView data, int? opSet = null)
    {
        using var stream = new MemoryStream();
        if (opSet is { } v) ml.Model.ConvertToOnnx(model, data, v, stream);
        else ml.Model.ConvertToOnnx(model, data, stream);
        return stream.ToArray();
    }

    /// <summary>
    /// Runs the model on all rows in one batch. Every graph input is an ML.NET input column, fed as an [N, 1] tensor
    /// from the property of the same name. Returns each output by name (e.g. "Score.output") as a flat array, row-major.
    /// </summary>
    public static Dictionary<string, Array> Run(byte[] model, IReadOnlyList<OnnxRow> rows)
    {
        using var session = new InferenceSession(model);
        var inputs = new List<NamedOnnxValue>();
        foreach (var (name, meta) in session.InputMetadata)
        {
            var property = typeof(OnnxRow).GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new InvalidOperationException($"The ONNX model has an input '{name}' the test rows do not have.");
            int[] shape = [rows.Count, 1];
            inputs.Add(meta.ElementType switch
            {
                Type t when t == typeof(float) => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(rows.Select(r => (float)property.GetValue(r)!).ToArray(), shape)),
                Type t when t == typeof(bool) => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<bool>(rows.Select(r => (bool)property.GetValue(r)!).ToArray(), shape)),
                Type t when t == typeof(string) => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(rows.Select(r => (string)property.GetValue(r)!).ToArray(), shape)),
                var t => throw new NotSupportedException($"Input '{name}' has element type {t}."),
            });
        }
        using var results = session.Run(inputs);
        var outputs = new Dictionary<string, Array>();
        foreach (var result in results)
        {
            outputs[result.Name] = result.Value switch
            {
                Tensor<float> t => t.ToArray(),
                Tensor<uint> t => t.ToArray(),
                Tensor<bool> t => t.ToArray(),
                Tensor<long> t => t.ToArray(),
                Tensor<string> t => t.ToArray(),
                _ => Array.Empty<object>(),
            };
        }
        return outputs;
    }

    public static T[] Output<T>(Dictionary<string, Array> outputs, string column) =>
        outputs.TryGetValue(column + ".output", out var a) ? (T[])a
            : throw new KeyNotFoundException($"No ONNX output for column '{column}'; outputs: {string.Join(", ", outputs.Keys)}.");
}
