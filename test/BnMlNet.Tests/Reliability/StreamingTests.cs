using System.Diagnostics;
using BnMlNet.Engine;
using BnMlNet.MlNet.Data;
using BnMlNet.MlNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Reliability;

/// <summary>
/// Training data larger than <see cref="BatchNormMlpOptionsBase.MaximumCacheMegabytes"/> is streamed from the
/// IDataView every epoch through a seeded shuffle buffer. See docs/streaming.md for the measured numbers.
/// </summary>
[TestClass]
public sealed class StreamingTests
{
    public TestContext TestContext { get; set; } = null!;

    private static BatchNormMlpBinaryTrainer.Options Options(int budgetMegabytes, bool shuffle = true,
        RunningStatisticsMode stats = RunningStatisticsMode.ExponentialMovingAverage, bool weighted = true) => new()
    {
        HiddenLayerSizes = [16, 8], NumberOfEpochs = 4, BatchSize = 32, Seed = 3, NumberOfThreads = 1,
        Shuffle = shuffle, RunningStatistics = stats, MaximumCacheMegabytes = budgetMegabytes, ExampleWeightColumnName = weighted ? "Weight" : null,
        // Cached data is held out by an exact seeded draw, streamed data by a hash of each row (Recipe/ValidationHoldOutTests).
        ValidationFraction = 0,
        MissingValues = MissingValueHandling.Skip,   // the NaN row is skipped the same way in both modes
    };

    [TestMethod]
    [DataRow(RunningStatisticsMode.ExponentialMovingAverage, true)]
    [DataRow(RunningStatisticsMode.Population, true)]
    [DataRow(RunningStatisticsMode.ExponentialMovingAverage, false)]
    public void UnshuffledStreamingGivesTheCachedModelBitForBit(RunningStatisticsMode stats, bool weighted)
    {
        var ml = new MLContext(1);
        var log = ReliabilityData.CaptureLog(ml);
        var rows = ReliabilityData.Rows(1001, seed: 41);
        rows[5].Features[0] = float.NaN;   // skipped the same way in both modes
        rows[6].Weight = 0.25f;
        var data = ml.Data.LoadFromEnumerable(rows);
        var cached = ml.BinaryClassification.Trainers.BatchNormMlp(Options(2048, shuffle: false, stats, weighted)).Fit(data).Model;
        Assert.IsFalse(log.Any(m => m.Contains("is streamed")), "the small set should be cached");
        var streamed = ml.BinaryClassification.Trainers.BatchNormMlp(Options(0, shuffle: false, stats, weighted)).Fit(data).Model;
        Assert.IsTrue(log.Any(m => m.Contains("the training data (1000 rows × 3 features) exceeds MaximumCacheMegabytes = 0; it is streamed each epoch")),
            string.Join("\n", log.Where(m => m.Contains("BatchNormMlp"))));
        Assert.AreEqual(2, log.Count(m => m.Contains("BatchNormMlp skipped 1 of 1001 training rows: 1 with NaN")));
        CollectionAssert.AreEqual(ReliabilityData.AllBits(cached), ReliabilityData.AllBits(streamed));
    }

    [TestMethod]
    public void ShuffleBufferHoldingEveryRowDrawsTheCachedPermutation()
    {
        var (spec, dense) = Source(500);
        var streaming = StreamingBatchSource.Open(spec, shuffleBufferRows: 500);
        Assert.AreEqual(dense.RowCount, streaming.RowCount);
        CollectionAssert.AreEqual(Flatten(dense.GetBatches(64, new Random(9))), Flatten(streaming.GetBatches(64, new Random(9))));
    }

    [TestMethod]
    public void SmallShuffleBufferYieldsEveryRowOnceInAnotherOrder()
    {
        var (spec, dense) = Source(500);
        var streaming = StreamingBatchSource.Open(spec, shuffleBufferRows: 50);
        var rng = new Random(9);
        var first = Flatten(streaming.GetBatches(32, rng));
        var second = Flatten(streaming.GetBatches(32, rng));
        var inOrder = Flatten(dense.GetBatches(32, null));
        CollectionAssert.AreEquivalent(inOrder, first);
        CollectionAssert.AreEquivalent(inOrder, second);
        CollectionAssert.AreNotEqual(inOrder, first);
        CollectionAssert.AreNotEqual(first, second);
        // the same seed gives the same pass
        CollectionAssert.AreEqual(first, Flatten(streaming.GetBatches(32, new Random(9))));
        // batch sizes: full batches, then the remainder
        CollectionAssert.AreEqual(Enumerable.Repeat(32, 15).Append(20).ToArray(), streaming.GetBatches(32, new Random(1)).Select(b => b.Rows).ToArray());
    }

    [TestMethod]
    public void StreamingAccuracyMatchesCachedAccuracy()
    {
        // 40,000 rows × 3 features ≈ 0.8 MB; a budget of 0 MiB streams it with a shuffle buffer of one batch,
        // the harshest local shuffle. Tolerance: 2 points of accuracy.
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(ReliabilityData.Rows(40_000, seed: 42));
        var test = ml.Data.LoadFromEnumerable(ReliabilityData.Rows(5_000, seed: 43));
        double Accuracy(int budget)
        {
            var o = Options(budget);
            o.NumberOfEpochs = 3;
            o.BatchSize = 128;
            o.LearningRate = 3e-3f;
            var model = ml.BinaryClassification.Trainers.BatchNormMlp(o).Fit(train);
            return ml.BinaryClassification.Evaluate(model.Transform(test)).Accuracy;
        }
        double cached = Accuracy(2048), streamed = Accuracy(0);
        TestContext.WriteLine($"accuracy cached {cached:F4}, streamed {streamed:F4}");
        Assert.IsGreaterThan(0.95, cached);
        Assert.IsLessThan(0.02, Math.Abs(cached - streamed), $"cached {cached:F4} vs streamed {streamed:F4}");
    }

    [TestMethod]
    public void BudgetIsEnforcedWhenTheRowCountIsUnknown()
    {
        // an IEnumerable data view does not know its length; the cache is abandoned once it passes the budget
        var ml = new MLContext(1);
        var log = ReliabilityData.CaptureLog(ml);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 1).SelectMany(_ => ReliabilityData.Rows(70_000, seed: 44)));
        Assert.IsNull(data.GetRowCount());
        var o = Options(1);   // 1 MiB < 70,000 rows × 5 floats × 4 bytes = 1.4 MB
        o.NumberOfEpochs = 1;
        ml.BinaryClassification.Trainers.BatchNormMlp(o).Fit(data);
        Assert.IsTrue(log.Any(m => m.Contains("the training data (70000 rows × 3 features) exceeds MaximumCacheMegabytes = 1; it is streamed each epoch with a shuffle buffer of 52428 rows")),
            string.Join("\n", log.Where(m => m.Contains("BatchNormMlp"))));
    }

    /// <summary>
    /// Data several times larger than the budget, on disk (ML.NET binary IDataView): 300,000 rows × 100 features
    /// (≈ 121 MB as floats) against MaximumCacheMegabytes = 20. Measures the peak of the managed heap as each GC leaves it
    /// (what the run holds) above a collected baseline while training, and the accuracy of both modes. Reproduce: dotnet test ... --filter "FullyQualifiedName~LargerThanBudget"
    /// --logger "console;verbosity=detailed" (numbers in docs/streaming.md).
    /// </summary>
    [TestMethod]
    [TestCategory("Long")]
    [DoNotParallelize] // it measures the process's managed heap: no other test may run beside it
    [Timeout(900_000, CooperativeCancellation = true)]
    public void LargerThanBudgetOnDiskTrainsInBoundedMemory()
    {
        const int Rows = 300_000, Features = 100, Budget = 20;
        string dir = Directory.CreateTempSubdirectory("bnmlnet-stream-").FullName;
        try
        {
            var ml = new MLContext(1);
            string path = Path.Combine(dir, "train.idv");
            var clock = Stopwatch.StartNew();
            using (var file = File.Create(path))
                ml.Data.SaveAsBinary(ml.Data.LoadFromEnumerable(WideRows(Rows, Features, seed: 1)), file);
            TestContext.WriteLine($"wrote {new FileInfo(path).Length / 1e6:F0} MB on disk ({(long)Rows * (Features + 1) * 4 / 1e6:F0} MB as floats) in {clock.Elapsed.TotalSeconds:F1} s");
            var test = ml.Data.LoadFromEnumerable(WideRows(20_000, Features, seed: 2).ToList());

            (double Accuracy, long PeakBytes, long PeakWithGarbage, double Seconds) Run(int budget)
            {
                var train = ml.Data.LoadFromBinary(path);
                var o = new BatchNormMlpBinaryTrainer.Options
                { HiddenLayerSizes = [32], NumberOfEpochs = 2, BatchSize = 256, Seed = 3, NumberOfThreads = 2, MaximumCacheMegabytes = budget };
                var peak = new PeakHeap();
                var watch = Stopwatch.StartNew();
                var model = ml.BinaryClassification.Trainers.BatchNormMlp(o).Fit(train);
                double seconds = watch.Elapsed.TotalSeconds;
                var (afterGc, withGarbage) = peak.Stop();
                return (ml.BinaryClassification.Evaluate(model.Transform(test)).Accuracy, afterGc, withGarbage, seconds);
            }
            long ReadOnlyPeak()
            {
                // what ML.NET's binary loader alone holds while one cursor reads the file (its read-ahead blocks)
                var peak = new PeakHeap();
                var data = ml.Data.LoadFromBinary(path);
                using (var cursor = data.GetRowCursor(data.Schema))
                {
                    var get = cursor.GetGetter<VBuffer<float>>(data.Schema["Features"]);
                    VBuffer<float> v = default;
                    while (cursor.MoveNext()) get(ref v);
                }
                return peak.Stop().AfterGc;
            }
            long reading = ReadOnlyPeak();
            var cached = Run(2048);
            var streamed = Run(Budget);
            TestContext.WriteLine($"reading the file alone: live heap peak +{reading / 1e6:F0} MB");
            TestContext.WriteLine($"cached:   accuracy {cached.Accuracy:F4}, live heap peak +{cached.PeakBytes / 1e6:F0} MB, with garbage +{cached.PeakWithGarbage / 1e6:F0} MB, {cached.Seconds:F1} s");
            TestContext.WriteLine($"streamed: accuracy {streamed.Accuracy:F4}, live heap peak +{streamed.PeakBytes / 1e6:F0} MB, with garbage +{streamed.PeakWithGarbage / 1e6:F0} MB, {streamed.Seconds:F1} s (budget {Budget} MiB)");
            TestContext.WriteLine($"process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB (whole test process)");
            Assert.IsLessThan(0.01, Math.Abs(cached.Accuracy - streamed.Accuracy));
            Assert.IsGreaterThan(121_000_000L, cached.PeakBytes, "the cached run should hold the whole data set");
            // the reader's own buffers, the shuffle buffer (≤ budget), and as much again for batches, network and sampling noise
            Assert.IsLessThan(reading + 2L * Budget * 1_048_576 + 20_000_000, streamed.PeakBytes, "the streamed run must stay near reading + its budget");
            // Beyond what ML.NET's reader itself holds, streaming keeps less than half of the 121 MB data set.
            Assert.IsLessThan(121_000_000L / 2, streamed.PeakBytes - reading, "streaming must not hold the data set");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Samples every 20 ms: the live managed heap (one full blocking collection, then GC.GetTotalMemory(false): what the run
    /// holds), and, between those, the heap including garbage not yet collected. Both as peaks above a collected baseline.
    /// </summary>
    private sealed class PeakHeap
    {
        private readonly long _baseline;
        private long _peakAfterGc, _peakWithGarbage, _floorAfterGc = long.MaxValue;
        private volatile bool _stop;
        private readonly Thread _thread;

        public PeakHeap()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            _baseline = GC.GetTotalMemory(true);
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    _peakWithGarbage = Math.Max(_peakWithGarbage, GC.GetTotalMemory(false));
                    // one full blocking collection per sample (GetTotalMemory(true) repeats collections until the figure
                    // settles, which in a large test-process heap took seconds per sample and missed the run's peak)
                    GC.Collect();
                    long live = GC.GetTotalMemory(false);
                    _peakAfterGc = Math.Max(_peakAfterGc, live);
                    _floorAfterGc = Math.Min(_floorAfterGc, live);
                    Thread.Sleep(20);
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public (long AfterGc, long WithGarbage) Stop()
        {
            _stop = true;
            _thread.Join();
            // The floor is the lower of the baseline and the least live heap seen while running: memory an earlier test
            // left behind (e.g. pooled arrays the runtime trims on later GCs) can be released during the run, and measured
            // from the baseline alone it would hide as much of what this run holds.
            long floor = Math.Min(_baseline, _floorAfterGc);
            return (Math.Max(0, _peakAfterGc - floor), Math.Max(0, _peakWithGarbage - floor));
        }
    }

    private sealed class WideRow
    {
        [VectorType(100)] public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    /// <summary>A linear rule on 10 of the features with label noise; the other 90 are noise.</summary>
    private static IEnumerable<WideRow> WideRows(int count, int features, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            var x = new float[features];
            for (int j = 0; j < features; j++) x[j] = (float)(random.NextDouble() * 2 - 1) * (1 + j % 7);
            double s = 0;
            for (int j = 0; j < 10; j++) s += (j % 2 == 0 ? 1 : -1) * x[j] / (1 + j % 7);
            yield return new WideRow { Features = x, Label = s + 0.3 * (random.NextDouble() - 0.5) > 0 };
        }
    }

    private static (RowSpec Spec, DenseDataset Dense) Source(int rows)
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(ReliabilityData.Rows(rows, seed: 45));
        var spec = new RowSpec(data, "Features", "Label", "Weight", ModelTask.Binary, ThrowOnNonFinite: false, IsCanceled: null);
        var dense = (DenseDataset)TrainingDataReader.Read(spec, long.MaxValue).Dataset;
        return (spec, dense);
    }

    /// <summary>Each row as "features|label|weight", in the order the batches give them.</summary>
    private static string[] Flatten(IEnumerable<MiniBatch> batches)
    {
        var result = new List<string>();
        foreach (var b in batches)
        {
            var x = b.Features.Span;
            int f = x.Length / b.Rows;
            for (int r = 0; r < b.Rows; r++)
                result.Add($"{string.Join(",", x.Slice(r * f, f).ToArray())}|{b.Labels.Span[r]}|{(b.Weights is { } w ? w.Span[r] : 1)}");
        }
        return result.ToArray();
    }
}
