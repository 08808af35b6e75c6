namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>One ablation over several runs (seeds) of <c>bench tabular --ablate</c>.</summary>
/// <param name="Name">The ablation's report name.</param>
/// <param name="Tables">Datasets it ran on in every run.</param>
/// <param name="MeanChange">Mean of (ablated − default metric) over every run and dataset, each run against its own defaults.</param>
/// <param name="Better">Datasets whose change, averaged over the runs, is above +<see cref="SuiteSummary.CloseMargin"/>.</param>
/// <param name="Worse">Datasets whose change, averaged over the runs, is below −<see cref="SuiteSummary.CloseMargin"/>.</param>
/// <param name="BelowSdca">Per run: datasets where the ablated BN-MLP scores below SDCA.</param>
/// <param name="DefaultBelowSdca">Per run: the same count for the defaults on the same datasets.</param>
/// <param name="Losses">Per run: datasets the ablated BN-MLP loses to the better tree by more than <see cref="SuiteSummary.CloseMargin"/>.</param>
/// <param name="DefaultLosses">Per run: the same count for the defaults on the same datasets.</param>
/// <param name="SecondsRatio">Per run: Σ ablated seconds / Σ default seconds over the datasets (one process, so one load).</param>
/// <param name="MedianTableSecondsRatio">Median over every run and dataset of ablated s / default s (each at least 0.01 s).</param>
public sealed record AblationEffect(string Name, int Tables, double MeanChange, int Better, int Worse,
    IReadOnlyList<int> BelowSdca, IReadOnlyList<int> DefaultBelowSdca, IReadOnlyList<int> Losses, IReadOnlyList<int> DefaultLosses,
    IReadOnlyList<double> SecondsRatio, double MedianTableSecondsRatio);

/// <summary>Several runs of <c>bench tabular --ablate</c> (one per seed) summarized per ablation and per dataset.</summary>
/// <param name="Seeds">The runs' seeds, in the order given.</param>
/// <param name="Datasets">The datasets present in every run, in the first run's order.</param>
/// <param name="Effects">One per ablation present in every run, in the first run's order.</param>
/// <param name="TableChanges">Per dataset and ablation: the change averaged over the runs (absent: the ablation did not apply).</param>
public sealed record AblationSummary(IReadOnlyList<int> Seeds, IReadOnlyList<string> Datasets, IReadOnlyList<AblationEffect> Effects,
    IReadOnlyDictionary<(string Dataset, string Ablation), double> TableChanges)
{
    /// <summary>Seconds below this count as this in a per-table ratio.</summary>
    public const double SecondsFloor = 0.01;

    /// <summary>Summarizes <paramref name="runs"/>.</summary>
    /// <exception cref="ArgumentException">No runs, two runs with one seed, or runs with no dataset in common.</exception>
    public static AblationSummary Compute(IReadOnlyList<(int Seed, IReadOnlyList<DatasetResult> Results)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw new ArgumentException("No runs to summarize.", nameof(runs));
        if (runs.Select(r => r.Seed).Distinct().Count() != runs.Count)
            throw new ArgumentException($"Each run needs its own seed; got {string.Join(", ", runs.Select(r => r.Seed))}.", nameof(runs));
        var datasets = runs[0].Results.Select(r => r.Dataset)
            .Where(d => runs.All(run => run.Results.Any(r => r.Dataset == d))).ToList();
        if (datasets.Count == 0) throw new ArgumentException("The runs have no dataset in common.", nameof(runs));
        DatasetResult Of(int run, string dataset) => runs[run].Results.First(r => r.Dataset == dataset);

        var names = runs[0].Results.SelectMany(r => r.AblationScores.Select(s => s.Trainer)).Distinct()
            .Where(n => runs.All(run => run.Results.Any(r => r.AblationScores.Any(s => s.Trainer == n)))).ToList();
        var changes = new Dictionary<(string, string), double>();
        var effects = new List<AblationEffect>();
        foreach (string name in names)
        {
            var tables = datasets.Where(d => Enumerable.Range(0, runs.Count).All(i => Of(i, d).AblationScores.Any(s => s.Trainer == name))).ToList();
            var perTable = new List<double>();
            var all = new List<double>();
            var tableRatios = new List<double>();
            foreach (string d in tables)
            {
                var c = Enumerable.Range(0, runs.Count).Select(i => Change(Of(i, d), name)).ToList();
                all.AddRange(c);
                perTable.Add(c.Average());
                changes[(d, name)] = c.Average();
                tableRatios.AddRange(Enumerable.Range(0, runs.Count).Select(i =>
                    Math.Max(Ablated(Of(i, d), name).Seconds, SecondsFloor) / Math.Max(Of(i, d).Of(TabularTrainers.BnMlp).Seconds, SecondsFloor)));
            }
            var below = new List<int>();
            var defaultBelow = new List<int>();
            var losses = new List<int>();
            var defaultLosses = new List<int>();
            var ratios = new List<double>();
            for (int i = 0; i < runs.Count; i++)
            {
                var rows = tables.Select(d => Of(i, d)).ToList();
                var ablated = rows.Select(r => r.Comparison(Ablated(r, name))).ToList();
                var defaults = rows.Select(r => r.Comparison()).ToList();
                below.Add(ablated.Count(r => r.BelowLinear));
                defaultBelow.Add(defaults.Count(r => r.BelowLinear));
                losses.Add(ablated.Count(r => r.Verdict == "loss"));
                defaultLosses.Add(defaults.Count(r => r.Verdict == "loss"));
                double defaultSeconds = rows.Sum(r => r.Of(TabularTrainers.BnMlp).Seconds);
                ratios.Add(defaultSeconds > 0 ? rows.Sum(r => Ablated(r, name).Seconds) / defaultSeconds : double.NaN);
            }
            effects.Add(new AblationEffect(name, tables.Count, all.Count > 0 ? all.Average() : double.NaN,
                perTable.Count(c => c > SuiteSummary.CloseMargin), perTable.Count(c => c < -SuiteSummary.CloseMargin),
                below, defaultBelow, losses, defaultLosses, ratios, BenchOutput.Median(tableRatios)));
        }
        return new AblationSummary(runs.Select(r => r.Seed).ToList(), datasets, effects, changes);
    }

    private static TrainerScore Ablated(DatasetResult r, string name) => r.AblationScores.First(s => s.Trainer == name);

    private static double Change(DatasetResult r, string name) =>
        Math.Round(Ablated(r, name).Metric - r.Of(TabularTrainers.BnMlp).Metric, TrainerScore.MetricDecimals);
}
