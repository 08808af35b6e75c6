namespace BnMlNet.Samples.Experiments;

/// <summary>One seed's measurement of one effect a claim predicts: the figure with BN and without.</summary>
/// <param name="Name">What is compared (the same in every seed).</param>
/// <param name="WithBn">The figure with BN.</param>
/// <param name="WithoutBn">The figure without BN (or the alternative the claim is judged against).</param>
/// <param name="LowerSupportsClaim">True when the claim predicts a lower figure with BN (a gap, a saturated share, a gradient).</param>
/// <param name="Decimals">Decimals in the verdict's text (-1: scientific).</param>
/// <param name="ClaimsNoDifference">The claim predicts no difference (two conventions "reach the same effect"): it is supported when the difference is not larger than the spread.</param>
/// <param name="First">How the verdict names the first figure ("BN").</param>
public sealed record Effect(string Name, double WithBn, double WithoutBn, bool LowerSupportsClaim = false, int Decimals = 4, bool ClaimsNoDifference = false, string First = "BN");

/// <summary>What the seeds say about one effect.</summary>
public enum EffectOutcome
{
    /// <summary>The difference favours the claim and is larger than the spread across seeds.</summary>
    Supports,
    /// <summary>The difference is not larger than the spread across seeds.</summary>
    WithinSpread,
    /// <summary>The difference goes against the claim and is larger than the spread across seeds.</summary>
    Against,
}

/// <summary>One effect judged over the seeds.</summary>
/// <param name="Name">What is compared.</param>
/// <param name="WithBn">BN's figure over the seeds.</param>
/// <param name="WithoutBn">The other figure over the seeds.</param>
/// <param name="Difference">Mean(BN) − mean(other), signed so that a positive value favours the claim.</param>
/// <param name="Spread">The larger of the two half-ranges.</param>
/// <param name="Outcome">The rule's outcome.</param>
/// <param name="Decimals">Decimals for the text (-1: scientific).</param>
/// <param name="First">How the text names the first figure.</param>
public sealed record JudgedEffect(string Name, SeedSpread WithBn, SeedSpread WithoutBn, double Difference, double Spread, EffectOutcome Outcome, int Decimals, string First = "BN")
{
    /// <summary>One line for the report.</summary>
    public string Text
    {
        get
        {
            string F(SeedSpread s) => Decimals < 0 ? $"{Format.Sci(s.Mean)} ± {Format.Sci(s.HalfRange)}" : s.Text(Decimals);
            string N(double v) => Decimals < 0 ? Format.Sci(v) : Format.Fixed(v, Decimals);
            string outcome = Outcome switch
            {
                EffectOutcome.Supports => "supports the claim",
                EffectOutcome.Against => "goes against the claim",
                _ => "within the seed spread",
            };
            return $"{Name}: {First} {F(WithBn)} vs {F(WithoutBn)}; difference in the claim's direction {N(Difference)}, spread {N(Spread)}: {outcome}";
        }
    }
}

/// <summary>The rule that turns the seeds' numbers into a verdict.</summary>
public static class SeedVerdict
{
    /// <summary>The rule, as the report states it.</summary>
    public const string Rule =
        "For each effect the claim predicts, d = mean(BN) − mean(other) over the seeds, signed so that d > 0 favours the claim, and the spread " +
        "s = the larger of the two half-ranges (max − min) / 2. The effect supports the claim when d > s, goes against it when −d > s, and is " +
        "within the seed spread otherwise. Where the claim predicts no difference (two ways of doing the same thing), the effect supports it " +
        "when |d| ≤ s and goes against it when |d| > s. The claim **holds** when every effect supports it, **holds partly** when some but not all do, and " +
        "**does not hold** when none does.";

    /// <summary>Judges one effect from its per-seed measurements (all with the same name).</summary>
    public static JudgedEffect Judge(IReadOnlyList<Effect> perSeed)
    {
        ArgumentNullException.ThrowIfNull(perSeed);
        if (perSeed.Count == 0) throw new ArgumentException("No measurement.", nameof(perSeed));
        var bn = SeedSpread.Of(perSeed.Select(e => e.WithBn));
        var other = SeedSpread.Of(perSeed.Select(e => e.WithoutBn));
        bool lower = perSeed[0].LowerSupportsClaim;
        double d = (bn.Mean - other.Mean) * (lower ? -1 : 1);
        double s = Math.Max(bn.HalfRange, other.HalfRange);
        var outcome = double.IsNaN(d) || double.IsNaN(s) ? EffectOutcome.WithinSpread
            : perSeed[0].ClaimsNoDifference ? (Math.Abs(d) <= s ? EffectOutcome.Supports : EffectOutcome.Against)
            : d > s ? EffectOutcome.Supports : -d > s ? EffectOutcome.Against : EffectOutcome.WithinSpread;
        return new JudgedEffect(perSeed[0].Name, bn, other, d, s, outcome, perSeed[0].Decimals, perSeed[0].First);
    }

    /// <summary>"holds", "holds partly" or "does not hold" from the judged effects ("was not measured" when there is none).</summary>
    public static string Overall(IReadOnlyList<JudgedEffect> effects)
    {
        ArgumentNullException.ThrowIfNull(effects);
        if (effects.Count == 0) return "was not measured";
        int supports = effects.Count(e => e.Outcome == EffectOutcome.Supports);
        return supports == effects.Count && supports == effects.Count ? "holds" : supports > 0 ? "holds partly" : "does not hold";
    }

    /// <summary>Groups the seeds' effects by name (in first-seed order) and judges each.</summary>
    public static IReadOnlyList<JudgedEffect> JudgeAll(IReadOnlyList<IReadOnlyList<Effect>> perSeed)
    {
        ArgumentNullException.ThrowIfNull(perSeed);
        var names = perSeed.SelectMany(s => s.Select(e => e.Name)).Distinct().ToList();
        return names.Select(n => Judge(perSeed.SelectMany(s => s.Where(e => e.Name == n)).ToList())).ToList();
    }
}
