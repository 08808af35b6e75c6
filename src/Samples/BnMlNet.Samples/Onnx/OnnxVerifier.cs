using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace BnMlNet.Samples.Onnx;

/// <summary>What running an exported model through ONNX Runtime showed.</summary>
/// <param name="Rows">Rows compared.</param>
/// <param name="MaxAbsoluteDifference">Largest |ONNX − ML.NET| over Score (every slot) and Probability.</param>
/// <param name="ComparedColumns">The numeric columns compared.</param>
/// <param name="LabelsIdentical">Whether every PredictedLabel agrees (true when the model has none).</param>
public sealed record OnnxCheck(int Rows, double MaxAbsoluteDifference, IReadOnlyList<string> ComparedColumns, bool LabelsIdentical);

/// <summary>Runs an ONNX file in ONNX Runtime on an IDataView's rows and compares with the ML.NET model's outputs.</summary>
public static class OnnxVerifier
{
    /// <summary>Scores <paramref name="data"/> both ways and compares Score, Probability and PredictedLabel.</summary>
    public static OnnxCheck Compare(MLContext ml, ITransformer model, IDataView data, byte[] onnx)
    {
        var expected = model.Transform(data);
        using var session = new InferenceSession(onnx);
        int rows = (int)(data.GetRowCount() ?? data.GetColumn<float>(data.Schema.First(c => c.Type is NumberDataViewType).Name).LongCount());
        var inputs = session.InputMetadata.Select(kv => Input(data, kv.Key, kv.Value.ElementType, rows)).ToList();
        using var results = session.Run(inputs);
        var outputs = results.ToDictionary(r => r.Name, r => r.Value);

        double maxDiff = 0;
        var compared = new List<string>();
        foreach (string column in new[] { "Score", "Probability" })
        {
            if (expected.Schema.GetColumnOrNull(column) is not { } col || !outputs.TryGetValue(column + ".output", out var value)) continue;
            float[] ours = col.Type is VectorDataViewType
                ? expected.GetColumn<VBuffer<float>>(column).SelectMany(v => v.DenseValues()).ToArray()
                : expected.GetColumn<float>(column).ToArray();
            float[] theirs = ((Tensor<float>)value).ToArray();
            if (ours.Length != theirs.Length)
                throw new InvalidOperationException($"ONNX Runtime gave {theirs.Length} values for {column}, ML.NET {ours.Length}.");
            for (int i = 0; i < ours.Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs((double)ours[i] - theirs[i]));
            compared.Add(column);
        }
        return new OnnxCheck(rows, maxDiff, compared, LabelsAgree(expected, outputs));
    }

    private static bool LabelsAgree(IDataView expected, Dictionary<string, object> outputs)
    {
        if (expected.Schema.GetColumnOrNull("PredictedLabel") is not { } col || !outputs.TryGetValue("PredictedLabel.output", out var value))
            return true;
        string[] ours = col.Type switch
        {
            BooleanDataViewType => expected.GetColumn<bool>(col.Name).Select(b => b.ToString()).ToArray(),
            TextDataViewType => expected.GetColumn<ReadOnlyMemory<char>>(col.Name).Select(m => m.ToString()).ToArray(),
            _ => expected.GetColumn<uint>(col.Name).Select(k => k.ToString()).ToArray(),
        };
        string[] theirs = value switch
        {
            Tensor<bool> t => t.Select(b => b.ToString()).ToArray(),
            Tensor<string> t => t.ToArray(),
            Tensor<uint> t => t.Select(k => k.ToString()).ToArray(),
            Tensor<long> t => t.Select(k => k.ToString()).ToArray(),
            _ => [],
        };
        return ours.SequenceEqual(theirs);
    }

    private static NamedOnnxValue Input(IDataView data, string name, Type elementType, int rows)
    {
        int[] shape = [rows, 1];
        if (elementType == typeof(float))
            return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(data.GetColumn<float>(name).ToArray(), shape));
        if (elementType == typeof(string))
            return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(data.GetColumn<ReadOnlyMemory<char>>(name).Select(m => m.ToString()).ToArray(), shape));
        if (elementType == typeof(bool))
            return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<bool>(data.GetColumn<bool>(name).ToArray(), shape));
        throw new NotSupportedException($"The ONNX graph's input '{name}' has element type {elementType.Name}, which this command does not feed.");
    }
}
