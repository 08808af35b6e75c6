using Microsoft.ML.Model.OnnxConverter;

namespace BnMlNet.MlNet.Onnx;

/// <summary>
/// A thin layer over ML.NET's <see cref="OnnxContext"/> for building the network's part of the graph:
/// standard-domain nodes, scratch variables whose names cannot clash with real columns, and float initializers.
/// </summary>
/// <remarks>
/// Two traps of <see cref="OnnxContext"/> are handled here once. <c>CreateNode</c>'s default domain is
/// <c>ai.onnx.ml</c>; standard operators (Gemm, BatchNormalization, Relu, …) need the empty domain or ONNX Runtime
/// rejects the model. And <c>AddIntermediateVariable</c> maps a column name to a variable, so scratch variables get a
/// prefix no ML.NET column uses.
/// </remarks>
internal sealed class OnnxGraphBuilder(OnnxContext context, string prefix)
{
    /// <summary>The domain of the standard ONNX operator set.</summary>
    private const string StandardDomain = "";

    public OnnxContext Context { get; } = context;

    /// <summary>A fresh scratch variable, e.g. <c>BatchNormMlp.L0.Gemm</c>; the shape is left to the runtime.</summary>
    public string Scratch(string name) => Context.AddIntermediateVariable(null, $"{prefix}.{name}", skip: true);

    /// <summary>Adds a standard-domain node with one output.</summary>
    public OnnxNode Node(string opType, string output, params string[] inputs) =>
        Context.CreateNode(opType, inputs, [output], Context.GetNodeName($"{prefix}.{opType}"), StandardDomain);

    /// <summary>A float tensor initializer with the given dimensions.</summary>
    public string Floats(string name, IEnumerable<float> values, params long[] dims) =>
        Context.AddInitializer(values, dims, $"{prefix}.{name}");

    /// <summary>A one-element float tensor, for element-wise constants (broadcast by the ONNX operators).</summary>
    public string Constant(string name, float value) => Floats(name, new[] { value }, 1);

    /// <summary>A one-element int64 tensor.</summary>
    public string Constant(string name, long value) => Context.AddInitializer(new[] { value }, new[] { 1L }, $"{prefix}.{name}");
}
