namespace BnMlNet;

/// <summary>
/// Settings for exporting BatchNormMlp models to ONNX with ML.NET's <c>mlContext.Model.ConvertToOnnx</c>
/// (package Microsoft.ML.OnnxConverter), which takes no options of its own.
/// </summary>
/// <remarks>
/// <para>
/// By default every batch normalization is exported as a standard ONNX <c>BatchNormalization</c> node whose scale, B,
/// mean and var inputs are initializers holding γ, β and the frozen running mean and variance, so the statistics stay
/// visible to tools such as Netron. Inside a <see cref="FoldBatchNormalization"/> scope, exports fold each batch
/// normalization into the neighbouring <c>Gemm</c> instead (the same folding the in-process scorer uses): a smaller
/// graph with the same outputs to within float rounding.
/// </para>
/// <para>
/// The setting is scoped to the current execution context (an <see cref="AsyncLocal{T}"/>): a scope on one thread or
/// async flow does not affect exports running elsewhere at the same time.
/// </para>
/// <code>
/// using (BatchNormMlpOnnxExport.FoldBatchNormalization())
///     mlContext.Model.ConvertToOnnx(model, data, stream);
/// </code>
/// </remarks>
public static class BatchNormMlpOnnxExport
{
    private static readonly AsyncLocal<bool> Fold = new();

    /// <summary>Whether exports in the current execution context fold batch normalization into the dense layers. False by default.</summary>
    public static bool FoldsBatchNormalization => Fold.Value;

    /// <summary>
    /// Starts a scope in which ONNX exports of BatchNormMlp models fold batch normalization into the <c>Gemm</c> nodes
    /// (or, with <paramref name="fold"/> false, keep explicit <c>BatchNormalization</c> nodes). Dispose the returned
    /// object to restore the previous setting.
    /// </summary>
    /// <param name="fold">True to fold; false to keep the <c>BatchNormalization</c> nodes (the default outside any scope).</param>
    /// <returns>The scope; disposing it restores the setting that was in force before.</returns>
    public static IDisposable FoldBatchNormalization(bool fold = true)
    {
        var scope = new Scope(Fold, Fold.Value);
        Fold.Value = fold;
        return scope;
    }

    private static readonly AsyncLocal<bool> Impute = new();

    /// <summary>Whether exports in the current execution context write the Impute rule for models that throw on non-finite features. False by default.</summary>
    public static bool ImputesNonFiniteFeatures => Impute.Value;

    /// <summary>
    /// Starts a scope in which the ONNX export of a model with <see cref="BatchNormMlpModelParameters.NonFiniteScoring"/>
    /// other than <see cref="NonFiniteScoring.Impute"/> is allowed and writes the Impute rule (NaN imputed, ±∞ clipped,
    /// as the in-process scorer does under Impute): an ONNX graph cannot throw per row. Outside such a scope that
    /// export is refused with an <see cref="InvalidOperationException"/>, so the change of behaviour is never silent.
    /// Validate rows before ONNX Runtime scores them if they must not hold NaN or ±∞.
    /// </summary>
    /// <param name="impute">True to allow the export with the Impute rule; false to refuse it (the default outside any scope).</param>
    /// <returns>The scope; disposing it restores the setting that was in force before.</returns>
    public static IDisposable ImputeNonFiniteFeatures(bool impute = true)
    {
        var scope = new Scope(Impute, Impute.Value);
        Impute.Value = impute;
        return scope;
    }

    private sealed class Scope(AsyncLocal<bool> setting, bool previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            setting.Value = previous;
        }
    }
}
