using BnMlNet.Engine;
using BnMlNet.MlNet.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.MlNet;

/// <summary>
/// Every numeric option at each edge of its allowed range, just inside and just outside: the trainer accepts or
/// rejects it when it is created (naming the option and the range), and the engine settings the option turns into
/// get the same verdict from the engine's own checks. The expected ranges are written out here, independently of
/// <see cref="SettingRules"/>, so a changed rule fails this test until the change is made on purpose.
/// </summary>
[TestClass]
public sealed class OptionBoundaryTests
{
    private static readonly MLContext Ml = new(1);

    /// <summary>An option, its allowed interval (null end: unbounded), how the message writes the range, and its setter.</summary>
    public sealed record Spec(string Option, double Min, bool MinIncluded, double? Max, bool MaxIncluded, bool IsInteger,
        string RangeText, Action<BatchNormMlpOptionsBase, double> Set, bool HasEngineCounterpart = true)
    {
        public override string ToString() => Option;
    }

    private static Spec Int(string option, int min, string text, Action<BatchNormMlpOptionsBase, int> set, bool engine = true, int? max = null) =>
        new(option, min, true, max, max is not null, true, text, (o, v) => set(o, (int)v), engine);

    private static Spec Float(string option, double min, bool minIncluded, double? max, bool maxIncluded, string text,
        Action<BatchNormMlpOptionsBase, float> set) =>
        new(option, min, minIncluded, max, maxIncluded, false, text, (o, v) => set(o, (float)v));

    public static IEnumerable<Spec> Specs()
    {
        yield return Int(nameof(BatchNormMlpOptionsBase.BatchSize), 2, "at least 2", (o, v) => o.BatchSize = v);
        yield return Int(nameof(BatchNormMlpOptionsBase.NumberOfEpochs), 1, "at least 1", (o, v) => o.NumberOfEpochs = v);
        yield return Int(nameof(BatchNormMlpOptionsBase.StepBudget), 0, "at least 0", (o, v) => o.StepBudget = v);
        yield return Int(nameof(BatchNormMlpOptionsBase.LearningRateStepEpochs), 1, "at least 1", (o, v) => o.LearningRateStepEpochs = v);
        yield return Int(nameof(BatchNormMlpOptionsBase.NumberOfThreads), 1, "at least 1", (o, v) => o.NumberOfThreads = v);
        yield return Int(nameof(BatchNormMlpOptionsBase.EarlyStoppingPatience), 0, "at least 0", (o, v) => o.EarlyStoppingPatience = v);
        yield return Int(nameof(BatchNormMlpOptionsBase.MaximumCacheMegabytes), 0, "at least 0", (o, v) => o.MaximumCacheMegabytes = v, engine: false);
        yield return Int(nameof(BatchNormMlpOptionsBase.EnsembleSize), 1, "in [1, 32]", (o, v) => o.EnsembleSize = v, max: 32);
        yield return Int(nameof(BatchNormMlpOptionsBase.HiddenLayerSizes), 1, "at least 1", (o, v) => o.HiddenLayerSizes = [8, v]);
        yield return Float(nameof(BatchNormMlpOptionsBase.LearningRate), 0, true, null, false, "a finite number ≥ 0", (o, v) => o.LearningRate = v);
        yield return Float(nameof(BatchNormMlpOptionsBase.Momentum), 0, true, 1, false, "in [0, 1)", (o, v) => o.Momentum = v);
        yield return Float(nameof(BatchNormMlpOptionsBase.WeightDecay), 0, true, null, false, "a finite number ≥ 0", (o, v) => o.WeightDecay = v);
        yield return Float(nameof(BatchNormMlpOptionsBase.BatchNormGammaWeightDecay), 0, true, null, false, "a finite number ≥ 0", (o, v) => o.BatchNormGammaWeightDecay = v);
        // an index into the default HiddenLayerSizes [128, 64]
        yield return Int(nameof(BatchNormMlpOptionsBase.BatchNormLayers), 0, "in [0, 1]", (o, v) => o.BatchNormLayers = [v], max: 1);
        yield return Float(nameof(BatchNormMlpOptionsBase.LearningRateStepFactor), 0, false, 1, true, "in (0, 1]", (o, v) => o.LearningRateStepFactor = v);
        yield return Float(nameof(BatchNormMlpOptionsBase.GradientClipNorm), 0, true, null, false, "a finite number ≥ 0", (o, v) => o.GradientClipNorm = v);
        yield return Float(nameof(BatchNormMlpOptionsBase.LeakyReluSlope), 0, true, null, false, "a finite number ≥ 0", (o, v) => o.LeakyReluSlope = v);
        yield return Float(nameof(BatchNormMlpOptionsBase.DropoutRate), 0, true, 1, false, "in [0, 1)", (o, v) => o.DropoutRate = v);
        yield return Float(nameof(BatchNormMlpOptionsBase.BatchNormMomentum), 0, false, 1, true, "in (0, 1]", (o, v) => o.BatchNormMomentum = v);
        yield return Float(nameof(BatchNormMlpOptionsBase.BatchNormEpsilon), 0, false, null, false, "a finite number > 0", (o, v) => o.BatchNormEpsilon = v);
        yield return Float(nameof(BatchNormMlpOptionsBase.EarlyStoppingMinDelta), 0, true, null, false, "a finite number ≥ 0", (o, v) => o.EarlyStoppingMinDelta = v);
        yield return Float(nameof(BatchNormMlpOptionsBase.ValidationFraction), 0, true, 1, false, "in [0, 1)", (o, v) => o.ValidationFraction = v);
        yield return Float(nameof(BatchNormMlpOptionsBase.AdamBeta2), 0, true, 1, false, "in [0, 1)", (o, v) => o.AdamBeta2 = v);
        yield return Int(nameof(BatchNormMlpOptionsBase.EmbeddingFrequencies), 1, "in [1, 64]", (o, v) => o.EmbeddingFrequencies = v, max: 64);
        yield return Int(nameof(BatchNormMlpOptionsBase.EmbeddingDimension), 1, "in [1, 64]", (o, v) => o.EmbeddingDimension = v, max: 64);
        yield return Float(nameof(BatchNormMlpOptionsBase.EmbeddingSigma), 0, false, 100, true, "in (0, 100]", (o, v) => o.EmbeddingSigma = v);
        yield return Int(nameof(BatchNormMlpOptionsBase.CategoricalEmbeddingDimension), 1, "in [1, 64]", (o, v) => o.CategoricalEmbeddingDimension = v, max: 64);
        yield return Int(nameof(BatchNormMlpOptionsBase.CategoricalEmbeddingMinimumLevels), 2, "in [2, 1000000]", (o, v) => o.CategoricalEmbeddingMinimumLevels = v, max: 1_000_000);
        yield return Int(nameof(BatchNormMlpOptionsBase.PlateauPatience), 0, "at least 0", (o, v) => o.PlateauPatience = v);
        yield return Float(nameof(BatchNormMlpOptionsBase.PlateauFactor), 0, false, 1, false, "in (0, 1)", (o, v) => o.PlateauFactor = v);
        yield return Int(nameof(BatchNormMlpOptionsBase.PlateauMaxReductions), 0, "at least 0", (o, v) => o.PlateauMaxReductions = v);
        yield return Float(nameof(BatchNormMlpOptionsBase.EarlyStoppingRelativeMinDelta), 0, true, 1, false, "in [0, 1)", (o, v) => o.EarlyStoppingRelativeMinDelta = v);
        yield return Float(nameof(BatchNormMlpOptionsBase.EarlyStoppingPatienceFraction), 0, true, 1, true, "in [0, 1]", (o, v) => o.EarlyStoppingPatienceFraction = v);
        // binary and multiclass only (the probes use binary options); the multiclass field shares the rule
        yield return Float(nameof(BatchNormMlpBinaryTrainer.Options.LabelSmoothing), 0, true, 1, false, "in [0, 1)",
            (o, v) => ((BatchNormMlpBinaryTrainer.Options)o).LabelSmoothing = v);
    }

    public static IEnumerable<object[]> SpecRows() => Specs().Select(s => new object[] { s });

    /// <summary>The probe values of one option with the verdict each must get: each edge, one step inside, one step outside.</summary>
    private static IEnumerable<(double Value, bool Allowed)> Probes(Spec s)
    {
        if (s.IsInteger)
        {
            int min = (int)s.Min;
            yield return (min - 1, false);
            yield return (min, true);
            yield return (min + 1, true);
            if (s.Max is { } top)
            {
                yield return ((int)top, true);
                yield return ((int)top - 1, true);
                yield return ((int)top + 1, false);
                yield return (int.MaxValue, false);
            }
            else
            {
                yield return (int.MaxValue, true);
            }
            yield break;
        }
        float lo = (float)s.Min;
        yield return (lo, s.MinIncluded);
        yield return (MathF.BitIncrement(lo), true);
        yield return (MathF.BitDecrement(lo), false);
        if (s.Max is { } max)
        {
            float hi = (float)max;
            yield return (hi, s.MaxIncluded);
            yield return (MathF.BitDecrement(hi), true);
            yield return (MathF.BitIncrement(hi), false);
        }
        else
        {
            yield return (float.MaxValue, true);
            yield return (float.PositiveInfinity, false);
        }
        yield return (float.NaN, false);
        yield return (float.NegativeInfinity, false);
    }

    [TestMethod]
    [DynamicData(nameof(SpecRows))]
    public void EachEdgeJustInsideAndJustOutside(Spec spec)
    {
        int probes = 0;
        foreach (var (value, allowed) in Probes(spec))
        {
            probes++;
            var options = new BatchNormMlpBinaryTrainer.Options();
            spec.Set(options, value);
            string shown = $"{spec.Option} = {value:R}";
            if (allowed)
            {
                try { Ml.BinaryClassification.Trainers.BatchNormMlp(options); }
                catch (ArgumentException e) { Assert.Fail($"{shown} is inside {spec.RangeText} but was rejected: {e.Message}"); }
            }
            else
            {
                var e = Assert.Throws<ArgumentException>(() => Ml.BinaryClassification.Trainers.BatchNormMlp(options), shown);
                Assert.AreEqual(spec.Option, e.ParamName, shown);
                StringAssert.Contains(e.Message, spec.Option, shown);
                StringAssert.Contains(e.Message, $"must be {spec.RangeText}", shown);
            }
            if (spec.HasEngineCounterpart)
                Assert.AreEqual(allowed, EngineAccepts(options), $"{shown}: the engine's checks disagree with the trainer's");
        }
        Assert.IsGreaterThanOrEqualTo(4, probes);
    }

    [TestMethod]
    public void EveryNumericOptionHasABoundarySpec()
    {
        // A new numeric option must get a row in Specs(); the non-numeric ones are listed here on purpose.
        string[] notNumeric =
        [
            nameof(BatchNormMlpOptionsBase.LabelColumnName), nameof(BatchNormMlpOptionsBase.FeatureColumnName),
            nameof(BatchNormMlpOptionsBase.ExampleWeightColumnName), nameof(BatchNormMlpOptionsBase.Activation),
            nameof(BatchNormMlpOptionsBase.BatchNormPlacement), nameof(BatchNormMlpOptionsBase.InputBatchNorm),
            nameof(BatchNormMlpOptionsBase.Optimizer), nameof(BatchNormMlpOptionsBase.Nesterov),
            nameof(BatchNormMlpOptionsBase.LearningRateSchedule), nameof(BatchNormMlpOptionsBase.RunningStatistics),
            nameof(BatchNormMlpOptionsBase.Shuffle), nameof(BatchNormMlpOptionsBase.Seed),
            nameof(BatchNormMlpOptionsBase.RestoreBestModel), nameof(BatchNormMlpOptionsBase.CancellationToken),
            nameof(BatchNormMlpOptionsBase.ThrowOnNonFiniteFeatures),
            nameof(BatchNormMlpOptionsBase.NumericScaling), nameof(BatchNormMlpOptionsBase.MissingValues),
            nameof(BatchNormMlpOptionsBase.NumericEmbedding), nameof(BatchNormMlpOptionsBase.CategoricalEmbedding),
            nameof(BatchNormMlpOptionsBase.NonFiniteScoring), nameof(BatchNormMlpOptionsBase.LearningRateBatchScaling),
            nameof(BatchNormMlpOptionsBase.RefitOnAllRows), nameof(BatchNormMlpOptionsBase.BatchNormHiddenLayers),
            nameof(BatchNormMlpOptionsBase.EmbeddingBatchNorm),
        ];
        var fields = typeof(BatchNormMlpOptionsBase).GetFields().Select(f => f.Name)
            .Append(nameof(BatchNormMlpBinaryTrainer.Options.LabelSmoothing)).ToHashSet();   // the classification trainers' own numeric option
        var covered = Specs().Select(s => s.Option).Concat(notNumeric).ToHashSet();
        CollectionAssert.AreEquivalent(fields.Order().ToArray(), covered.Order().ToArray());
    }

    [TestMethod]
    [DataRow(nameof(BatchNormMlpOptionsBase.Activation))]
    [DataRow(nameof(BatchNormMlpOptionsBase.BatchNormPlacement))]
    [DataRow(nameof(BatchNormMlpOptionsBase.Optimizer))]
    [DataRow(nameof(BatchNormMlpOptionsBase.LearningRateSchedule))]
    [DataRow(nameof(BatchNormMlpOptionsBase.LearningRateBatchScaling))]
    [DataRow(nameof(BatchNormMlpOptionsBase.RunningStatistics))]
    [DataRow(nameof(BatchNormMlpOptionsBase.NumericScaling))]
    [DataRow(nameof(BatchNormMlpOptionsBase.NumericEmbedding))]
    [DataRow(nameof(BatchNormMlpOptionsBase.CategoricalEmbedding))]
    public void EnumOptionsAcceptEveryMemberAndRejectJustPastTheEnds(string option)
    {
        var field = typeof(BatchNormMlpOptionsBase).GetField(option)!;
        var values = Enum.GetValues(field.FieldType).Cast<object>().Select(Convert.ToInt32).ToArray();
        foreach (int v in values.Append(values.Min() - 1).Append(values.Max() + 1))
        {
            bool allowed = values.Contains(v);
            var options = new BatchNormMlpBinaryTrainer.Options();
            field.SetValue(options, Enum.ToObject(field.FieldType, v));
            if (allowed)
                Ml.BinaryClassification.Trainers.BatchNormMlp(options);
            else
            {
                var e = Assert.Throws<ArgumentException>(() => Ml.BinaryClassification.Trainers.BatchNormMlp(options), $"{option} = {v}");
                Assert.AreEqual(option, e.ParamName);
                StringAssert.Contains(e.Message, "must be one of");
            }
            Assert.AreEqual(allowed, EngineAccepts(options), $"{option} = {v}: the engine's checks disagree");
        }
    }

    [TestMethod]
    public void NesterovNeedsMomentumAtCreationNotAtFit()
    {
        var options = new BatchNormMlpBinaryTrainer.Options { Optimizer = OptimizerKind.Sgd, Nesterov = true, Momentum = 0 };
        var e = Assert.Throws<ArgumentException>(() => Ml.BinaryClassification.Trainers.BatchNormMlp(options));
        Assert.AreEqual(nameof(BatchNormMlpOptionsBase.Nesterov), e.ParamName);
        StringAssert.Contains(e.Message, "Momentum > 0");
        Assert.IsFalse(EngineAccepts(options));

        options.Momentum = float.Epsilon;   // just inside
        Ml.BinaryClassification.Trainers.BatchNormMlp(options);
        Assert.IsTrue(EngineAccepts(options));
        options.Nesterov = false;
        options.Momentum = 0;
        Ml.BinaryClassification.Trainers.BatchNormMlp(options);
        Assert.IsTrue(EngineAccepts(options));
    }

    [TestMethod]
    public void AnOptionSpoiledAfterCreationFailsFitUnderTheUsersName()
    {
        var options = new BatchNormMlpBinaryTrainer.Options { HiddenLayerSizes = [4], NumberOfEpochs = 1 };
        var trainer = Ml.BinaryClassification.Trainers.BatchNormMlp(options);
        options.LearningRateStepFactor = 0;   // the engine calls it StepGamma; the user never wrote that name
        var rows = Enumerable.Range(0, 8).Select(i => new Row { Features = [i, -i], Label = i % 2 == 0 }).ToArray();
        var e = Assert.Throws<ArgumentException>(() => trainer.Fit(Ml.Data.LoadFromEnumerable(rows)));
        Assert.AreEqual(nameof(BatchNormMlpOptionsBase.LearningRateStepFactor), e.ParamName);
        StringAssert.Contains(e.Message, "in (0, 1]");
    }

    /// <summary>Whether the engine's own validation accepts the settings the adapter makes of these options.</summary>
    private static bool EngineAccepts(BatchNormMlpOptionsBase options)
    {
        try
        {
            EngineSettings.Training(options, seed: 1).Validate();
            EngineSettings.Network(options, inputSize: 3, outputSize: 1).Validate();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private sealed class Row
    {
        [VectorType(2)] public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }
}
