using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BnMlNet.Tests.MlNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Recipe;

/// <summary>
/// With every option of the tabular recipe switched off, training must reproduce the model the code gave before the
/// recipe existed, bit for bit. The fingerprints in Fixtures/fingerprint/legacy.json were computed on that code
/// (commit 006c0f7, before any recipe change); each is a SHA-256 over every learned number of the trained model and its
/// predictions on a probe set, computed by <see cref="Fingerprint"/> at commit 2a21091 (whose library code is
/// 006c0f7's). They are never regenerated from later code: that would defeat the point. To check them, check out
/// 2a21091 and run this class.
/// </summary>
[TestClass]
public sealed class LegacyFingerprintTests
{
    /// <summary>A row with an example weight, for the weighted case.</summary>
    public sealed class WeightedRow
    {
        public string Color { get; set; } = "";
        public float X1 { get; set; }
        public float X2 { get; set; }
        public bool IsPositive { get; set; }
        public float Target { get; set; }
        public float Weight { get; set; }
    }

    private static string FixturePath => Path.Combine(AppContext.BaseDirectory, "Fixtures", "fingerprint", "legacy.json");

    /// <summary>Switches off every option the tabular recipe added, so the options mean what they meant before it.</summary>
    public static T Legacy<T>(T options) where T : BatchNormMlpOptionsBase
    {
        RecipeOff.Apply(options);
        return options;
    }

    public static IEnumerable<object[]> Cases =>
    [
        ["binary-defaults"], ["multiclass-defaults"], ["regression-defaults"],
        ["binary-two-threads"], ["regression-streamed-weighted-early-stopping"], ["multiclass-validated-early-stopping"],
    ];

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void AllRecipeOptionsOffReproducesThePreRecipeModelBitForBit(string name)
    {
        Assert.IsTrue(File.Exists(FixturePath), $"missing fixture {FixturePath}");
        var expected = JsonNode.Parse(File.ReadAllText(FixturePath))!["fingerprints"]![name];
        Assert.IsNotNull(expected, $"no fingerprint for {name}");
        Assert.AreEqual((string)expected!, Fingerprint(name), $"case {name}");
    }

    [TestMethod]
    public void FingerprintSeesASingleBitOfDifference()
    {
        // The fingerprint must not be blind: another seed (one different number anywhere) changes it.
        Assert.AreNotEqual(Fingerprint("binary-defaults"), Fingerprint("binary-defaults", seed: 4));
    }

    internal static string Fingerprint(string name, int seed = 3)
    {
        var ml = new MLContext(seed: 1);
        var raw = SyntheticData.Rows(240, seed: 1);
        var weighted = raw.Select((r, i) => new WeightedRow
        {
            Color = r.Color, X1 = r.X1, X2 = r.X2, IsPositive = r.IsPositive, Target = r.Target, Weight = 0.25f + (i % 7) * 0.3f,
        }).ToList();
        var train = ml.Data.LoadFromEnumerable(raw);
        var valid = ml.Data.LoadFromEnumerable(SyntheticData.Rows(80, seed: 2));
        var probe = ml.Data.LoadFromEnumerable(SyntheticData.Rows(32, seed: 99));
        var features = SyntheticData.Featurize(ml);
        switch (name)
        {
            case "binary-defaults":
            case "binary-two-threads":
            {
                var prep = ml.Transforms.CopyColumns("Label", nameof(RawRow.IsPositive)).Append(features).Fit(train);
                var trainer = ml.BinaryClassification.Trainers.BatchNormMlp(Legacy(new BatchNormMlpBinaryTrainer.Options
                { Seed = seed, NumberOfThreads = name == "binary-two-threads" ? 2 : 1 }));
                var model = trainer.Fit(prep.Transform(train));
                return Hash(model.Model, model.Transform(prep.Transform(probe)), "Score", "Probability");
            }
            case "multiclass-defaults":
            case "multiclass-validated-early-stopping":
            {
                var prep = ml.Transforms.Conversion.MapValueToKey("Label", nameof(RawRow.Class)).Append(features).Fit(train);
                var options = Legacy(new BatchNormMlpMulticlassTrainer.Options { Seed = seed, NumberOfThreads = 1 });
                bool early = name == "multiclass-validated-early-stopping";
                if (early) { options.EarlyStoppingPatience = 2; options.NumberOfEpochs = 30; options.HiddenLayerSizes = [32, 16]; }
                var trainer = ml.MulticlassClassification.Trainers.BatchNormMlp(options);
                var model = early ? trainer.Fit(prep.Transform(train), prep.Transform(valid)) : trainer.Fit(prep.Transform(train));
                return Hash(model.Model, model.Transform(prep.Transform(probe)), "Score");
            }
            case "regression-defaults":
            {
                var prep = ml.Transforms.CopyColumns("Label", nameof(RawRow.Target)).Append(features).Fit(train);
                var trainer = ml.Regression.Trainers.BatchNormMlp(Legacy(new BatchNormMlpRegressionTrainer.Options { Seed = seed, NumberOfThreads = 1 }));
                var model = trainer.Fit(prep.Transform(train));
                return Hash(model.Model, model.Transform(prep.Transform(probe)), "Score");
            }
            case "regression-streamed-weighted-early-stopping":
            {
                var wtrain = ml.Data.LoadFromEnumerable(weighted);
                var prep = ml.Transforms.CopyColumns("Label", nameof(RawRow.Target)).Append(features).Fit(wtrain);
                var options = Legacy(new BatchNormMlpRegressionTrainer.Options
                {
                    Seed = seed, NumberOfThreads = 1, MaximumCacheMegabytes = 0, ExampleWeightColumnName = nameof(WeightedRow.Weight),
                    HiddenLayerSizes = [24], BatchSize = 50,
                });
                options.EarlyStoppingPatience = 3;   // after Legacy, which resets it
                var trainer = ml.Regression.Trainers.BatchNormMlp(options);
                var wvalid = ml.Data.LoadFromEnumerable(SyntheticData.Rows(80, seed: 2).Select(r => new WeightedRow
                { Color = r.Color, X1 = r.X1, X2 = r.X2, IsPositive = r.IsPositive, Target = r.Target, Weight = 1 }));
                var model = trainer.Fit(prep.Transform(wtrain), prep.Transform(wvalid));
                return Hash(model.Model, model.Transform(prep.Transform(probe)), "Score");
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "unknown case");
        }
    }

    private static string Hash(BatchNormMlpModelParameters model, IDataView scored, params string[] columns)
    {
        using var sha = SHA256.Create();
        var bytes = new List<byte>();
        void Add(IEnumerable<float>? values)
        {
            if (values is null) { bytes.Add(0xFF); return; }
            foreach (var v in values) bytes.AddRange(BitConverter.GetBytes(v));
            bytes.Add(0xFE);
        }
        void AddNorm(BatchNormParameters? bn)
        {
            if (bn is null) { bytes.Add(0xFD); return; }
            Add(bn.Gamma); Add(bn.Beta); Add(bn.RunningMean); Add(bn.RunningVariance); Add([bn.Epsilon]);
        }
        AddNorm(model.InputBatchNorm);
        foreach (var layer in model.Layers)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes($"{layer.InputSize}x{layer.OutputSize}:{layer.Placement}:{layer.Activation}"));
            Add(layer.Weights); Add(layer.Bias); AddNorm(layer.BatchNorm);
        }
        bytes.AddRange(Encoding.UTF8.GetBytes($"epochs {model.TrainingHistory.Count}"));
        foreach (var column in columns)
        {
            if (scored.Schema[column].Type is VectorDataViewType)
                foreach (var v in scored.GetColumn<VBuffer<float>>(column)) Add(v.DenseValues());
            else
                Add(scored.GetColumn<float>(column));
        }
        return Convert.ToHexString(sha.ComputeHash(bytes.ToArray())).ToLowerInvariant();
    }
}
