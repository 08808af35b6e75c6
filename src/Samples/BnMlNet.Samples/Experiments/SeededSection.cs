namespace BnMlNet.Samples.Experiments;

/// <summary>One experiment over several seeds: each seed's section, and the combined one (tables as mean ± spread, verdict by <see cref="SeedVerdict"/>).</summary>
/// <param name="Combined">What the report shows first.</param>
/// <param name="PerSeed">Each seed's own section, in seed order.</param>
/// <param name="Seeds">The seeds.</param>
/// <param name="Effects">The effects judged over the seeds.</param>
public sealed record SeededSection(ExperimentSection Combined, IReadOnlyList<ExperimentSection> PerSeed, IReadOnlyList<int> Seeds, IReadOnlyList<JudgedEffect> Effects)
{
    /// <summary>The word the rule gives ("holds", "holds partly", "does not hold").</summary>
    public string Outcome => SeedVerdict.Overall(Effects);

    /// <summary>Combines the seeds' sections of one experiment.</summary>
    public static SeededSection Combine(IReadOnlyList<ExperimentSection> perSeed, IReadOnlyList<int> seeds)
    {
        ArgumentNullException.ThrowIfNull(perSeed);
        ArgumentNullException.ThrowIfNull(seeds);
        var first = perSeed[0];
        int tables = perSeed.Min(s => s.Tables.Count);
        var combined = Enumerable.Range(0, tables).Select(i => SeedTables.Combine(perSeed.Select(s => s.Tables[i]).ToList())).ToList();
        var effects = SeedVerdict.JudgeAll(perSeed.Select(s => s.Effects ?? []).ToList());
        string verdict = $"**Over {seeds.Count} seed{(seeds.Count == 1 ? "" : "s")} ({string.Join(", ", seeds)}), by the rule below: the claim {SeedVerdict.Overall(effects)}.** " +
            string.Join(" ", effects.Select(e => e.Text + ".")) +
            $" Seed {seeds[0]} in words (its own numbers only): {first.Verdict}";
        var section = first with
        {
            Setup = first.Setup + $" Run once per seed ({string.Join(", ", seeds)}): the seed sets initialization, shuffling and any sub-sample the experiment draws itself.",
            Tables = combined,
            Verdict = verdict,
            Seconds = perSeed.Sum(s => s.Seconds),
        };
        return new SeededSection(section, perSeed, seeds, effects);
    }
}
