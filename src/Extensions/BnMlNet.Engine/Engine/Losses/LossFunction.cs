namespace BnMlNet.Engine.Losses;

/// <summary>Dispatch from <see cref="LossKind"/> to the loss pair, plus the validation metric of each head.</summary>
internal static class LossFunction
{
    /// <summary>The (weighted) mean loss of a batch of raw outputs [B×K]; <paramref name="smoothing"/> is the classification heads' label smoothing ε (0 = off).</summary>
    public static double Forward(LossKind kind, ReadOnlySpan<float> outputs, ReadOnlySpan<float> labels,
        ReadOnlySpan<float> weights, int batch, int outputSize, out double weightSum, float smoothing = 0) => kind switch
    {
        LossKind.BinaryLogLoss => BinaryLogLoss.Forward(outputs, labels, weights, batch, out weightSum, smoothing),
        LossKind.SoftmaxCrossEntropy => SoftmaxCrossEntropy.Forward(outputs, labels, weights, batch, outputSize, out weightSum, smoothing),
        LossKind.SquaredError => SquaredError.Forward(outputs, labels, weights, batch, out weightSum),
        LossKind.Poisson => PoissonLoss.Forward(outputs, labels, weights, batch, out weightSum),
        LossKind.Huber => HuberLoss.Forward(outputs, labels, weights, batch, out weightSum),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>∂L/∂outputs for the (weighted) mean loss.</summary>
    public static void Backward(LossKind kind, Span<float> dOutputs, ReadOnlySpan<float> outputs, ReadOnlySpan<float> labels,
        ReadOnlySpan<float> weights, int batch, int outputSize, float smoothing = 0)
    {
        switch (kind)
        {
            case LossKind.BinaryLogLoss: BinaryLogLoss.Backward(dOutputs, outputs, labels, weights, batch, smoothing); break;
            case LossKind.SoftmaxCrossEntropy: SoftmaxCrossEntropy.Backward(dOutputs, outputs, labels, weights, batch, outputSize, smoothing); break;
            case LossKind.SquaredError: SquaredError.Backward(dOutputs, outputs, labels, weights, batch); break;
            case LossKind.Poisson: PoissonLoss.Backward(dOutputs, outputs, labels, weights, batch); break;
            case LossKind.Huber: HuberLoss.Backward(dOutputs, outputs, labels, weights, batch); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>"accuracy" for the classification heads, "rmse" for regression.</summary>
    public static string MetricName(LossKind kind) => IsRegression(kind) ? "rmse" : "accuracy";

    /// <summary>The regression heads (one value per row): squared error, Poisson, Huber.</summary>
    public static bool IsRegression(LossKind kind) => kind is LossKind.SquaredError or LossKind.Poisson or LossKind.Huber;

    /// <summary>The prediction in the label's units from the raw output: e^ŷ for Poisson's log link, ŷ otherwise.</summary>
    public static double Prediction(LossKind kind, float output) => kind == LossKind.Poisson ? Math.Exp(output) : output;

    /// <summary>
    /// Adds one batch to the metric's running sums: weighted correct count (classification: logit &gt; 0 means
    /// class 1, label ≥ 0.5 is class 1; multiclass: arg-max, first on ties) or weighted squared error (regression).
    /// </summary>
    public static void AccumulateMetric(LossKind kind, ReadOnlySpan<float> outputs, ReadOnlySpan<float> labels,
        ReadOnlySpan<float> weights, int batch, int outputSize, ref double sum, ref double weightSum)
    {
        for (int i = 0; i < batch; i++)
        {
            double w = weights.IsEmpty ? 1.0 : weights[i];
            double v;
            switch (kind)
            {
                case LossKind.BinaryLogLoss:
                    v = (outputs[i] > 0) == (labels[i] >= 0.5f) ? 1 : 0;
                    break;
                case LossKind.SoftmaxCrossEntropy:
                    ReadOnlySpan<float> z = outputs.Slice(i * outputSize, outputSize);
                    int best = 0;
                    for (int j = 1; j < outputSize; j++) if (z[j] > z[best]) best = j;
                    v = best == (int)labels[i] ? 1 : 0;
                    break;
                default:
                    double d = Prediction(kind, outputs[i]) - labels[i];
                    v = d * d;
                    break;
            }
            sum += w * v;
            weightSum += w;
        }
    }

    /// <summary>The metric from its sums: accuracy = Σ w·correct / Σ w, rmse = √(Σ w·d² / Σ w).</summary>
    public static double FinishMetric(LossKind kind, double sum, double weightSum)
    {
        if (weightSum <= 0) return double.NaN;
        double mean = sum / weightSum;
        return IsRegression(kind) ? Math.Sqrt(mean) : mean;
    }
}
