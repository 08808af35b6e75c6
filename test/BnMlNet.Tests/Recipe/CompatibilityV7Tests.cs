using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Persistence;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// Payload format version 7 (NumericScaling.Quantile: the preprocessing block ends with the knots): the committed
/// fixtures load and reproduce their recorded predictions bit for bit; version 7 is written only for a quantile map;
/// relabelled and truncated payloads are refused clearly; a model round-trips in a fresh process bit for bit.
/// </summary>
[TestClass]
public sealed class CompatibilityV7Tests
{
    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Multiclass)]
    [DataRow(SyntheticData.Task.Regression)]
    public void Version7QuantileModelReproducesItsRecordedPredictionsBitForBit(SyntheticData.Task task)
    {
        CompatibilityHarness.AssertVersionFixtureReproduces("v7-quantile", task, payloadVersion: 7);
    }

    [TestMethod]
    public void Version7IsWrittenOnlyForAQuantileMap()
    {
        var version = new CompatibilityHarness.WrittenVersion();
        Assert.AreEqual(7, version.Of(CompatibilityV7Fixture.Pipeline(version.Ml, SyntheticData.Task.Binary, epochs: 1)), "quantile scaling: version 7");
        Assert.AreEqual(2, version.Of(SmallTables.RefitOnAllRowsTests.Pipeline(version.Ml, SyntheticData.Task.Binary, o =>
        { o.NumberOfEpochs = 1; o.EnsembleSize = 1; o.NumberOfThreads = 1; })), "robust scaling, one network: version 2 as before");
    }

    [TestMethod]
    public void ForeignLayoutsUnderVersion7AreRefused()
    {
        // a version-6 payload relabelled as version 7: the quantile block is missing, so the parser runs out of bytes or finds none
        CompatibilityHarness.AssertRelabelledIsRefused("v2-binary.zip", version: 2, relabelled: 7,
            "The BatchNormMlp model in this file is damaged");
        // a version-7 payload relabelled as version 6: the knots are left over where the embedding flag should be
        CompatibilityHarness.AssertRelabelledIsRefused("v7-quantile-binary.zip", version: 7, relabelled: 6,
            "The BatchNormMlp model in this file is damaged");
        CompatibilityHarness.AssertRelabelledIsRefused("v7-quantile-binary.zip", version: 7, relabelled: 8, CompatibilityHarness.UpgradeMessage);
    }

    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Multiclass)]
    [DataRow(SyntheticData.Task.Regression)]
    public void Version7PreprocessingBlockTruncatedAtEveryOffsetNamesWhatIsMissing(SyntheticData.Task task)
    {
        var (zip, name, entry) = CompatibilityHarness.OpenEntry($"v7-quantile-{task.ToString().ToLowerInvariant()}.zip");
        int start = ModelZip.PayloadStart(entry), length = ModelZip.PayloadLength(entry);
        byte[] payload = entry.AsSpan(start, length).ToArray();
        Assert.AreEqual(7, BitConverter.ToInt32(payload, 8));
        var block = new PreprocessingBlockMap(payload, withQuantile: true);
        Assert.HasCount(block.InputSize, block.KnotCounts);
        Assert.IsTrue(block.KnotCounts.Any(c => c > 1), "some input has several knots, so cuts fall inside a knot list");
        Assert.IsGreaterThan(0, block.IndicatorCount, "the fixture has missing indicators");
        for (int cut = block.Flag; cut <= block.End; cut++)
        {
            // the payload cut and sealed again (its length and checksum agree), so our reader meets the cut itself
            byte[] part = payload.AsSpan(0, cut).ToArray();
            using var framed = new MemoryStream();
            using (var w = new BinaryWriter(framed, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                w.Write(cut);
                w.Write(part);
                w.Write(System.Security.Cryptography.SHA256.HashData(part));
            }
            framed.Position = 0;
            using var reader = new BinaryReader(framed);
            var error = Assert.ThrowsExactly<InvalidDataException>(() => BnMlNet.MlNet.Persistence.ModelPayloadReader.Read(reader), $"{task} cut at {cut}");
            Assert.AreEqual($"The BatchNormMlp model in this file is damaged: {block.ExpectedMessage(cut)}. " +
                "Re-save the model from a trained pipeline, or restore the file from a backup.", error.Message, $"{task} cut at {cut}");
            // and the same cut of the entry in the zip, as a damaged file would be: a clear failure, never a bug-like one
            DamagedModelTests.AssertClearFailure(CompatibilityHarness.LoadWithEntry(zip, name, entry.AsSpan(0, start + cut).ToArray()));
        }
        Assert.IsNull(CompatibilityHarness.LoadWithEntry(zip, name, entry), "the untouched entry loads, so the cuts above are what fails");
    }

    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Multiclass)]
    [DataRow(SyntheticData.Task.Regression)]
    public void RoundTripsInAFreshProcessBitForBit(SyntheticData.Task task) =>
        CompatibilityHarness.AssertRoundTripsInAFreshProcessBitForBit(ml => CompatibilityV7Fixture.Pipeline(ml, task));
}
