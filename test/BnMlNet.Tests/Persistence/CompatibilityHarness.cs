using System.Text.Json.Nodes;
using BnMlNet.Tests.MlNet;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Persistence;

/// <summary>
/// The read-back half of the compatibility fixtures (written by <see cref="CompatibilityFixture"/>), shared by the tests
/// of every payload version (Persistence/CompatibilityTests for v1, Recipe/CompatibilityV2Tests,
/// Ensembles/CompatibilityV3Tests, Scoring/CompatibilityV4Tests, Embedding/CompatibilityV5Tests and V6Tests,
/// Recipe/CompatibilityV7Tests): open the committed zip and its recorded document, score the recorded inputs, compare
/// with the recorded predictions bit for bit. The checks the version tests repeat (which version a pipeline is saved
/// in, relabelled payloads, the fresh-process round trip) are in CompatibilityHarness.Versions.cs.
/// </summary>
internal static partial class CompatibilityHarness
{
    /// <summary>Where the committed fixtures are copied next to the test assembly.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "compat");

    /// <summary>The bytes of the committed fixture zip <paramref name="fileName"/>.</summary>
    public static byte[] ReadZip(string fileName) => File.ReadAllBytes(Path.Combine(Directory, fileName));

    /// <summary>
    /// A committed fixture, opened: its zip path, the recorded document, the recorded input rows, and the model loaded
    /// from the zip in a new <see cref="MLContext"/>.
    /// </summary>
    public sealed record Fixture(string Zip, JsonNode Recorded, List<RawRow> Input, MLContext Ml, ITransformer Model)
    {
        /// <summary>The loaded chain's BN-MLP model parameters.</summary>
        public BatchNormMlpModelParameters Parameters =>
            ((IEnumerable<ITransformer>)Model).OfType<ISingleFeaturePredictionTransformer<BatchNormMlpModelParameters>>().Single().Model;

        /// <summary>The recorded rows under <paramref name="key"/> ("input", or e.g. v4's "refused").</summary>
        public List<RawRow> RecordedRows(string key) => Recorded[key]!.AsArray().Select(CompatibilityFixture.ParseRow).ToList();

        /// <summary>The loaded model's output columns on <paramref name="rows"/>, as fixture JSON.</summary>
        public JsonObject Score(IEnumerable<RawRow> rows, SyntheticData.Task task, bool withPredictedLabel = false) =>
            CompatibilityFixture.Predictions(Model, Ml.Data.LoadFromEnumerable(rows), task, withPredictedLabel);
    }

    /// <summary>
    /// Opens the committed fixture {<paramref name="name"/>}-{task}: asserts that both files exist and that the document
    /// records <paramref name="payloadVersion"/>, reads the input rows and loads the zip.
    /// </summary>
    public static Fixture Open(string name, SyntheticData.Task task, int payloadVersion)
    {
        var (zip, json) = CompatibilityFixture.Files(Directory, name, task);
        Assert.IsTrue(File.Exists(zip) && File.Exists(json), $"missing fixture {zip} / {json}");
        var recorded = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.AreEqual(payloadVersion, (int)recorded["payloadVersion"]!);
        var input = recorded["input"]!.AsArray().Select(CompatibilityFixture.ParseRow).ToList();
        var ml = new MLContext();
        return new Fixture(zip, recorded, input, ml, ml.Model.Load(zip, out _));
    }

    /// <summary>
    /// Scores the fixture's recorded input with its loaded model and asserts the recorded output back: the same columns,
    /// each value the same round-trip string (bit for bit).
    /// </summary>
    public static void AssertReproducesItsRecordedPredictions(Fixture fixture, SyntheticData.Task task, bool withPredictedLabel = false) =>
        AssertSamePredictions(fixture.Recorded["output"]!.AsObject(), fixture.Score(fixture.Input, task, withPredictedLabel), $"{task}");

    /// <summary>Asserts <paramref name="actual"/> has exactly <paramref name="expected"/>'s columns, each value the same string.</summary>
    public static void AssertSamePredictions(JsonObject expected, JsonObject actual, string what)
    {
        Assert.HasCount(expected.Count, actual);
        foreach (var (column, values) in expected)
            CollectionAssert.AreEqual(values!.AsArray().Select(v => v!.ToJsonString()).ToArray(),
                actual[column]!.AsArray().Select(v => v!.ToJsonString()).ToArray(), $"{what} column {column}");
    }

    /// <summary>The payload format version of the BN-MLP entry in <paramref name="zip"/>.</summary>
    public static int PayloadVersion(byte[] zip)
    {
        var (_, entry) = ModelZip.FindOurEntry(zip);
        return VersionField(entry);
    }

    private static int VersionField(byte[] entry) => BitConverter.ToInt32(entry, ModelZip.PayloadStart(entry) + 8);   // after the 8-byte magic

    /// <summary>Loads <paramref name="zip"/> with its entry <paramref name="name"/> replaced by <paramref name="entry"/>: null, or what it threw.</summary>
    public static Exception? LoadWithEntry(byte[] zip, string name, byte[] entry)
    {
        try { new MLContext().Model.Load(new MemoryStream(ModelZip.WithEntry(zip, name, entry)), out _); return null; }
        catch (Exception e) { return e; }
    }

    /// <summary>
    /// Loads the committed fixture zip <paramref name="fileName"/> (asserting its payload is version
    /// <paramref name="version"/>) with the payload's version field relabelled <paramref name="relabelled"/> and the
    /// entry resealed (a valid checksum): null, or what it threw.
    /// </summary>
    public static Exception? LoadRelabelled(string fileName, int version, int relabelled)
    {
        byte[] zip = ReadZip(fileName);
        var (name, entry) = ModelZip.FindOurEntry(zip);
        Assert.AreEqual(version, VersionField(entry), fileName);
        return LoadWithEntry(zip, name, ModelZip.Resealed(entry, p => BitConverter.GetBytes(relabelled).CopyTo(p, 8)));
    }
}
