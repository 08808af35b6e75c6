using System.Diagnostics;
using System.Text.Json.Nodes;
using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Persistence;
using BnMlNet.Tests.Recipe;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Tests.Embedding;

/// <summary>
/// Payload format version 5 (the numerical embedding): the committed fixtures load and reproduce their recorded
/// predictions bit for bit; version 5 is written only for a model with an embedding; a model with one round-trips in a
/// fresh process bit for bit. Older fixtures are checked by their own tests (v1–v4).
/// </summary>
[TestClass]
public sealed class CompatibilityV5Tests
{
    private static string FixtureDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "compat");

    private static int PayloadVersion(byte[] zip)
    {
        var (_, entry) = ModelZip.FindOurEntry(zip);
        return BitConverter.ToInt32(entry, ModelZip.PayloadStart(entry) + 8);
    }

    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Multiclass)]
    [DataRow(SyntheticData.Task.Regression)]
    public void Version5EmbeddingModelReproducesItsRecordedPredictionsBitForBit(SyntheticData.Task task)
    {
        string name = task.ToString().ToLowerInvariant();
        string zip = Path.Combine(FixtureDirectory, $"v5-embedding-{name}.zip"), json = Path.Combine(FixtureDirectory, $"v5-embedding-{name}.predictions.json");
        Assert.IsTrue(File.Exists(zip) && File.Exists(json), $"missing fixture {zip} / {json}");
        var recorded = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.AreEqual(5, (int)recorded["payloadVersion"]!);
        Assert.AreEqual(5, PayloadVersion(File.ReadAllBytes(zip)));
        var rows = recorded["input"]!.AsArray().Select(CompatibilityV2Fixture.ParseRow).ToList();

        var ml = new MLContext();
        var model = ml.Model.Load(zip, out _);
        var parameters = ((IEnumerable<ITransformer>)model).OfType<ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters>>().Single().Model;
        Assert.IsNotNull(parameters.Embedding, "the embedding is loaded");
        var actual = CompatibilityV2Fixture.Predictions(model, ml.Data.LoadFromEnumerable(rows), task);
        var expected = recorded["output"]!.AsObject();
        Assert.HasCount(expected.Count, actual);
        foreach (var (column, values) in expected)
            CollectionAssert.AreEqual(values!.AsArray().Select(v => v!.ToJsonString()).ToArray(),
                actual[column]!.AsArray().Select(v => v!.ToJsonString()).ToArray(), $"{task} column {column}");
    }

    [TestMethod]
    public void Version5IsWrittenOnlyForAModelWithAnEmbedding()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.Rows(120, 1));
        var plain = SyntheticData.Pipeline(ml, SyntheticData.Task.Binary, epochs: 1).Fit(data);
        var embedded = CompatibilityV5Fixture.Pipeline(ml, SyntheticData.Task.Binary).Fit(data);
        Assert.AreEqual(2, PayloadVersion(ModelZip.Save(ml, plain, data.Schema)), "no embedding: the version as before");
        Assert.AreEqual(5, PayloadVersion(ModelZip.Save(ml, embedded, data.Schema)), "an embedding is version 5");
    }

    private static Exception? Load(byte[] zip, string name, byte[] entry)
    {
        try { new MLContext().Model.Load(new MemoryStream(ModelZip.WithEntry(zip, name, entry)), out _); return null; }
        catch (Exception e) { return e; }
    }

    [TestMethod]
    public void ForeignLayoutsUnderVersion5AndDamagedEmbeddingsAreRefused()
    {
        // a version-4 payload relabelled as version 5: the parser runs out of bytes where the embedding block should be
        byte[] v4zip = File.ReadAllBytes(Path.Combine(FixtureDirectory, "v4-nonfinite-binary.zip"));
        var (v4name, v4entry) = ModelZip.FindOurEntry(v4zip);
        Assert.AreEqual(4, BitConverter.ToInt32(v4entry, ModelZip.PayloadStart(v4entry) + 8));
        DamagedModelTests.AssertClearFailure(Load(v4zip, v4name, ModelZip.Resealed(v4entry, p => BitConverter.GetBytes(5).CopyTo(p, 8))),
            "The BatchNormMlp model in this file is damaged: it ends early (truncated)");
        // a version-5 payload relabelled as version 4: the embedding block is left over
        byte[] zip = File.ReadAllBytes(Path.Combine(FixtureDirectory, "v5-embedding-binary.zip"));
        var (name, entry) = ModelZip.FindOurEntry(zip);
        DamagedModelTests.AssertClearFailure(Load(zip, name, ModelZip.Resealed(entry, p => BitConverter.GetBytes(4).CopyTo(p, 8))),
            "The BatchNormMlp model in this file is damaged");
        // a non-finite embedding bias (the last float of the payload) is damage, named
        DamagedModelTests.AssertClearFailure(Load(zip, name, ModelZip.Resealed(entry, p => BitConverter.GetBytes(float.NaN).CopyTo(p, p.Length - 4))),
            "The BatchNormMlp model in this file is damaged: The embedding's bias");
        Assert.IsNull(Load(zip, name, ModelZip.Resealed(entry, _ => { })), "the untouched resealed entry loads, so the edits above are what fails");
    }

    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Regression)]
    public void RoundTripsInAFreshProcessBitForBit(SyntheticData.Task task)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(CompatibilityV2Fixture.WithHoles(SyntheticData.Rows(240, 1)));
        var probe = ml.Data.LoadFromEnumerable(CompatibilityV2Fixture.WithHoles(SyntheticData.Rows(60, 2)));
        var model = CompatibilityV5Fixture.Pipeline(ml, task).Fit(train);
        string dir = Directory.CreateTempSubdirectory("bnmlnet-embedding-").FullName;
        try
        {
            string modelPath = Path.Combine(dir, "model.zip"), inputPath = Path.Combine(dir, "input.idv"), outputPath = Path.Combine(dir, "output.idv");
            ml.Model.Save(model, train.Schema, modelPath);
            using (var input = File.Create(inputPath)) ml.Data.SaveAsBinary(probe, input);
            string exe = Path.Combine(AppContext.BaseDirectory, "BnMlNet.FreshProcess.dll");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "exec", exe, modelPath, inputPath, outputPath }) start.ArgumentList.Add(a);
            using (var process = Process.Start(start)!)
            {
                string stdout = process.StandardOutput.ReadToEnd(), stderr = process.StandardError.ReadToEnd();
                Assert.IsTrue(process.WaitForExit(120_000), "the fresh process did not finish");
                Assert.AreEqual(0, process.ExitCode, stdout + stderr);
            }
            var scores = model.Transform(probe).GetColumn<float>("Score").ToArray();
            Assert.IsTrue(scores.All(float.IsFinite));
            CollectionAssert.AreEqual(scores, new MLContext().Data.LoadFromBinary(outputPath).GetColumn<float>("Score").ToArray());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
