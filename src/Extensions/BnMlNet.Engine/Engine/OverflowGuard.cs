namespace BnMlNet.Engine;

/// <summary>
/// The input bound of <see cref="InferenceNetwork.InputGuard"/>: with every input in ±B, interval arithmetic on the
/// folded layers bounds each layer's values (and every partial sum of its products) by a·B + c, using
/// |W'·x + b'|ᵢ ≤ Σⱼ|W'ᵢⱼ|·B + |b'ᵢ| and |act(z)| ≤ max(1, |slope|)·|z| + 1 for every activation (ReLU, LeakyReLU,
/// tanh, sigmoid, GELU, SiLU all satisfy it). B is the largest value keeping every layer within <see cref="Limit"/>.
/// </summary>
internal static class OverflowGuard
{
    /// <summary>The largest magnitude any layer may reach: 3.4e8 times below float.MaxValue, so softmax, sigmoid and
    /// the ONNX graph's unfolded batch norms keep headroom too.</summary>
    public const double Limit = 1e30;

    public static float InputBound(FoldedLayer[] layers, (float[] Scale, float[] Shift)? outputAffine, float leakyReluSlope)
    {
        double gain = Math.Max(1.0, Math.Abs((double)leakyReluSlope));
        double a = 1, c = 0;                  // the current bound is a·B + c
        double bound = float.MaxValue;
        foreach (var layer in layers)
        {
            double rowA = 0, rowC = 0;
            for (int o = 0; o < layer.OutputSize; o++)
            {
                double sum = 0;
                for (int i = 0; i < layer.InputSize; i++) sum += Math.Abs((double)layer.Weights[o * layer.InputSize + i]);
                rowA = Math.Max(rowA, sum);
                rowC = Math.Max(rowC, Math.Abs((double)layer.Bias[o]));
            }
            (a, c) = (rowA * a, rowA * c + rowC);   // before the activation (the partial sums)
            bound = Math.Min(bound, Solve(a, c));
            (a, c) = (gain * a, gain * c + 1);      // after it
            bound = Math.Min(bound, Solve(a, c));
        }
        if (outputAffine is { } aff)
        {
            double s = aff.Scale.Max(v => Math.Abs((double)v)), t = aff.Shift.Max(v => Math.Abs((double)v));
            bound = Math.Min(bound, Solve(s * a, s * c + t));
        }
        return (float)Math.Max(0, Math.Min(bound, float.MaxValue));
    }

    private static double Solve(double a, double c) => a <= 0 ? double.MaxValue : (Limit - c) / a;
}
