using System.Diagnostics;
using BnMlNet.Tests.MlNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Persistence;

/// <summary>Save with mlContext.Model.Save, load in this process and in a fresh one, and compare bit for bit.</summary>
[TestClass]
public sealed class PersistenceTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Multiclass)]
    [DataRow(SyntheticData.Task.Regression)]
    public void WholePipelineRoundTripsInAFreshProcessBitForBit(SyntheticData.Task task)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(SyntheticData.Rows(600, seed: 1));
        var test = ml.Data.LoadFromEnumerable(SyntheticData.Rows(200, seed: 2));
        var model = SyntheticData.Pipeline(ml, task).Fit(train);

        string dir = Directory.CreateTempSubdirectory("bnmlnet-roundtrip-").FullName;
        try
        {
            string modelPath = Path.Combine(dir, "model.zip"), inputPath = Path.Combine(dir, "input.idv"), outputPath = Path.Combine(dir, "output.idv");
            ml.Model.Save(model, train.Schema, modelPath);
            using (var input = File.Create(inputPath)) ml.Data.SaveAsBinary(test, input);

            RunFreshProcess(modelPath, inputPath, outputPath);

            var expected = model.Transform(test);
            var actual = new MLContext().Data.LoadFromBinary(outputPath);
            AssertSameScores(expected, actual, task);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void LoadedModelKeepsTheTypedTransformerAndItsStatistics()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(SyntheticData.Rows(300, seed: 1));
        var featurized = SyntheticData.Featurize(ml).Fit(train).Transform(ml.Transforms.CopyColumns("Label", "IsPositive").Fit(train).Transform(train));
        var trained = ml.BinaryClassification.Trainers.BatchNormMlp(hiddenLayerSizes: [8], numberOfEpochs: 3).Fit(featurized);

        using var stream = new MemoryStream();
        ml.Model.Save(trained, featurized.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext().Model.Load(stream, out _);

        var typed = loaded as ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters>;
        Assert.IsNotNull(typed, $"the loaded transformer is {loaded.GetType()}");
        var before = trained.Model.Layers;
        var after = typed.Model.Layers;
        Assert.HasCount(before.Count, after);
        for (int i = 0; i < before.Count; i++)
        {
            CollectionAssert.AreEqual(before[i].Weights.ToArray(), after[i].Weights.ToArray());
            if (before[i].BatchNorm is { } bn)
            {
                CollectionAssert.AreEqual(bn.RunningMean.ToArray(), after[i].BatchNorm!.RunningMean.ToArray());
                CollectionAssert.AreEqual(bn.RunningVariance.ToArray(), after[i].BatchNorm!.RunningVariance.ToArray());
            }
        }
        Assert.HasCount(3, typed.Model.TrainingHistory);
    }

    /// <summary>Scores <paramref name="inputPath"/> with the saved model in a new process (BnMlNet.FreshProcess).</summary>
    internal static void RunFreshProcess(string modelPath, string inputPath, string outputPath)
    {
        string exe = Path.Combine(AppContext.BaseDirectory, "BnMlNet.FreshProcess.dll");
        Assert.IsTrue(File.Exists(exe), $"{exe} is missing: the test project references BnMlNet.FreshProcess to copy it here.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "exec", exe, modelPath, inputPath, outputPath }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd(), stderr = process.StandardError.ReadToEnd();
        Assert.IsTrue(process.WaitForExit(120_000), "the fresh process did not finish in 2 minutes");
        Assert.AreEqual(0, process.ExitCode, $"fresh process failed:\n{stdout}\n{stderr}");
    }

    private static void AssertSameScores(IDataView expected, IDataView actual, SyntheticData.Task task)
    {
        if (task == SyntheticData.Task.Multiclass)
        {
            var e = expected.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
            var a = actual.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
            Assert.HasCount(e.Length, a);
            for (int i = 0; i < e.Length; i++) CollectionAssert.AreEqual(e[i], a[i], $"row {i}");
            CollectionAssert.AreEqual(
                expected.GetColumn<ReadOnlyMemory<char>>("PredictedClass").Select(m => m.ToString()).ToArray(),
                actual.GetColumn<ReadOnlyMemory<char>>("PredictedClass").Select(m => m.ToString()).ToArray());
            return;
        }
        CollectionAssert.AreEqual(expected.GetColumn<float>("Score").ToArray(), actual.GetColumn<float>("Score").ToArray());
        if (task == SyntheticData.Task.Binary)
        {
            CollectionAssert.AreEqual(expected.GetColumn<float>("Probability").ToArray(), actual.GetColumn<float>("Probability").ToArray());
            CollectionAssert.AreEqual(expected.GetColumn<bool>("PredictedLabel").ToArray(), actual.GetColumn<bool>("PredictedLabel").ToArray());
        }
    }
}
