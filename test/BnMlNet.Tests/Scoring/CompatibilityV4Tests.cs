using BnMlNet.MlNet.Persistence;
using BnMlNet.Tests.MlNet;
using BnMlNet.Tests.Persistence;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Scoring;

/// <summary>
/// Model zips of payload format version 4 (a throwing <see cref="NonFiniteScoring"/>) load, reproduce their recorded
/// predictions bit for bit on the probe rows their policy accepts (NaN and ±∞ included where it imputes), and refuse
/// the rows it refuses, naming the column, the slot and the value, in Transform and PredictionEngine. Damaged and
/// foreign version-4 payloads fail clearly. The files were written by <see cref="CompatibilityV4Fixture.WriteFixtures"/>
/// (<c>dotnet run --project tools/CompatFixtures -- nonfinite-v4</c>, which never overwrites).
/// </summary>
[TestClass]
public sealed class CompatibilityV4Tests
{
    private sealed class ScalarOutput { public float Score { get; set; } }

    private sealed class VectorOutput { public float[] Score { get; set; } = []; }

    [TestMethod]
    [DataRow(SyntheticData.Task.Binary)]
    [DataRow(SyntheticData.Task.Multiclass)]
    [DataRow(SyntheticData.Task.Regression)]
    public void Version4ModelReproducesItsPredictionsAndItsRefusals(SyntheticData.Task task)
    {
        var fixture = CompatibilityHarness.Open("v4-nonfinite", task, payloadVersion: 4);
        var policy = CompatibilityV4Fixture.Policy(task);
        Assert.AreEqual(policy.ToString(), (string)fixture.Recorded["nonFiniteScoring"]!);
        var accepted = fixture.Input;
        var refused = fixture.RecordedRows("refused");
        Assert.IsNotEmpty(refused, "the probe holds rows the policy refuses");
        Assert.IsTrue(accepted.All(r => !CompatibilityV4Fixture.Refuses(policy, r)) && refused.All(r => CompatibilityV4Fixture.Refuses(policy, r)));
        if (policy != NonFiniteScoring.Throw)
            Assert.IsTrue(accepted.Any(r => !float.IsFinite(r.X1) || !float.IsFinite(r.X2)), "the accepted rows include imputed non-finite values");

        var (ml, model, parameters) = (fixture.Ml, fixture.Model, fixture.Parameters);
        Assert.AreEqual(policy, parameters.NonFiniteScoring);
        CompatibilityHarness.AssertReproducesItsRecordedPredictions(fixture, task);

        int x1 = parameters.FeatureCount - 2, x2 = parameters.FeatureCount - 1;   // Features = [one-hot colour, X1, X2]
        foreach (var row in refused)
        {
            bool first = CompatibilityV4Fixture.Refuses(policy, new RawRow { X1 = row.X1, X2 = 0 });
            float bad = first ? row.X1 : row.X2;
            string fragment = $"Feature column 'Features' slot {(first ? x1 : x2)} is {(float.IsNaN(bad) ? "NaN" : bad > 0 ? "+∞" : "−∞")}, " +
                $"but this model was trained with NonFiniteScoring = {policy}";
            var viaTransform = Assert.Throws<Exception>(() => fixture.Score([row], task));
            StringAssert.Contains(VectorScoring.MessageChain(viaTransform), fragment, "Transform");
            var viaEngine = Assert.Throws<Exception>(() =>
            {
                if (task == SyntheticData.Task.Multiclass) ml.Model.CreatePredictionEngine<RawRow, VectorOutput>(model).Predict(row);
                else ml.Model.CreatePredictionEngine<RawRow, ScalarOutput>(model).Predict(row);
            });
            StringAssert.Contains(VectorScoring.MessageChain(viaEngine), fragment, "PredictionEngine");
        }
    }

    private static (byte[] Zip, string Name, byte[] Entry) Entry(SyntheticData.Task task) =>
        CompatibilityHarness.OpenEntry(FileName(task));

    private static string FileName(SyntheticData.Task task) => $"v4-nonfinite-{task.ToString().ToLowerInvariant()}.zip";

    [TestMethod]
    public void Version4FramingTruncatedAtEveryOffsetIsReportedAsDamage()
    {
        var (_, _, entry) = Entry(SyntheticData.Task.Binary);
        int start = ModelZip.PayloadStart(entry) - 4, end = start + 4 + ModelZip.PayloadLength(entry) + 32;
        byte[] framed = entry.AsSpan(start, end - start).ToArray();
        for (int length = 0; length < framed.Length; length++)
        {
            using var reader = new BinaryReader(new MemoryStream(framed, 0, length));
            var error = Assert.ThrowsExactly<InvalidDataException>(() => ModelPayloadReader.Read(reader), $"cut at {length}");
            StringAssert.StartsWith(error.Message, "The BatchNormMlp model in this file is damaged: ");
        }
        // cut inside the payload but resealed, so the checksum passes and the parser meets the cut
        int payload = ModelZip.PayloadLength(entry);
        for (int cut = payload - 4; cut < payload; cut++)
        {
            byte[] bytes = entry.AsSpan(ModelZip.PayloadStart(entry), cut).ToArray();
            var error = Assert.ThrowsExactly<InvalidDataException>(() => ModelPayloadReader.Parse(bytes), $"payload cut at {cut}");
            StringAssert.Contains(error.Message, "it ends early (truncated)");
        }
        using var whole = new BinaryReader(new MemoryStream(framed));
        Assert.AreEqual(NonFiniteScoring.Throw, ModelPayloadReader.Read(whole).NonFiniteScoring);
    }

    [TestMethod]
    [DataRow(4)]
    [DataRow(-1)]
    [DataRow(int.MaxValue)]
    public void AnUnknownPolicyCodeIsRefused(int code)
    {
        var (zip, name, entry) = Entry(SyntheticData.Task.Binary);
        var damaged = ModelZip.Resealed(entry, p => BitConverter.GetBytes(code).CopyTo(p, p.Length - 4));   // the policy is the last int32
        DamagedModelTests.AssertClearFailure(CompatibilityHarness.LoadWithEntry(zip, name, damaged),
            $"The BatchNormMlp model in this file is damaged: non-finite scoring policy code {code} is unknown");
    }

    [TestMethod]
    public void ForeignLayoutsUnderVersion4AreRefused()
    {
        // a version-3 payload (no policy field) relabelled as version 4: the parser runs out of bytes
        CompatibilityHarness.AssertRelabelledIsRefused("v3-ensemble-binary.zip", version: 3, relabelled: 4,
            "The BatchNormMlp model in this file is damaged: it ends early (truncated)");
        // a version-4 payload relabelled as version 3: the policy is left over
        CompatibilityHarness.AssertRelabelledIsRefused("v4-nonfinite-regression.zip", version: 4, relabelled: 3,
            "The BatchNormMlp model in this file is damaged");
        // a newer version asks for an upgrade
        CompatibilityHarness.AssertRelabelledIsRefused("v4-nonfinite-regression.zip", version: 4, relabelled: 8, CompatibilityHarness.UpgradeMessage);
        CompatibilityHarness.AssertResealedCopyLoads(FileName(SyntheticData.Task.Regression));
    }
}
