using BnMlNet.Engine;

namespace BnMlNet.MlNet.Trainers;

/// <summary>
/// The automatic batch size (<see cref="BatchNormMlpOptionsBase.BatchSize"/> = null), for N rows trained on:
/// <see cref="Smallest"/> (128) up to <see cref="LastRowsAtSmallest"/> (11,585) rows, <see cref="Largest"/> (1024) above.
/// The learning rate is scaled by batch/128 (<see cref="LearningRateBatchScaling.Linear"/>, the default, so 8× at 1024)
/// or by √(batch/128) (the square-root rule for Adam, the default before round 8).
/// </summary>
/// <remarks>
/// Before round 10 of docs/tabular-recipe.md the batch was the power of two nearest to N/64 (about 64 optimizer steps per
/// epoch), clamped to [128, 1024]: 128 up to 11,585 rows, then 256, 512 and 1024 from 92,682 rows. The threshold is
/// unchanged, so every table that trained at 128 trains bit for bit as before; above it a fixed 1024 takes 2–4× fewer
/// optimizer steps per epoch than 256 or 512, and on the seven large tables of docs/performance/steps.md (variant
/// "batch 1024", 3 seeds) it was ahead in the mean metric on five of the six tables it concerns, at 0.25–0.63× the steps
/// (diamonds_cut −0.0025, within the seed spread). The evidence is round 10 of docs/tabular-recipe.md.
/// </remarks>
internal static class AutoBatch
{
    /// <summary>The batch of small data sets, and the batch every data set got before the automatic rule.</summary>
    public const int Smallest = 128;
    /// <summary>The batch above <see cref="LastRowsAtSmallest"/> rows trained on.</summary>
    public const int Largest = 1024;
    /// <summary>
    /// The most rows trained on that get <see cref="Smallest"/>: the last N for which the power of two nearest to N/64
    /// (the rule before round 10) is 128, i.e. ⌊128·64·√2⌋.
    /// </summary>
    public const long LastRowsAtSmallest = 11_585;

    /// <summary>The batch for <paramref name="rowsTrainedOn"/> rows.</summary>
    public static int For(long rowsTrainedOn) => rowsTrainedOn <= LastRowsAtSmallest ? Smallest : Largest;

    /// <summary>
    /// The learning rate used with the automatic batch: <paramref name="learningRate"/>·√(batch/128) or
    /// <paramref name="learningRate"/>·batch/128 (<paramref name="scaling"/>); at batch 128 the rate itself.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scaling"/> is not a defined value.</exception>
    public static float LearningRate(float learningRate, int batchSize, LearningRateBatchScaling scaling)
    {
        SettingRules.CheckDefined(scaling, nameof(BatchNormMlpOptionsBase.LearningRateBatchScaling));
        if (batchSize == Smallest) return learningRate;
        double ratio = batchSize / (double)Smallest;
        return (float)(learningRate * (scaling == LearningRateBatchScaling.Linear ? ratio : Math.Sqrt(ratio)));
    }

    /// <summary>
    /// The rows trained on: without a validation set, <paramref name="rows"/> less the hold-out's round(N·f) (for
    /// streamed data, whose hold-out is by hash, the expected count); with one, all of them.
    /// </summary>
    public static long RowsTrainedOn(long rows, bool hasValidationSet, float validationFraction) =>
        hasValidationSet || validationFraction <= 0 ? rows : rows - (long)Math.Round(rows * (double)validationFraction, MidpointRounding.AwayFromZero);
}
