using BnMlNet.Engine;

namespace BnMlNet.Samples.Experiments;

/// <summary>Loss, accuracy and percentiles computed from raw network outputs.</summary>
public static class Metrics
{
    /// <summary>Mean softmax cross-entropy and accuracy of <paramref name="logits"/> [rows×k] against class labels.</summary>
    public static (double Loss, double Accuracy) Score(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, int k)
    {
        int rows = labels.Length;
        double loss = 0;
        int correct = 0;
        for (int r = 0; r < rows; r++)
        {
            var z = logits.Slice(r * k, k);
            int label = (int)labels[r], best = 0;
            for (int j = 1; j < k; j++)
                if (z[j] > z[best]) best = j;
            loss += HeadFunctions.LogSumExp(z) - z[label];
            if (best == label) correct++;
        }
        return rows == 0 ? (double.NaN, double.NaN) : (loss / rows, (double)correct / rows);
    }

    /// <summary>Accuracy only.</summary>
    public static double Accuracy(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, int k) => Score(logits, labels, k).Accuracy;

    /// <summary>Scores every row of <paramref name="data"/> with the frozen network (row by row, frozen statistics).</summary>
    public static (double Loss, double Accuracy) Evaluate(InferenceNetwork network, Split data)
    {
        var output = new float[data.Rows * network.OutputSize];
        network.PredictBatch(data.Features, data.Rows, output);
        return Score(output, data.Labels, network.OutputSize);
    }

    /// <summary>The q-th percentile (0-100) with linear interpolation between order statistics.</summary>
    public static double Percentile(IReadOnlyList<float> values, double q)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Select(v => (double)v).Order().ToArray();
        double pos = q / 100.0 * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>Euclidean norm.</summary>
    public static double Norm(IReadOnlyList<float> values)
    {
        double s = 0;
        foreach (float v in values) s += (double)v * v;
        return Math.Sqrt(s);
    }
}
