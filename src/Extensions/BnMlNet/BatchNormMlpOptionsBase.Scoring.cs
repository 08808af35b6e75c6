namespace BnMlNet;

public abstract partial class BatchNormMlpOptionsBase
{
    // ---- Scoring ----

    /// <summary>
    /// What the trained model does with a NaN or ±∞ feature at scoring time; stored in the model, so Transform,
    /// PredictionEngine and <see cref="BatchNormMlpModelParameters.Predict"/> all honour it, after Save/Load too.
    /// <see cref="BnMlNet.NonFiniteScoring.Impute"/> (the default) never throws: NaN is imputed and ±∞ clipped as in
    /// training. <see cref="BnMlNet.NonFiniteScoring.Throw"/> (or only <see cref="BnMlNet.NonFiniteScoring.ThrowOnNaN"/>
    /// / <see cref="BnMlNet.NonFiniteScoring.ThrowOnInfinity"/>) makes such a row an
    /// <see cref="InvalidOperationException"/> naming the column, the slot and the value. Training is unaffected (see
    /// <see cref="MissingValues"/>). A model that throws is saved in payload format version 4, and its ONNX export is
    /// refused (a graph cannot throw per row) unless it runs inside
    /// <see cref="BatchNormMlpOnnxExport.ImputeNonFiniteFeatures"/>, which exports the Impute rule.
    /// </summary>
    public NonFiniteScoring NonFiniteScoring = NonFiniteScoring.Impute;
}
