namespace BnMlNet.Engine.Preprocessing;

/// <summary>What the model's preprocessing stage learns (see <see cref="FeaturePreprocessor"/>).</summary>
/// <param name="Scaling">Robust scaling with smooth clipping, quantile scaling to a normal shape, or none.</param>
/// <param name="MaximumSampleRows">Rows of the seeded reservoir sample the statistics come from (≥ 2), so streamed data costs bounded memory.</param>
/// <param name="MaximumSampleValues">At most this many values (rows × features) in the sample, to bound its memory (4 bytes each); at least 2 rows are always kept.</param>
public sealed record PreprocessingSettings(NumericScaling Scaling, int MaximumSampleRows = 100_000, long MaximumSampleValues = 1L << 24)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the invalid field.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Scaling)) throw new ArgumentOutOfRangeException(nameof(Scaling), Scaling, "Unknown scaling.");
        if (MaximumSampleRows < 2) throw new ArgumentOutOfRangeException(nameof(MaximumSampleRows), MaximumSampleRows, "MaximumSampleRows must be at least 2.");
        if (MaximumSampleValues < 1) throw new ArgumentOutOfRangeException(nameof(MaximumSampleValues), MaximumSampleValues, "MaximumSampleValues must be at least 1.");
    }
}
