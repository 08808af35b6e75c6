using System.Globalization;
using System.Text.RegularExpressions;

namespace BnMlNet.Tests.Samples;

/// <summary>Reads the tables of a bench tabular report.md back into numbers.</summary>
internal static partial class TabularReportParser
{
    internal sealed record AccuracyRow(string Dataset, string Task, int TrainRows, int TestRows, int Features, int OneHotBlocks, string Metric,
        double BnMlp, double LightGbm, double FastTree, double Sdca, double Gap, string Verdict, string BelowSdca);

    internal sealed record TimeRow(string Dataset, double BnMlp, double LightGbm, double FastTree, double Sdca, double Ratio);

    internal sealed record SummaryRow(string Group, string Variant, int Datasets, int Wins, int Close, int Losses, int Ahead, double MedianGap,
        int BelowSdca, int LostBig, double MedianRatio, double MaxRatio, string MaxRatioDataset);

    [GeneratedRegex(@"^\|(.*)\|\s*$", RegexOptions.Multiline)]
    private static partial Regex TableLine();

    private static List<string[]> Rows(string section)
    {
        return TableLine().Matches(section).Select(m => m.Groups[1].Value.Split('|').Select(c => c.Trim()).ToArray())
            .Where(c => !c[0].StartsWith("---", StringComparison.Ordinal) && c[0] is not ("dataset" or "group")).ToList();
    }

    /// <summary>The text from the heading <paramref name="heading"/> to the next "## " heading.</summary>
    public static string Section(string report, string heading)
    {
        int start = report.IndexOf("## " + heading, StringComparison.Ordinal);
        if (start < 0) throw new InvalidOperationException($"no section '{heading}' in the report:\n{report}");
        int end = report.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        return end < 0 ? report[start..] : report[start..end];
    }

    public static double Number(string cell) =>
        cell == "n/a" ? double.NaN : double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static int Int(string cell) => int.Parse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture);

    public static List<AccuracyRow> Accuracy(string report) => Rows(Section(report, "Accuracy")).Select(c =>
        new AccuracyRow(c[0], c[1], Int(c[2]), Int(c[3]), Int(c[4]), Int(c[5]), c[6], Number(c[7]), Number(c[8]), Number(c[9]), Number(c[10]),
            Number(c[11]), c[12], c[13])).ToList();

    public static List<TimeRow> Times(string report) => Rows(Section(report, "Training seconds")).Select(c =>
        new TimeRow(c[0], Number(c[1]), Number(c[2]), Number(c[3]), Number(c[4]), Number(c[5]))).ToList();

    public static List<SummaryRow> Summary(string report, string heading = "Summary") => Rows(Section(report, heading))
        .Where(c => c.Length == 12).Select(c =>
        {
            var max = c[11].Split(' ', 2);
            return new SummaryRow(c[0], c[1], Int(c[2]), Int(c[3]), Int(c[4]), Int(c[5]), Int(c[6]), Number(c[7]), Int(c[8]), Int(c[9]),
                Number(c[10]), Number(max[0]), max.Length > 1 ? max[1].Trim('(', ')') : "");
        }).ToList();
}
