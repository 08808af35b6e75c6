using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Recipe;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Persistence;

/// <summary>
/// The checks every payload version's tests make (CompatibilityV3Tests to CompatibilityV7Tests): a committed fixture of
/// that version reproduces its predictions, a pipeline is saved in the version it should be, a payload relabelled as
/// another version is refused, a model round-trips in a fresh process bit for bit.
/// </summary>
internal static partial class CompatibilityHarness
{
    /// <summary>The message of a payload version newer than this build reads.</summary>
    public const string UpgradeMessage =
        "This BatchNormMlp model was saved in payload format version 8; this build of BnMlNet reads up to version 7. Upgrade the BnMlNet package to load it.";

    /// <summary>
    /// Opens the committed fixture {<paramref name="name"/>}-{task} (see <see cref="Open"/>), asserts that its zip holds
    /// a payload of version <paramref name="payloadVersion"/>, runs <paramref name="loaded"/>'s checks of the loaded model,
    /// and asserts that it reproduces its recorded predictions bit for bit.
    /// </summary>
    public static void AssertVersionFixtureReproduces(string name, SyntheticData.Task task, int payloadVersion, Action<Fixture>? loaded = null)
    {
        var fixture = Open(name, task, payloadVersion);
        Assert.AreEqual(payloadVersion, PayloadVersion(File.ReadAllBytes(fixture.Zip)), $"{name}-{task}");
        loaded?.Invoke(fixture);
        AssertReproducesItsRecordedPredictions(fixture, task);
    }

    /// <summary>
    /// Fits small pipelines on 120 synthetic rows (<see cref="SyntheticData.Rows"/>, seed 1), all in one context of
    /// seed 1, and tells the payload version each fitted model is saved in.
    /// </summary>
    public sealed class WrittenVersion
    {
        private readonly IDataView _data;

        public WrittenVersion() => _data = Ml.Data.LoadFromEnumerable(SyntheticData.Rows(120, 1));

        /// <summary>The context to build the pipelines in.</summary>
        public MLContext Ml { get; } = new(seed: 1);

        /// <summary>The payload version of <paramref name="pipeline"/> fitted on the rows and saved.</summary>
        public int Of(IEstimator<ITransformer> pipeline) => PayloadVersion(ModelZip.Save(Ml, pipeline.Fit(_data), _data.Schema));
    }

    /// <summary>The committed fixture zip <paramref name="fileName"/>, its BN-MLP entry's name and bytes.</summary>
    public static (byte[] Zip, string Name, byte[] Entry) OpenEntry(string fileName)
    {
        byte[] zip = ReadZip(fileName);
        var (name, entry) = ModelZip.FindOurEntry(zip);
        return (zip, name, entry);
    }

    /// <summary>
    /// Asserts that the committed fixture <paramref name="fileName"/> with its entry resealed unchanged loads, so that
    /// the edits a test made to copies of it are what fails.
    /// </summary>
    public static void AssertResealedCopyLoads(string fileName)
    {
        var (zip, name, entry) = OpenEntry(fileName);
        Assert.IsNull(LoadWithEntry(zip, name, ModelZip.Resealed(entry, _ => { })), "the untouched resealed entry loads, so the edits above are what fails");
    }

    /// <summary>
    /// Asserts that the committed fixture <paramref name="fileName"/> (a version <paramref name="version"/> payload)
    /// relabelled <paramref name="relabelled"/> fails clearly with <paramref name="message"/> (see <see cref="LoadRelabelled"/>).
    /// </summary>
    public static void AssertRelabelledIsRefused(string fileName, int version, int relabelled, string message) =>
        DamagedModelTests.AssertClearFailure(LoadRelabelled(fileName, version, relabelled), message);

    /// <summary>
    /// Fits <paramref name="pipeline"/> on 240 synthetic rows with holes (NaN and +∞, <see cref="CompatibilityV2Fixture.WithHoles"/>),
    /// saves it, scores 60 other such rows in a fresh process, and asserts that its scores are finite and the fresh
    /// process's are the same bits.
    /// </summary>
    public static void AssertRoundTripsInAFreshProcessBitForBit(Func<MLContext, IEstimator<ITransformer>> pipeline)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(CompatibilityV2Fixture.WithHoles(SyntheticData.Rows(240, 1)));
        var probe = ml.Data.LoadFromEnumerable(CompatibilityV2Fixture.WithHoles(SyntheticData.Rows(60, 2)));
        var model = pipeline(ml).Fit(train);
        FreshProcess.RoundTrip(ml, model, train.Schema, probe, reloaded =>
        {
            var scores = Scores(model.Transform(probe));
            Assert.IsTrue(scores.All(float.IsFinite));
            CollectionAssert.AreEqual(scores, Scores(reloaded));
        });
    }

    /// <summary>The Score column, flattened row after row when it is a vector (multiclass).</summary>
    private static float[] Scores(IDataView v) => v.Schema["Score"].Type is VectorDataViewType
        ? v.GetColumn<VBuffer<float>>("Score").SelectMany(b => b.DenseValues()).ToArray()
        : v.GetColumn<float>("Score").ToArray();
}
