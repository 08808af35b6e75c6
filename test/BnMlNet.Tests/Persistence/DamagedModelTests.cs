using System.Diagnostics;
using BnMlNet.Tests.Reliability;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Persistence;

/// <summary>
/// Damaged and foreign model files: every load ends in a clear exception (or, when the damage touched nothing that
/// matters, in the same model), in bounded time and memory.
/// </summary>
[TestClass]
public sealed class DamagedModelTests
{
    internal static byte[] _zip = null!;
    private static string _entryName = null!;
    private static byte[] _entry = null!;
    private static IDataView _probe = null!;
    private static int[] _expected = null!;
    private static readonly MLContext Ml = new(1);

    [ClassInitialize]
    public static void Train(TestContext _)
    {
        var data = Ml.Data.LoadFromEnumerable(ReliabilityData.Rows(200, seed: 21));
        var model = Ml.BinaryClassification.Trainers.BatchNormMlp(new BatchNormMlpBinaryTrainer.Options
        { EnsembleSize = 1, RefitOnAllRows = false, HiddenLayerSizes = [4], NumberOfEpochs = 2, BatchSize = 32, Seed = 1, NumberOfThreads = 1 }).Fit(data);
        _zip = ModelZip.Save(Ml, model, data.Schema);
        (_entryName, _entry) = ModelZip.FindOurEntry(_zip);
        _probe = Ml.Data.LoadFromEnumerable(ReliabilityData.Rows(16, seed: 22));
        _expected = Scores(model);
    }

    internal static int[] Scores(ITransformer model) =>
        model.Transform(_probe).GetColumn<float>("Score").Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>Loads the zip; returns the exception, or null when it loaded and scored exactly as the original.</summary>
    internal static Exception? LoadOutcome(byte[] zip, out bool loadedDifferent)
    {
        loadedDifferent = false;
        try
        {
            var model = Ml.Model.Load(new MemoryStream(zip), out _);
            loadedDifferent = !Scores(model).SequenceEqual(_expected);
            return null;
        }
        catch (Exception e) { return e; }
    }

    internal static IEnumerable<Exception> Chain(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException) yield return x;
    }

    internal static string Describe(Exception e) => string.Join(" ← ", Chain(e).Select(x => $"{x.GetType().Name}: {x.Message}"));

    private static readonly Type[] Forbidden =
        [typeof(OutOfMemoryException), typeof(NullReferenceException), typeof(IndexOutOfRangeException), typeof(OverflowException),
         typeof(InvalidCastException), typeof(StackOverflowException), typeof(AccessViolationException)];

    /// <summary>
    /// A clear load failure: somewhere in the chain an InvalidDataException or FormatException (ML.NET's decode errors
    /// are FormatException; ours InvalidDataException) whose message holds every fragment; nothing that looks like a bug.
    /// </summary>
    internal static void AssertClearFailure(Exception? error, params string[] fragments)
    {
        Assert.IsNotNull(error, "the damaged model loaded");
        var chain = Chain(error).ToList();
        foreach (var x in chain)
            Assert.IsFalse(Forbidden.Contains(x.GetType()), "a bug-like exception: " + Describe(error));
        var clear = chain.FirstOrDefault(x => x is InvalidDataException or FormatException);
        Assert.IsNotNull(clear, "no InvalidDataException/FormatException in: " + Describe(error));
        foreach (string f in fragments)
            Assert.IsTrue(chain.Any(x => x.Message.Contains(f, StringComparison.Ordinal)), $"'{f}' not in: {Describe(error)}");
    }

    /// <summary>
    /// A failure in ML.NET's part of the entry (its header, string table or tail): ML.NET reports it before our loader
    /// runs, with its own exception types. It must not look like a bug, and must be one of the kinds ML.NET uses for a
    /// file it cannot decode.
    /// </summary>
    internal static void AssertNotBugLike(Exception error)
    {
        foreach (var x in Chain(error))
            Assert.IsFalse(Forbidden.Contains(x.GetType()), "a bug-like exception: " + Describe(error));
        Assert.IsTrue(Chain(error).Any(x => x is FormatException or InvalidDataException or ArgumentException or IOException or InvalidOperationException),
            "an unexpected kind of failure: " + Describe(error));
    }

    private static Exception? LoadEntry(byte[] entry) => LoadOutcome(ModelZip.WithEntry(_zip, _entryName, entry), out _);

    [TestMethod]
    public void UndamagedCopyLoadsIdentically()
    {
        // the rewrite itself must not change anything, or the other tests prove nothing
        var outcome = LoadOutcome(ModelZip.WithEntry(_zip, _entryName, _entry), out bool different);
        Assert.IsNull(outcome, outcome is null ? "" : Describe(outcome));
        Assert.IsFalse(different);
    }

    [TestMethod]
    public void OurEntryTruncatedAtEveryOffsetFailsClearly()
    {
        long worstBytes = 0;
        var clock = Stopwatch.StartNew();
        for (int length = 0; length < _entry.Length; length++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var error = LoadEntry(_entry.AsSpan(0, length).ToArray());
            worstBytes = Math.Max(worstBytes, GC.GetAllocatedBytesForCurrentThread() - before);
            // ML.NET checks the entry's header and tail before it calls our loader, so it reports every cut first
            AssertClearFailure(error);
        }
        Assert.IsLessThan(64L << 20, worstBytes, $"a truncated load allocated {worstBytes:N0} bytes");
        Assert.IsLessThan(60.0, clock.Elapsed.TotalSeconds);
    }

    [TestMethod]
    public void OurFramingTruncatedAtEveryOffsetIsReportedAsDamage()
    {
        // what our reader gets from ML.NET: int32 length, payload, SHA-256; cut at every byte
        int start = ModelZip.PayloadStart(_entry) - 4, end = start + 4 + ModelZip.PayloadLength(_entry) + 32;
        byte[] framed = _entry.AsSpan(start, end - start).ToArray();
        for (int length = 0; length < framed.Length; length++)
        {
            using var reader = new BinaryReader(new MemoryStream(framed, 0, length));
            var error = Assert.ThrowsExactly<InvalidDataException>(() => BnMlNet.MlNet.Persistence.ModelPayloadReader.Read(reader), $"cut at {length}");
            StringAssert.StartsWith(error.Message, "The BatchNormMlp model in this file is damaged: ");
            int payloadEnd = framed.Length - 32;
            StringAssert.Contains(error.Message, length < 4 ? "it ends before the payload length"
                : length < payloadEnd ? "but only" : "it ends inside the checksum (truncated)");
        }
        // and the whole framing parses
        using var whole = new BinaryReader(new MemoryStream(framed));
        Assert.AreEqual(3, BnMlNet.MlNet.Persistence.ModelPayloadReader.Read(whole).Network.InputSize);
    }

    [TestMethod]
    public void WholeZipTruncatedAtSampledOffsetsFailsClearly()
    {
        var random = new Random(5);
        var offsets = Enumerable.Range(0, 150).Select(_ => random.Next(_zip.Length)).Append(0).Append(_zip.Length - 1).Distinct();
        foreach (int length in offsets)
        {
            var error = LoadOutcome(_zip.AsSpan(0, length).ToArray(), out _);
            Assert.IsNotNull(error, $"the zip cut at {length} loaded");
            foreach (var x in Chain(error))
                Assert.IsFalse(Forbidden.Contains(x.GetType()), $"cut at {length}: " + Describe(error));
            // a cut zip fails at its central directory: System.IO.Compression says InvalidDataException
            Assert.IsTrue(Chain(error).Any(x => x is InvalidDataException or FormatException), $"cut at {length}: " + Describe(error));
        }
    }

    [TestMethod]
    public void BitFlipsInOurPayloadAreCaughtByTheChecksum()
    {
        var random = new Random(7);
        int start = ModelZip.PayloadStart(_entry) - 4, end = start + 4 + ModelZip.PayloadLength(_entry) + 32;
        for (int i = 0; i < 300; i++)
        {
            byte[] damaged = (byte[])_entry.Clone();
            int at = random.Next(start + 4, end);   // payload or checksum
            damaged[at] ^= (byte)(1 << random.Next(8));
            AssertClearFailure(LoadEntry(damaged), "The BatchNormMlp model in this file is damaged: the checksum does not match the content");
        }
    }

    [TestMethod]
    [DataRow(-1)]
    [DataRow(int.MinValue)]
    [DataRow(int.MaxValue)]
    [DataRow(0)]
    public void DeclaredPayloadLengthOutOfRangeIsRefused(int length)
    {
        byte[] damaged = (byte[])_entry.Clone();
        BitConverter.GetBytes(length).CopyTo(damaged, ModelZip.PayloadStart(_entry) - 4);
        AssertClearFailure(LoadEntry(damaged), "damaged");
    }

    [TestMethod]
    [DataRow("Layer0WeightCount", int.MaxValue, "layer 0 weights holds 2147483647 values where its shape says 12")]
    [DataRow("Layer0WeightCount", -1, "layer 0 weights holds -1 values where its shape says 12")]
    [DataRow("Layer0In", 1 << 24, "layer 0 weights holds 12 values where its shape says 67108864")]
    [DataRow("Layer0In", -5, "layer 0 input size -5 is out of range")]
    [DataRow("LayerCount", int.MaxValue, "layer count 2147483647 is out of range")]
    [DataRow("HistoryCount", int.MaxValue, "history declares 2147483647 entries but only")]
    [DataRow("HistoryCount", -1, "history declares -1 entries")]
    [DataRow("InputBnSize", int.MaxValue, "input batch norm size 2147483647 is out of range")]
    public void CraftedCountsWithAValidChecksumAreRefusedBeforeAllocating(string field, int value, string message)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var entry = ModelZip.Resealed(_entry, p => BitConverter.GetBytes(value).CopyTo(p, Offset(p, field)));
        AssertClearFailure(LoadEntry(entry), "The BatchNormMlp model in this file is damaged: " + message);
        Assert.IsLessThan(16L << 20, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [TestMethod]
    public void HugeConsistentShapeIsRefusedByTheRemainingBytes()
    {
        // in·out and the count agree (2^22·3 floats = 48 MiB), so only the bytes-remaining check stands in the way
        var entry = ModelZip.Resealed(_entry, p =>
        {
            var map = new PayloadMap(p);
            BitConverter.GetBytes(1 << 22).CopyTo(p, map.Layer0Out);
            BitConverter.GetBytes(3 << 22).CopyTo(p, map.Layer0WeightCount);
        });
        long before = GC.GetAllocatedBytesForCurrentThread();
        AssertClearFailure(LoadEntry(entry), "layer 0 weights declares 12582912 entries but only");
        Assert.IsLessThan(16L << 20, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [TestMethod]
    public void ShapeThatContradictsTheLayersIsRefused()
    {
        var entry = ModelZip.Resealed(_entry, p => BitConverter.GetBytes(5).CopyTo(p, new PayloadMap(p).InputSize));
        AssertClearFailure(LoadEntry(entry), "the declared shape 5→1 contradicts the layers (3→1)");
    }

    [TestMethod]
    public void LayersThatDoNotChainAreRefused()
    {
        // layer 1 claims 5 inputs (and its weight count agrees) while layer 0 has 4 outputs
        var entry = ModelZip.Resealed(_entry, p =>
        {
            var map = new PayloadMap(p);
            BitConverter.GetBytes(5).CopyTo(p, map.Layer1In);
            BitConverter.GetBytes(5).CopyTo(p, map.Layer1In + 16);
        });
        AssertClearFailure(LoadEntry(entry), "damaged");
    }

    [TestMethod]
    [DataRow(float.NaN)]
    [DataRow(float.PositiveInfinity)]
    public void NonFiniteWeightIsRefused(float value)
    {
        var entry = ModelZip.Resealed(_entry, p => BitConverter.GetBytes(value).CopyTo(p, new PayloadMap(p).Layer0FirstWeight));
        AssertClearFailure(LoadEntry(entry), $"layer 0 weights[0] is {value}");
    }

    [TestMethod]
    public void NegativeRunningVarianceIsRefused()
    {
        var entry = ModelZip.Resealed(_entry, p => BitConverter.GetBytes(-1f).CopyTo(p, new PayloadMap(p).InputBnFirstVariance));
        AssertClearFailure(LoadEntry(entry), "input batch norm has a negative running variance");
    }

    [TestMethod]
    public void NewerPayloadVersionAsksForAnUpgrade()
    {
        var entry = ModelZip.Resealed(_entry, p => BitConverter.GetBytes(8).CopyTo(p, 8));
        AssertClearFailure(LoadEntry(entry), CompatibilityHarness.UpgradeMessage);
    }

    [TestMethod]
    public void NewerMlNetVersionInfoIsRefusedByMlNet()
    {
        // a future writer that cannot be read back by this build: readable version 0x00020001 > what we write
        byte[] entry = (byte[])_entry.Clone();
        int written = ModelZip.HeaderFieldOffset("ModelVerWritten"), readable = ModelZip.HeaderFieldOffset("ModelVerReadable");
        Assert.AreEqual(0x00010001u, BitConverter.ToUInt32(entry, readable), "header layout assumption");
        BitConverter.GetBytes(0x00020001u).CopyTo(entry, written);
        BitConverter.GetBytes(0x00020001u).CopyTo(entry, readable);
        var error = LoadEntry(entry);
        AssertClearFailure(error);
        Assert.IsTrue(Chain(error!).Any(x => x.Message.Contains("version", StringComparison.OrdinalIgnoreCase)), Describe(error!));
    }

    [TestMethod]
    public void ForeignModelSignatureIsRefused()
    {
        byte[] entry = (byte[])_entry.Clone();
        "XXMLPMOD"u8.ToArray().CopyTo(entry, ModelZip.IndexOf(entry, "BNMLPMOD"u8.ToArray()));
        AssertClearFailure(LoadEntry(entry));
    }

    private static int Offset(byte[] payload, string field)
    {
        var map = new PayloadMap(payload);
        int offset = (int)typeof(PayloadMap).GetField(field)!.GetValue(map)!;
        Assert.IsGreaterThanOrEqualTo(0, offset, field);
        return offset;
    }
}
