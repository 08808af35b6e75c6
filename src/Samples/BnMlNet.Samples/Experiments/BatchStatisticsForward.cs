using BnMlNet.Engine;

namespace BnMlNet.Samples.Experiments;

/// <summary>
/// A plain reference forward pass over frozen layer parameters with TRAIN-MODE batch norm (each batch norm uses the
/// mean and biased variance of the given rows), in double precision, with optional per-unit shifts added to the Dense
/// biases. Built only from the public <see cref="DenseLayerParameters"/>; ReLU and sigmoid only.
/// </summary>
public static class BatchStatisticsForward
{
    /// <summary>Raw outputs [rows×OutputSize].</summary>
    /// <param name="layers">The network's blocks (from <see cref="InferenceNetwork.Layers"/>).</param>
    /// <param name="features">rows×InputSize values.</param>
    /// <param name="rows">Rows (≥ 2 when any block has a batch norm).</param>
    /// <param name="biasShift">Per block, a shift added to each unit's Dense bias (a missing bias counts as 0), or null.</param>
    public static double[] Run(IReadOnlyList<DenseLayerParameters> layers, ReadOnlySpan<float> features, int rows, IReadOnlyList<double[]?>? biasShift = null)
    {
        int inputs = layers[0].InputSize;
        var x = new double[rows * inputs];
        for (int i = 0; i < x.Length; i++) x[i] = features[i];
        for (int l = 0; l < layers.Count; l++)
        {
            var p = layers[l];
            if (p.Placement == BatchNormPlacement.AfterActivation) throw new NotSupportedException("Batch norm after the activation is not modelled.");
            int n = p.InputSize, m = p.OutputSize;
            var z = new double[rows * m];
            var shift = biasShift is not null && l < biasShift.Count ? biasShift[l] : null;
            for (int r = 0; r < rows; r++)
                for (int o = 0; o < m; o++)
                {
                    double acc = (p.Bias?[o] ?? 0.0) + (shift?[o] ?? 0.0);
                    for (int i = 0; i < n; i++) acc += p.Weights[o * n + i] * x[r * n + i];
                    z[r * m + o] = acc;
                }
            if (p.BatchNorm is { } bn) Normalize(z, rows, m, bn);
            for (int i = 0; i < z.Length; i++) z[i] = Activate(z[i], p.Activation);
            x = z;
        }
        return x;
    }

    private static void Normalize(double[] z, int rows, int m, BatchNormParameters bn)
    {
        for (int o = 0; o < m; o++)
        {
            double mean = 0, variance = 0;
            for (int r = 0; r < rows; r++) mean += z[r * m + o];
            mean /= rows;
            for (int r = 0; r < rows; r++) { double d = z[r * m + o] - mean; variance += d * d; }
            variance /= rows;
            double scale = bn.Gamma[o] / Math.Sqrt(variance + bn.Epsilon);
            for (int r = 0; r < rows; r++) z[r * m + o] = (z[r * m + o] - mean) * scale + bn.Beta[o];
        }
    }

    private static double Activate(double v, Activation a) => a switch
    {
        Activation.Relu => Math.Max(0, v),
        Activation.Sigmoid => 1 / (1 + Math.Exp(-v)),
        Activation.Identity => v,
        _ => throw new NotSupportedException($"Activation {a} is not modelled."),
    };
}
