using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Persistence;

/// <summary>Opens an ML.NET model zip, finds our model entry, and writes changed copies of it.</summary>
internal static class ModelZip
{
    private static readonly byte[] ModelSignature = "BNMLPMOD"u8.ToArray();
    private static readonly byte[] PayloadMagic = "BNMLPNET"u8.ToArray();

    public static byte[] Save(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        return stream.ToArray();
    }

    /// <summary>Our entry: the one whose ML.NET model header carries the signature "BNMLPMOD".</summary>
    public static (string Name, byte[] Bytes) FindOurEntry(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var found = new List<(string, byte[])>();
        foreach (var entry in archive.Entries)
        {
            byte[] bytes = Read(entry);
            int at = IndexOf(bytes, ModelSignature);
            if (at >= 0 && at < HeaderSize) found.Add((entry.FullName, bytes));
        }
        Assert.HasCount(1, found, "expected exactly one entry with our model signature");
        StringAssert.EndsWith(found[0].Item1, "Model/Model.key", $"our entry is {found[0].Item1}");
        return found[0];
    }

    /// <summary>The zip with <paramref name="name"/>'s content replaced; every other entry is copied as is.</summary>
    public static byte[] WithEntry(byte[] zip, string name, byte[] content)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                var copy = target.CreateEntry(entry.FullName, CompressionLevel.Fastest);
                using var stream = copy.Open();
                stream.Write(entry.FullName == name ? content : Read(entry));
            }
        }
        return output.ToArray();
    }

    /// <summary>Where the payload (its magic) starts inside our entry; the int32 length sits just before it.</summary>
    public static int PayloadStart(byte[] entry)
    {
        int at = IndexOf(entry, PayloadMagic);
        Assert.IsGreaterThan(4, at, "payload magic not found");
        return at;
    }

    public static int PayloadLength(byte[] entry) => BitConverter.ToInt32(entry, PayloadStart(entry) - 4);

    /// <summary>Our entry with its payload bytes changed by <paramref name="edit"/> and the SHA-256 recomputed, so the reader parses it.</summary>
    public static byte[] Resealed(byte[] entry, Action<byte[]> edit)
    {
        int start = PayloadStart(entry), length = PayloadLength(entry);
        byte[] copy = (byte[])entry.Clone();
        byte[] payload = copy.AsSpan(start, length).ToArray();
        edit(payload);
        payload.CopyTo(copy, start);
        SHA256.HashData(payload).CopyTo(copy, start + length);
        return copy;
    }

    /// <summary>The byte offset of a field of ML.NET's model header (internal struct, read by reflection).</summary>
    public static int HeaderFieldOffset(string field)
    {
        var type = typeof(MLContext).Assembly.GetReferencedAssemblies()
            .Select(System.Reflection.Assembly.Load)
            .Append(typeof(MLContext).Assembly)
            .Select(a => a.GetTypes().FirstOrDefault(t => t.Name == "ModelHeader" && t.IsValueType))
            .First(t => t is not null)!;
        return (int)Marshal.OffsetOf(type, field);
    }

    private const int HeaderSize = 256;

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    public static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}

/// <summary>Offsets of fields inside our payload (see ModelPayloadFormat), found by walking it.</summary>
internal sealed class PayloadMap
{
    public int Version = 8, Task = 12, InputSize = 16, OutputSize = 20, Slope = 24;
    public int LayerCount, Layer0In, Layer0Out, Layer0WeightCount, Layer0FirstWeight, Layer1In, HistoryCount;
    public int InputBnSize = -1, InputBnFirstVariance = -1;

    public PayloadMap(byte[] payload)
    {
        int p = 28;
        int ReadInt() { int v = BitConverter.ToInt32(payload, p); p += 4; return v; }
        void SkipFloats() { int n = ReadInt(); p += 4 * n; }
        void SkipBn(bool isInput)
        {
            if (payload[p++] == 0) return;
            if (isInput) InputBnSize = p;
            p += 4 + 4;   // size, ε
            SkipFloats(); SkipFloats(); SkipFloats();
            if (isInput) InputBnFirstVariance = p + 4;
            SkipFloats();
        }
        SkipBn(isInput: true);
        LayerCount = p;
        int layers = ReadInt();
        for (int i = 0; i < layers; i++)
        {
            if (i == 0) { Layer0In = p; Layer0Out = p + 4; }
            if (i == 1) Layer1In = p;
            p += 16;
            if (i == 0) { Layer0WeightCount = p; Layer0FirstWeight = p + 4; }
            SkipFloats();
            if (payload[p++] != 0) SkipFloats();
            SkipBn(isInput: false);
        }
        HistoryCount = p;
    }
}
