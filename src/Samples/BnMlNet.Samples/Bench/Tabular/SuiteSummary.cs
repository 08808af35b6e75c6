namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>What the summary needs from one dataset (metrics at 4 decimals, seconds at 2, as printed).</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="BnMlp">The BN-MLP's metric.</param>
/// <param name="LightGbm">LightGbm's metric.</param>
/// <param name="FastTree">FastTree's metric.</param>
/// <param name="Sdca">SDCA's metric (the linear baseline).</param>
/// <param name="BnMlpSeconds">The BN-MLP's training seconds.</param>
/// <param name="LightGbmSeconds">LightGbm's training seconds.</param>
public sealed record ComparisonRow(string Dataset, double BnMlp, double LightGbm, double FastTree, double Sdca, double BnMlpSeconds, double LightGbmSeconds)
{
    /// <summary>The better tree's metric: max(LightGbm, FastTree).</summary>
    public double BetterTree => Math.Max(LightGbm, FastTree);

    /// <summary>BN-MLP − better tree, rounded to 4 decimals (NaN when the BN-MLP has no metric).</summary>
    public double Gap => Math.Round(BnMlp - BetterTree, TrainerScore.MetricDecimals);

    /// <summary>The verdict against the better tree (<see cref="SuiteSummary.Rule"/>).</summary>
    public string Verdict =>
        double.IsNaN(Gap) || Gap < -SuiteSummary.CloseMargin ? "loss" : Gap > SuiteSummary.CloseMargin ? "win" : "close";

    /// <summary>BN-MLP s / LightGbm s, each at least <see cref="SuiteSummary.TimeFloorSeconds"/>, rounded to 2 decimals.</summary>
    public double TimeRatio => Math.Round(
        Math.Max(BnMlpSeconds, SuiteSummary.TimeFloorSeconds) / Math.Max(LightGbmSeconds, SuiteSummary.TimeFloorSeconds), 2);

    /// <summary>True when the BN-MLP scores below the linear SDCA baseline (or has no metric).</summary>
    public bool BelowLinear => double.IsNaN(BnMlp) || BnMlp < Sdca;

    /// <summary>True when the BN-MLP loses to the better tree by more than <see cref="SuiteSummary.BigLossMargin"/>.</summary>
    public bool LostBig => double.IsNaN(Gap) || Gap < -SuiteSummary.BigLossMargin;
}

/// <summary>The end of the bench: how the BN-MLP fares against the better tree and the linear baseline, and its time ratio.</summary>
/// <param name="Datasets">Datasets counted.</param>
/// <param name="Wins">Gap above +<see cref="CloseMargin"/>.</param>
/// <param name="Close">Gap within ±<see cref="CloseMargin"/>.</param>
/// <param name="Losses">Gap below −<see cref="CloseMargin"/>.</param>
/// <param name="Ahead">Gap above 0 at all (the "beats the better tree").</param>
/// <param name="MedianGap">Median of the gaps.</param>
/// <param name="BelowLinear">Datasets where the BN-MLP scores below SDCA.</param>
/// <param name="LostBig">Datasets lost to the better tree by more than <see cref="BigLossMargin"/>.</param>
/// <param name="MedianTimeRatio">Median of BN-MLP s / LightGbm s (floored at <see cref="TimeFloorSeconds"/> both sides).</param>
/// <param name="MaxTimeRatio">The largest time ratio.</param>
/// <param name="MaxTimeRatioDataset">The dataset with the largest time ratio.</param>
public sealed record SuiteSummary(int Datasets, int Wins, int Close, int Losses, int Ahead, double MedianGap, int BelowLinear, int LostBig,
    double MedianTimeRatio, double MaxTimeRatio, string MaxTimeRatioDataset)
{
    /// <summary>A gap within this (either side) is a close call, neither win nor loss.</summary>
    public const double CloseMargin = 0.005;

    /// <summary>A loss by more than this is counted apart.</summary>
    public const double BigLossMargin = 0.05;

    /// <summary>Training times under this count as this, on both sides of the ratio.</summary>
    public const double TimeFloorSeconds = 0.5;

    /// <summary>The rule, as printed in the console and the report.</summary>
    public const string Rule =
        "gap = BN-MLP metric − max(LightGbm, FastTree), on the metrics as printed (4 decimals); win: gap > +0.005; " +
        "close call: −0.005 ≤ gap ≤ +0.005; loss: gap < −0.005. Below linear: BN-MLP < SDCA. " +
        "Time ratio = max(BN-MLP s, 0.5) / max(LightGbm s, 0.5).";

    /// <summary>Counts the summary from the per-dataset rows.</summary>
    public static SuiteSummary Compute(IReadOnlyList<ComparisonRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var ratios = rows.Select(r => r.TimeRatio).ToList();
        var slowest = rows.OrderByDescending(r => r.TimeRatio).FirstOrDefault();
        return new SuiteSummary(
            rows.Count,
            rows.Count(r => r.Verdict == "win"),
            rows.Count(r => r.Verdict == "close"),
            rows.Count(r => r.Verdict == "loss"),
            rows.Count(r => r.Gap > 0),
            BenchOutput.Median(rows.Select(r => double.IsNaN(r.Gap) ? double.NegativeInfinity : r.Gap)),
            rows.Count(r => r.BelowLinear),
            rows.Count(r => r.LostBig),
            BenchOutput.Median(ratios),
            ratios.Count == 0 ? double.NaN : ratios.Max(),
            slowest?.Dataset ?? "");
    }
}
