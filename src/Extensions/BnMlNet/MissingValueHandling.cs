namespace BnMlNet;

/// <summary>What a BatchNormMlp trainer does with NaN (and ±∞) features (see <see cref="BatchNormMlpOptionsBase.MissingValues"/>).</summary>
public enum MissingValueHandling
{
    /// <summary>The model imputes the training median and adds a missing-indicator input, at training and scoring alike.</summary>
    Impute = 0,
    /// <summary>Training skips the row and counts it in the log.</summary>
    Skip = 1,
    /// <summary>Training throws, naming the row and the slot.</summary>
    Throw = 2,
}
