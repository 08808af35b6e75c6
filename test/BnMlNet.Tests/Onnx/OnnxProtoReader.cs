using System.Text;

namespace BnMlNet.Tests.Onnx;

/// <summary>A node of an ONNX graph, as read back from the file.</summary>
internal sealed record OnnxNodeInfo(string OpType, string Domain, string Name, List<string> Inputs, List<string> Outputs,
    Dictionary<string, float> FloatAttributes, Dictionary<string, long> IntAttributes);

/// <summary>An initializer (a constant tensor) of an ONNX graph.</summary>
internal sealed record OnnxTensorInfo(string Name, int DataType, List<long> Dims, List<float> Floats);

/// <summary>What the graph-inspection tests need from an ONNX ModelProto.</summary>
internal sealed record OnnxModelInfo(List<OnnxNodeInfo> Nodes, Dictionary<string, OnnxTensorInfo> Initializers, Dictionary<string, long> OpsetImports)
{
    public OnnxTensorInfo Initializer(string name) =>
        Initializers.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"No initializer named '{name}'.");
}

/// <summary>
/// A minimal reader of the protobuf wire format for the few ONNX fields the tests inspect (onnx.proto:
/// ModelProto.graph = 7, opset_import = 8; GraphProto.node = 1, initializer = 5; NodeProto.input = 1, output = 2,
/// name = 3, op_type = 4, attribute = 5, domain = 7; AttributeProto.name = 1, f = 2, i = 3; TensorProto.dims = 1,
/// data_type = 2, float_data = 4, name = 8, raw_data = 9). ONNX Runtime's C# API does not expose initializers, and
/// the converter's protobuf classes are internal.
/// </summary>
internal static class OnnxProtoReader
{
    public static OnnxModelInfo Read(byte[] model)
    {
        var nodes = new List<OnnxNodeInfo>();
        var initializers = new Dictionary<string, OnnxTensorInfo>();
        var opsets = new Dictionary<string, long>();
        foreach (var (field, value) in Fields(model))
        {
            if (field == 7)
            {
                foreach (var (g, gv) in Fields(value.Data))
                {
                    if (g == 1) nodes.Add(ReadNode(gv.Data));
                    else if (g == 5) { var t = ReadTensor(gv.Data); initializers[t.Name] = t; }
                }
            }
            else if (field == 8)
            {
                string domain = ""; long version = 0;
                foreach (var (o, ov) in Fields(value.Data))
                    if (o == 1) domain = ov.String; else if (o == 2) version = (long)ov.Varint;
                opsets[domain] = version;
            }
        }
        return new OnnxModelInfo(nodes, initializers, opsets);
    }

    private static OnnxNodeInfo ReadNode(byte[] bytes)
    {
        var node = new OnnxNodeInfo("", "", "", [], [], [], []);
        foreach (var (f, v) in Fields(bytes))
        {
            switch (f)
            {
                case 1: node.Inputs.Add(v.String); break;
                case 2: node.Outputs.Add(v.String); break;
                case 3: node = node with { Name = v.String }; break;
                case 4: node = node with { OpType = v.String }; break;
                case 7: node = node with { Domain = v.String }; break;
                case 5:
                    string name = "";
                    float? fv = null; long? iv = null;
                    foreach (var (a, av) in Fields(v.Data))
                    {
                        if (a == 1) name = av.String;
                        else if (a == 2) fv = BitConverter.Int32BitsToSingle((int)av.Varint);
                        else if (a == 3) iv = (long)av.Varint;
                    }
                    if (fv is { } x) node.FloatAttributes[name] = x;
                    if (iv is { } y) node.IntAttributes[name] = y;
                    break;
            }
        }
        return node;
    }

    private static OnnxTensorInfo ReadTensor(byte[] bytes)
    {
        string name = ""; int dataType = 0;
        var dims = new List<long>();
        var floats = new List<float>();
        foreach (var (f, v) in Fields(bytes))
        {
            switch (f)
            {
                case 1:
                    if (v.Bytes is null) dims.Add((long)v.Varint);
                    else foreach (ulong d in PackedVarints(v.Bytes)) dims.Add((long)d);
                    break;
                case 2: dataType = (int)v.Varint; break;
                case 4:
                    if (v.Bytes is null) floats.Add(BitConverter.Int32BitsToSingle((int)v.Varint));
                    else for (int i = 0; i + 4 <= v.Bytes.Length; i += 4) floats.Add(BitConverter.ToSingle(v.Bytes, i));
                    break;
                case 8: name = v.String; break;
                case 9:
                    if (dataType == 1) for (int i = 0; i + 4 <= v.Bytes!.Length; i += 4) floats.Add(BitConverter.ToSingle(v.Bytes, i));
                    break;
            }
        }
        return new OnnxTensorInfo(name, dataType, dims, floats);
    }

    /// <summary>A field's value: the number (varint, fixed32, fixed64) or the bytes of a length-delimited field.</summary>
    private readonly record struct Value(ulong Varint, byte[]? Bytes)
    {
        public string String => Encoding.UTF8.GetString(Data);

        /// <summary>The bytes of a length-delimited field (a sub-message, a string or a packed array).</summary>
        public byte[] Data => Bytes ?? throw new InvalidDataException("Expected a length-delimited field.");
    }

    private static IEnumerable<(int Field, Value Value)> Fields(byte[] bytes)
    {
        int pos = 0;
        while (pos < bytes.Length)
        {
            ulong key = ReadVarint(bytes, ref pos);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0: yield return (field, new Value(ReadVarint(bytes, ref pos), null)); break;
                case 1: yield return (field, new Value(BitConverter.ToUInt64(bytes, pos), null)); pos += 8; break;
                case 5: yield return (field, new Value(BitConverter.ToUInt32(bytes, pos), null)); pos += 4; break;
                case 2:
                    int length = checked((int)ReadVarint(bytes, ref pos));
                    yield return (field, new Value(0, bytes[pos..(pos + length)]));
                    pos += length;
                    break;
                default: throw new InvalidDataException($"Unsupported protobuf wire type {wire} at byte {pos}.");
            }
        }
    }

    private static IEnumerable<ulong> PackedVarints(byte[] bytes)
    {
        int pos = 0;
        while (pos < bytes.Length) yield return ReadVarint(bytes, ref pos);
    }

    private static ulong ReadVarint(byte[] bytes, ref int pos)
    {
        ulong result = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = bytes[pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
    }
}
