using System.Diagnostics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Persistence;

/// <summary>
/// A bounded fuzz of our model entry inside the zip: 2,000 mutations from a fixed seed. Every load must fail clearly
/// or load a model that scores exactly like the original; a silently different model fails the test. A mutation
/// inside our framing (length, payload, checksum) must end in our InvalidDataException ("… is damaged: …"); one in
/// ML.NET's header, string table or tail, or one that changes the entry's length, is ML.NET's to report: it must end
/// in an exception that is not bug-like (see docs/errors.md for the kinds observed). Time and memory per load are bounded.
/// </summary>
[TestClass]
public sealed class ModelFuzzTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void TwoThousandMutatedModelsFailClearlyOrLoadIdentically()
    {
        DamagedModelTests.Train(TestContext);   // the same small model and probe rows
        var (name, entry) = ModelZip.FindOurEntry(GetZip());
        int framingStart = ModelZip.PayloadStart(entry) - 4, framingEnd = framingStart + 4 + ModelZip.PayloadLength(entry) + 32;
        var random = new Random(20240607);
        var outcomes = new Dictionary<string, int>();
        var examples = new Dictionary<string, string>();
        var clock = Stopwatch.StartNew();
        double slowest = 0;
        long mostBytes = 0;
        const int Count = 2000;
        for (int i = 0; i < Count; i++)
        {
            var (kind, mutated, first, last) = Mutate(entry, random);
            bool ours = mutated.Length == entry.Length && first >= framingStart && last < framingEnd;
            byte[] zip = ModelZip.WithEntry(GetZip(), name, mutated);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var one = Stopwatch.StartNew();
            var error = DamagedModelTests.LoadOutcome(zip, out bool different);
            slowest = Math.Max(slowest, one.Elapsed.TotalSeconds);
            mostBytes = Math.Max(mostBytes, GC.GetAllocatedBytesForCurrentThread() - before);
            string outcome;
            if (error is null)
            {
                Assert.IsFalse(different, $"mutation {i} ({kind}) loaded a model that scores differently");
                outcome = "loaded identical";
            }
            else
            {
                try
                {
                    if (ours) DamagedModelTests.AssertClearFailure(error, "The BatchNormMlp model in this file is damaged: ");
                    else DamagedModelTests.AssertNotBugLike(error);
                }
                catch (AssertFailedException e) { throw new AssertFailedException($"mutation {i} ({kind}): {e.Message}", e); }
                var chain = DamagedModelTests.Chain(error).ToList();
                outcome = $"{(ours ? "our framing" : "ML.NET's part")}: {string.Join(" ← ", chain.Select(x => x.GetType().Name))}";
                examples.TryAdd(outcome, chain[^1].Message);
            }
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        foreach (var (outcome, n) in outcomes.OrderByDescending(p => p.Value))
            TestContext.WriteLine($"{n,5}  {outcome}{(examples.TryGetValue(outcome, out var m) ? "  e.g. \"" + m + "\"" : "")}");
        TestContext.WriteLine($"{Count} loads in {clock.Elapsed.TotalSeconds:F1} s; slowest {slowest * 1000:F0} ms; most allocated by one load {mostBytes / 1024.0:F0} KiB");
        Assert.IsLessThan(60.0, clock.Elapsed.TotalSeconds, "the fuzz must finish in a minute");
        // A hang is unbounded; this limit only has to tell one apart from a slow moment of a shared 2-core machine.
        Assert.IsLessThan(10.0, slowest, "one load took too long");
        Assert.IsLessThan(64L << 20, mostBytes, "one load allocated too much");
        Assert.IsGreaterThan(Count / 2, outcomes.Where(p => p.Key != "loaded identical").Sum(p => p.Value), "most mutations must be caught");
    }

    private static byte[] GetZip() => DamagedModelTests._zip;

    /// <summary>A mutated copy and the first and last offsets it touched.</summary>
    private static (string Kind, byte[] Bytes, int First, int Last) Mutate(byte[] entry, Random random)
    {
        byte[] copy = (byte[])entry.Clone();
        switch (random.Next(6))
        {
            case 0:
            {
                int flips = 1 + random.Next(4), first = int.MaxValue, last = -1;
                for (int k = 0; k < flips; k++)
                {
                    int at = random.Next(copy.Length);
                    copy[at] ^= (byte)(1 << random.Next(8));
                    first = Math.Min(first, at);
                    last = Math.Max(last, at);
                }
                return ($"{flips} bit flip(s)", copy, first, last);
            }
            case 1:
            {
                int at = random.Next(copy.Length);
                copy[at] = (byte)random.Next(256);
                return ("random byte", copy, at, at);
            }
            case 2:
            {
                int at = random.Next(copy.Length - 3);
                int[] values = [0, -1, 1, int.MaxValue, int.MinValue, 1 << 24, random.Next()];
                BitConverter.GetBytes(values[random.Next(values.Length)]).CopyTo(copy, at);
                return ("int32 overwrite", copy, at, at + 3);
            }
            case 3:
            {
                int at = random.Next(copy.Length);
                return ("truncation", copy.AsSpan(0, at).ToArray(), at, copy.Length - 1);
            }
            case 4:
            {
                int at = random.Next(copy.Length + 1);
                return ("inserted byte", [.. copy.AsSpan(0, at), (byte)random.Next(256), .. copy.AsSpan(at)], at, copy.Length);
            }
            default:
            {
                int at = random.Next(copy.Length);
                return ("deleted byte", [.. copy.AsSpan(0, at), .. copy.AsSpan(at + 1)], at, copy.Length - 1);
            }
        }
    }
}
