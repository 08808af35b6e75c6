namespace BnMlNet.MlNet.Scoring;

/// <summary>
/// Poisson regression's score, rate = e^min(log-rate, <see cref="MaximumLogRate"/>), written once for the in-process
/// scorer; the ONNX export writes the same Min then Exp (BatchNormMlpModelParameters.Onnx).
/// </summary>
internal static class PoissonHead
{
    /// <summary>
    /// The largest log-rate scored: e^80 ≈ 5.5e34, below float.MaxValue ≈ 3.4e38 = e^88.7, so the score stays finite.
    /// No realistic count model comes near it (e^30 ≈ 1e13 already); only extreme or adversarial rows reach it, and
    /// they then all get the same, finite, rate.
    /// </summary>
    public const float MaximumLogRate = 80f;

    /// <summary>e^min(<paramref name="logRate"/>, <see cref="MaximumLogRate"/>): finite for every finite or −∞ log-rate.</summary>
    public static float Rate(float logRate) => MathF.Exp(MathF.Min(logRate, MaximumLogRate));
}
