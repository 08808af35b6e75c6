namespace BnMlNet.Samples.Reports;

/// <summary>The ROC curve of binary scores, computed directly from (label, score) pairs.</summary>
public static class RocCurve
{
    /// <summary>
    /// False- and true-positive rates, from (0, 0) to (1, 1), one point per distinct score threshold
    /// (ties move diagonally). Empty when either class is absent.
    /// </summary>
    public static (double[] Fpr, double[] Tpr) Compute(IReadOnlyList<bool> labels, IReadOnlyList<float> scores)
    {
        int positives = labels.Count(l => l), negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0) return ([], []);
        var order = Enumerable.Range(0, labels.Count).OrderByDescending(i => scores[i]).ToArray();
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        int tp = 0, fp = 0;
        for (int k = 0; k < order.Length; k++)
        {
            if (labels[order[k]]) tp++; else fp++;
            bool lastOfThreshold = k == order.Length - 1 || scores[order[k + 1]] != scores[order[k]];
            if (!lastOfThreshold) continue;
            fpr.Add((double)fp / negatives);
            tpr.Add((double)tp / positives);
        }
        return (fpr.ToArray(), tpr.ToArray());
    }

    /// <summary>Area under the curve by the trapezoid rule.</summary>
    public static double Area(double[] fpr, double[] tpr)
    {
        double area = 0;
        for (int i = 1; i < fpr.Length; i++) area += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
        return area;
    }
}
