using BnMlNet.Tests.MlNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Reliability;

/// <summary>
/// One fitted transformer shared by many threads scores exactly as it does on one thread; two trainings with the same
/// seed and thread count, run at the same time in one process, give the same model bit for bit.
/// </summary>
[TestClass]
public sealed class ConcurrencyTests
{
    private sealed class Prediction
    {
        public float Score { get; set; }
        public float Probability { get; set; }
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void EightThreadsShareOneTransformerAndAgreeWithOneThread()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(SyntheticData.Rows(400, seed: 1));
        var model = SyntheticData.Pipeline(ml, SyntheticData.Task.Binary, epochs: 3).Fit(train);
        var rows = SyntheticData.Rows(300, seed: 2);
        var test = ml.Data.LoadFromEnumerable(rows);

        int[] expectedBulk = Bits(model.Transform(test).GetColumn<float>("Score"));
        var single = ml.Model.CreatePredictionEngine<RawRow, Prediction>(model);
        int[] expectedRows = rows.Select(r => BitConverter.SingleToInt32Bits(single.Predict(r).Score)).ToArray();
        CollectionAssert.AreEqual(expectedBulk, expectedRows, "bulk and row scoring differ on one thread");

        using var start = new Barrier(8);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            try
            {
                var engine = ml.Model.CreatePredictionEngine<RawRow, Prediction>(model);   // one engine per thread
                start.SignalAndWait();
                for (int round = 0; round < 6; round++)
                {
                    // the shared transformer: a fresh cursor over the same data view each round
                    if (!Bits(model.Transform(test).GetColumn<float>("Score")).SequenceEqual(expectedBulk))
                        failures.Enqueue($"thread {t} round {round}: Transform differs");
                    for (int i = 0; i < rows.Count; i++)
                        if (BitConverter.SingleToInt32Bits(engine.Predict(rows[(i + t * 37) % rows.Count]).Score) != expectedRows[(i + t * 37) % rows.Count])
                        {
                            failures.Enqueue($"thread {t} round {round} row {i}: PredictionEngine differs");
                            break;
                        }
                }
            }
            catch (Exception e) { failures.Enqueue($"thread {t}: {e}"); }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.IsEmpty(failures, string.Join("\n", failures.Take(5)));
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void TwoParallelTrainingsWithTheSameSeedGiveTheSameModel()
    {
        var rows = ReliabilityData.Rows(3000, seed: 31);
        BatchNormMlpModelParameters TrainOnce()
        {
            var ml = new MLContext(seed: 5);
            var options = new BatchNormMlpBinaryTrainer.Options
            {
                HiddenLayerSizes = [64, 32], NumberOfEpochs = 4, BatchSize = 64, Seed = 9, NumberOfThreads = 2, DropoutRate = 0.1f,
            };
            return ml.BinaryClassification.Trainers.BatchNormMlp(options).Fit(ml.Data.LoadFromEnumerable(rows)).Model;
        }
        var tasks = new[] { Task.Run(TrainOnce), Task.Run(TrainOnce) };
        Task.WaitAll(tasks);
        int[] a = ReliabilityData.AllBits(tasks[0].Result), b = ReliabilityData.AllBits(tasks[1].Result);
        Assert.IsGreaterThan(1000, a.Length);
        CollectionAssert.AreEqual(a, b, "two parallel trainings with the same seed and thread count differ");
        // and they equal a training run alone
        CollectionAssert.AreEqual(a, ReliabilityData.AllBits(TrainOnce()));
    }

    private static int[] Bits(IEnumerable<float> values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
