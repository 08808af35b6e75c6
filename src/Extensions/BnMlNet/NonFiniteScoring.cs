namespace BnMlNet;

/// <summary>
/// What a trained BatchNormMlp model does with a NaN or ±∞ feature at scoring time
/// (<see cref="BatchNormMlpOptionsBase.NonFiniteScoring"/>, carried in the model as
/// <see cref="BatchNormMlpModelParameters.NonFiniteScoring"/>). The same in <c>Transform</c>, <c>PredictionEngine</c>
/// and <see cref="BatchNormMlpModelParameters.Predict"/>, in this process and after Save/Load in any other.
/// </summary>
/// <remarks>
/// A flags enum rather than one switch, because the two cases usually mean different things: NaN is often a
/// legitimately missing value (impute it), while ±∞ often signals a bug upstream (a division by zero) that a service
/// should refuse. <see cref="ThrowOnInfinity"/> alone keeps NaN imputed and refuses ±∞; <see cref="Throw"/> refuses
/// both. An ONNX graph cannot throw per row, so the ONNX export of a model that throws on anything is refused, unless
/// it runs inside <see cref="BatchNormMlpOnnxExport.ImputeNonFiniteFeatures"/>: the graph then applies the
/// <see cref="Impute"/> rule, and the caller validates rows before ONNX Runtime scores them.
/// </remarks>
[Flags]
public enum NonFiniteScoring
{
    /// <summary>
    /// The default: never throws, always scores finitely. NaN takes the training median (plus the missing indicator)
    /// and ±∞ the feature's training range; a model without preprocessing uses its input batch norm's running
    /// statistics instead (NaN → μ, ±∞ → μ ± 4σ), and one without either throws (it has nothing to impute with).
    /// </summary>
    Impute = 0,

    /// <summary>A NaN feature throws, naming the column and the slot; ±∞ is still clipped as under <see cref="Impute"/>.</summary>
    ThrowOnNaN = 1,

    /// <summary>A +∞ or −∞ feature throws, naming the column and the slot; NaN is still imputed as under <see cref="Impute"/>.</summary>
    ThrowOnInfinity = 2,

    /// <summary>Any non-finite feature (NaN, +∞ or −∞) throws, naming the column, the slot and the value.</summary>
    Throw = ThrowOnNaN | ThrowOnInfinity,
}
