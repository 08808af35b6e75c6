using BnMlNet.Engine;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Engine;

/// <summary>
/// The engine-only settings (no ML.NET option maps to them) at each edge of their range, one float step inside and
/// outside, through <see cref="TrainingSettings.Validate"/>. The ranges are written out here, independently of
/// <see cref="SettingRules"/>. The settings the ML.NET options map to are covered by MlNet/OptionBoundaryTests.
/// </summary>
[TestClass]
public sealed class SettingRulesTests
{
    public static IEnumerable<object[]> EngineOnly()
    {
        yield return [nameof(TrainingSettings.Beta1), 0.0, true, 1.0, false, "in [0, 1)"];
        yield return [nameof(TrainingSettings.Beta2), 0.0, true, 1.0, false, "in [0, 1)"];
        yield return [nameof(TrainingSettings.AdamEpsilon), 0.0, false, double.PositiveInfinity, false, "a finite number > 0"];
        yield return [nameof(TrainingSettings.OneCycleWarmupFraction), 0.0, false, 1.0, false, "in (0, 1)"];
        yield return [nameof(TrainingSettings.OneCycleInitialDivisor), 1.0, true, double.PositiveInfinity, false, "a finite number ≥ 1"];
        yield return [nameof(TrainingSettings.OneCycleFinalDivisor), 1.0, true, double.PositiveInfinity, false, "a finite number ≥ 1"];
    }

    [TestMethod]
    [DynamicData(nameof(EngineOnly))]
    public void EngineOnlySettingsAtEachEdge(string setting, double min, bool minIncluded, double max, bool maxIncluded, string range)
    {
        var property = typeof(TrainingSettings).GetProperty(setting)!;
        float lo = (float)min;
        var probes = new List<(float Value, bool Allowed)>
        {
            (lo, minIncluded), (MathF.BitIncrement(lo), true), (MathF.BitDecrement(lo), false), (float.NaN, false),
        };
        if (double.IsPositiveInfinity(max)) probes.AddRange([(float.MaxValue, true), (float.PositiveInfinity, false)]);
        else
        {
            float hi = (float)max;
            probes.AddRange([(hi, maxIncluded), (MathF.BitDecrement(hi), true), (MathF.BitIncrement(hi), false)]);
        }
        foreach (var (value, allowed) in probes)
        {
            var settings = new TrainingSettings();
            property.SetValue(settings, value);
            if (allowed)
            {
                settings.Validate();
                continue;
            }
            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(settings.Validate, $"{setting} = {value:R}");
            Assert.AreEqual(setting, e.ParamName);
            StringAssert.Contains(e.Message, $"{setting} is ");
            StringAssert.Contains(e.Message, $"must be {range}");
        }
    }

    [TestMethod]
    public void RangesReadAsTheyAreWritten()
    {
        Assert.AreEqual("in [0, 1)", SettingRules.Momentum.Describe());
        Assert.AreEqual("in (0, 1]", SettingRules.BatchNormMomentum.Describe());
        Assert.AreEqual("at least 2", SettingRules.BatchSize.Describe());
        Assert.AreEqual("a finite number ≥ 0", SettingRules.LearningRate.Describe());
        Assert.AreEqual("a finite number > 0", SettingRules.BatchNormEpsilon.Describe());
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SettingRules.Momentum.Check(1f, "Momentum"));
        StringAssert.StartsWith(e.Message, "Momentum is 1; it must be in [0, 1) (at 1 the velocity never decays).");
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SettingRules.HiddenSize.CheckElement(0, "HiddenSizes", 2));
        Assert.AreEqual("HiddenSizes", e.ParamName);
        StringAssert.StartsWith(e.Message, "HiddenSizes[2] is 0; it must be at least 1");
    }
}
