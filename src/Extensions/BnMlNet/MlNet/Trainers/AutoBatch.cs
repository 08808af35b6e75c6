using BnMlNet.Engine;

namespace BnMlNet.MlNet.Trainers;

/// <summary>
/// The automatic batch size (<see cref="BatchNormMlpOptionsBase.BatchSize"/> = null): the power of two nearest to N/64
/// for N rows trained on (about 64 optimizer steps per epoch), clamped to [<see cref="Smallest"/>, <see cref="Largest"/>],
/// with the learning rate scaled by batch/128 (<see cref="LearningRateBatchScaling.Linear"/>, the default) or by
/// √(batch/128) (the square-root rule for Adam, the default before round 8). The evidence is in docs/tabular-recipe.md.
/// </summary>
internal static class AutoBatch
{
    /// <summary>The batch of small data sets, and the batch every data set got before the rule.</summary>
    public const int Smallest = 128;
    /// <summary>The largest automatic batch.</summary>
    public const int Largest = 1024;
    /// <summary>The optimizer steps per epoch the rule aims at.</summary>
    public const int StepsPerEpoch = 64;

    /// <summary>The batch for <paramref name="rowsTrainedOn"/> rows.</summary>
    public static int For(long rowsTrainedOn)
    {
        if (rowsTrainedOn <= (long)Smallest * StepsPerEpoch) return Smallest;
        double exponent = Math.Round(Math.Log2(rowsTrainedOn / (double)StepsPerEpoch), MidpointRounding.AwayFromZero);
        return (int)Math.Clamp(Math.Pow(2, exponent), Smallest, Largest);
    }

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
