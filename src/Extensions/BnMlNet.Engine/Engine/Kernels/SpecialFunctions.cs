namespace BnMlNet.Engine.Kernels;

/// <summary>Scalar special functions in double precision, written for numerical stability.</summary>
internal static class SpecialFunctions
{
    private const double TwoOverSqrtPi = 1.1283791670955126;

    /// <summary>
    /// The error function. For |x| &lt; 6 the all-positive series
    /// erf(x) = 2/√π · e^(−x²) · Σₙ 2ⁿ x^(2n+1) / (1·3·5···(2n+1)) (no cancellation), to double precision;
    /// beyond, erf(x) = ±1 in double (erfc(6) ≈ 2e−17).
    /// </summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        double ax = Math.Abs(x);
        if (ax >= 6.0) return Math.Sign(x);
        double x2 = ax * ax;
        double term = ax;   // 2ⁿ x^(2n+1) / (2n+1)!!, n = 0
        double sum = ax;
        for (int n = 1; n < 500; n++)
        {
            term *= 2.0 * x2 / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) break;
        }
        double r = TwoOverSqrtPi * Math.Exp(-x2) * sum;
        return x < 0 ? -r : r;
    }

    /// <summary>ln(1 + t), accurate for small t (series t − t²/2 + t³/3 below 1e−4).</summary>
    public static double Log1p(double t)
        => Math.Abs(t) < 1e-4 ? t * (1.0 - t * (0.5 - t / 3.0)) : Math.Log(1.0 + t);

    /// <summary>softplus(x) = ln(1 + eˣ) = max(x, 0) + ln(1 + e^(−|x|)), overflow-free.</summary>
    public static double Softplus(double x) => Math.Max(x, 0.0) + Log1p(Math.Exp(-Math.Abs(x)));
}
