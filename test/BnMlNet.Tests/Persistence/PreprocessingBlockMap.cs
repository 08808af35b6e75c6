using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Persistence;

/// <summary>
/// Offsets of the preprocessing block inside a payload of version 2 or later (see ModelPayloadFormat), found by walking
/// the payload independently of the reader, and the message the reader must give for a payload cut at each offset of
/// the block.
/// </summary>
internal sealed class PreprocessingBlockMap
{
    /// <summary>The preprocessing arrays in the order they are written, as the reader names them.</summary>
    private static readonly string[] ArrayNames = ["fill", "minimum", "maximum", "center", "inverse scale"];

    /// <summary>The "has preprocessing" flag: where the block starts.</summary>
    public readonly int Flag;

    /// <summary>The preprocessing input size n.</summary>
    public readonly int InputSize;

    /// <summary>The indicator count.</summary>
    public readonly int IndicatorCount;

    /// <summary>The first byte after the block (after the quantile block when there is one).</summary>
    public readonly int End;

    /// <summary>Per input, the quantile block's knot count c (empty without a quantile block).</summary>
    public readonly List<int> KnotCounts = [];

    // Each field's span [Start, End) and the fragment a cut inside it must produce ({0} = the bytes that remain).
    private readonly List<(int Start, int End, string Message)> _fields = [];

    public PreprocessingBlockMap(byte[] payload, bool withQuantile)
    {
        using var r = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        int version = BitConverter.ToInt32(payload, 8);
        Assert.IsGreaterThanOrEqualTo(2, version, "a payload without a preprocessing block");
        r.BaseStream.Position = new PayloadMap(payload).HistoryCount;
        int history = r.ReadInt32();
        for (int i = 0; i < history; i++)
        {
            r.ReadInt32(); r.ReadDouble(); r.ReadDouble(); r.ReadDouble(); r.ReadString(); r.ReadDouble(); r.ReadDouble();
        }
        const string Truncated = "it ends early (truncated)";
        int at = Flag = (int)r.BaseStream.Position;
        Assert.AreEqual(1, payload[at], "the payload has no preprocessing block");
        Field(1, Truncated);
        InputSize = BitConverter.ToInt32(payload, at);
        Field(4, Truncated);
        Field(1, Truncated);   // smooth clip
        foreach (string name in ArrayNames)
        {
            Assert.AreEqual(InputSize, BitConverter.ToInt32(payload, at), name);
            Field(4, Truncated);
            Field(4 * InputSize, $"the preprocessing {name} declares {4 * InputSize} bytes but only {{0}} remain");
        }
        IndicatorCount = BitConverter.ToInt32(payload, at);
        Field(4, Truncated);
        Field(4 * IndicatorCount, $"the preprocessing indicators declares {4 * IndicatorCount} bytes but only {{0}} remain");
        if (withQuantile)
        {
            for (int j = 0; j < InputSize; j++)
            {
                int c = BitConverter.ToInt32(payload, at);
                KnotCounts.Add(c);
                Field(4, "the preprocessing quantile knot count declares 4 bytes but only {0} remain");
                Field(8 * c, $"the preprocessing quantile knots declares {8 * c} bytes but only {{0}} remain");
            }
        }
        End = at;
        Assert.IsLessThan(payload.Length, End, "the block is followed by the rest of the payload");

        void Field(int bytes, string message)
        {
            _fields.Add((at, at + bytes, message));
            at += bytes;
        }
    }

    /// <summary>
    /// What the reader must say of the payload cut to its first <paramref name="length"/> bytes, for a cut inside the
    /// block (<see cref="Flag"/> ≤ length ≤ <see cref="End"/>): the field the cut falls in and what it expected.
    /// </summary>
    public string ExpectedMessage(int length)
    {
        Assert.IsTrue(length >= Flag && length <= End, $"cut at {length} is outside the block [{Flag}, {End}]");
        foreach (var (start, end, message) in _fields)
            if (length >= start && length < end) return string.Format(message, length - start);
        return "it ends early (truncated)";   // the whole block is there; the next field (the exponential-score flag) is not
    }
}
