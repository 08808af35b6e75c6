using BnMlNet.Samples.Csv;

namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>One trainer's figures on one dataset, rounded as the report prints them (the summary uses these same numbers).</summary>
/// <param name="Trainer">The trainer's column name.</param>
/// <param name="Metric">The test metric (AUC, accuracy or R²), rounded to 4 decimals; NaN when the evaluator gave none.</param>
/// <param name="Seconds">Training seconds of the timed fit, rounded to 2 decimals.</param>
public sealed record TrainerScore(string Trainer, double Metric, double Seconds)
{
    /// <summary>Decimals of <see cref="Metric"/>.</summary>
    public const int MetricDecimals = 4;

    /// <summary>Decimals of <see cref="Seconds"/>.</summary>
    public const int SecondsDecimals = 2;

    /// <summary>Rounds raw figures to the printed precision.</summary>
    public static TrainerScore Rounded(string trainer, double metric, double seconds) =>
        new(trainer, double.IsFinite(metric) ? Math.Round(metric, MetricDecimals) : double.NaN, Math.Round(seconds, SecondsDecimals));
}

/// <summary>Everything the bench measured on one dataset.</summary>
/// <param name="Dataset">The dataset's name.</param>
/// <param name="Group">Its group (development suite or other).</param>
/// <param name="Task">Its task.</param>
/// <param name="TrainRows">Training rows used.</param>
/// <param name="TestRows">Test rows used.</param>
/// <param name="Features">Length of the <c>Features</c> vector after featurization.</param>
/// <param name="CategoricalBlocks">One-hot blocks in its <c>CategoricalSlotRanges</c> annotation (0 when absent).</param>
/// <param name="Scores">BN-MLP, LightGbm, FastTree and SDCA, in that order.</param>
/// <param name="AblationScores">The BN-MLP with each applicable ablation, by ablation name (empty without --ablate).</param>
/// <param name="Source">Where the rows come from.</param>
public sealed record DatasetResult(
    string Dataset, string Group, MlTask Task, int TrainRows, int TestRows, int Features, int CategoricalBlocks,
    IReadOnlyList<TrainerScore> Scores, IReadOnlyList<TrainerScore> AblationScores, string Source = "")
{
    /// <summary>The metric's name.</summary>
    public string MetricName => TabularDataset.MetricOf(Task);

    /// <summary>The score of <paramref name="trainer"/>.</summary>
    public TrainerScore Of(string trainer) => Scores.First(s => s.Trainer == trainer);

    /// <summary>The comparison row the summary counts, with the default BN-MLP or an ablated one.</summary>
    public ComparisonRow Comparison(TrainerScore? bnMlp = null) => new(
        Dataset, (bnMlp ?? Of(TabularTrainers.BnMlp)).Metric, Of(TabularTrainers.LightGbm).Metric, Of(TabularTrainers.FastTree).Metric,
        Of(TabularTrainers.Sdca).Metric, (bnMlp ?? Of(TabularTrainers.BnMlp)).Seconds, Of(TabularTrainers.LightGbm).Seconds);
}
