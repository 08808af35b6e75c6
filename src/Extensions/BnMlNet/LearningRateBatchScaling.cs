namespace BnMlNet;

/// <summary>
/// How the automatic batch size (<see cref="BatchNormMlpOptionsBase.BatchSize"/> = null) scales
/// <see cref="BatchNormMlpOptionsBase.LearningRate"/>: the rate used is the base rate × f(batch/128). A batch of 128
/// (every data set of up to about 11,600 rows trained on) trains at the base rate under either rule.
/// </summary>
public enum LearningRateBatchScaling
{
    /// <summary>× √(batch/128): the square-root rule for Adam (256 → ×1.41, 512 → ×2, 1024 → ×2.83).</summary>
    SquareRoot = 0,
    /// <summary>× batch/128: the linear rule (256 → ×2, 512 → ×4, 1024 → ×8).</summary>
    Linear = 1,
}
