using System.Globalization;
using System.Text.RegularExpressions;
using BnMlNet.Samples.Commands;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Samples;

/// <summary>The main job (compare) on the shipped data, in quick mode.</summary>
[TestClass]
public sealed partial class CompareJobTests
{
    private static readonly string[] Pngs =
    [
        "binary-learning-curves.png", "binary-roc.png", "multiclass-learning-curves.png", "multiclass-confusion.png",
        "regression-learning-curves.png", "regression-predicted-vs-actual.png",
    ];

    [GeneratedRegex(@"^\| (binary|multiclass|regression) \| ([^|]+?) \| ([^|]+?) \| ([^|]+?) \| ([^|]+?) \| ([^|]+?) \| ([^|]+?) \|$", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [TestMethod]
    public void QuickCompareWritesReportPlotsAndIdenticalRoundTrip()
    {
        string dir = SamplesRunner.NewTempFolder("compare");
        var (code, output) = SamplesRunner.Run("compare", "--epochs", "2", "--quick", "--scoring-calls", "50", "--out", dir);

        Assert.AreEqual(0, code, output);
        StringAssert.Contains(output, "save/load round trip: ");
        Assert.MatchesRegex(@"save/load round trip: [\d,]+ predictions identical", output);
        StringAssert.Contains(output, Path.Combine(dir, "report.md"));

        foreach (var png in Pngs)
        {
            var bytes = File.ReadAllBytes(Path.Combine(dir, png));
            Assert.IsGreaterThan(1000, bytes.Length, png);
            CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4], png);
        }
        foreach (var task in new[] { "binary", "multiclass", "regression" })
            Assert.IsTrue(File.Exists(Path.Combine(dir, CompareCommand.ModelFile(task))), task);
        Assert.IsEmpty(Directory.GetFiles(dir, "*.tmp*"), "no temporary files left behind");

        string report = File.ReadAllText(Path.Combine(dir, "report.md"));
        StringAssert.Contains(report, "compare --epochs 2 --quick");
        StringAssert.Contains(report, "Seeds: 42");
        StringAssert.Contains(report, "Threads:");
        StringAssert.Contains(report, $"{Environment.ProcessorCount} logical cores");
        StringAssert.Contains(report, Environment.Version.ToString(2));
        Assert.MatchesRegex(@"save/load round trip: [\d,]+ predictions identical", report);

        var rows = TableRow().Matches(report).ToList();
        Assert.HasCount(12, rows, report);
        foreach (var row in rows)
        {
            string task = row.Groups[1].Value, trainer = row.Groups[2].Value;
            foreach (int g in new[] { 3, 4, 5 })
            {
                var parts = row.Groups[g].Value.Split(' ');
                CheckMetric(task, trainer, parts[0], Parse(parts[1]));
            }
            Assert.IsGreaterThanOrEqualTo(0.0, Parse(row.Groups[6].Value), $"{task} {trainer} train seconds");
            Assert.IsGreaterThan(0.0, Parse(row.Groups[7].Value), $"{task} {trainer} scoring µs");
        }
        Assert.AreEqual("BN-MLP", rows[0].Groups[2].Value);

        // Thresholds a broken model misses. A constant (or shuffled) model scores AUC 0.5, 10-class accuracy ≈ 0.1
        // and R² ≤ 0 (R² > 0 beats even the best constant, the test-set mean). Measured with this command:
        // binary AUC 0.913, accuracy 0.852; multiclass micro-accuracy 0.738; regression R² 0.020, MAE 2.35.
        // The BN-MLP must also stay near ML.NET's built-in trainers of the same run.
        double Metric(string task, string trainer, int group) =>
            Parse(rows.Single(r => r.Groups[1].Value == task && r.Groups[2].Value == trainer).Groups[group].Value.Split(' ')[1]);
        double BestBuiltIn(string task, int group, Func<double, double, double> pick) =>
            rows.Where(r => r.Groups[1].Value == task && r.Groups[2].Value != "BN-MLP")
                .Select(r => Parse(r.Groups[group].Value.Split(' ')[1])).Aggregate(pick);
        Assert.IsGreaterThan(0.85, Metric("binary", "BN-MLP", 3), "binary BN-MLP AUC");
        Assert.IsGreaterThan(BestBuiltIn("binary", 3, Math.Max) - 0.1, Metric("binary", "BN-MLP", 3), "binary AUC near the built-ins");
        Assert.IsGreaterThan(BestBuiltIn("binary", 4, Math.Max) - 0.1, Metric("binary", "BN-MLP", 4), "binary accuracy near the built-ins");
        Assert.IsGreaterThan(0.6, Metric("multiclass", "BN-MLP", 3), "multiclass BN-MLP micro-accuracy (chance is 0.1)");
        Assert.IsGreaterThan(BestBuiltIn("multiclass", 3, Math.Max) - 0.1, Metric("multiclass", "BN-MLP", 3), "multiclass accuracy near the built-ins");
        Assert.IsGreaterThan(0.0, Metric("regression", "BN-MLP", 3), "regression BN-MLP R² above every constant predictor");
        Assert.IsLessThan(1.1 * BestBuiltIn("regression", 5, Math.Min), Metric("regression", "BN-MLP", 5), "regression MAE near the built-ins");
    }

    [TestMethod]
    public void CompareRefusesToOverwriteAnEarlierRunWithoutForce()
    {
        string dir = SamplesRunner.NewTempFolder("compare-keep");
        string report = Path.Combine(dir, "report.md");
        File.WriteAllText(report, "an earlier report");
        var before = File.GetLastWriteTimeUtc(report);

        var (code, output) = SamplesRunner.Run("compare", "--quick", "--epochs", "1", "--out", dir);

        Assert.AreEqual(2, code, output);
        StringAssert.Contains(output, "already exists; use --force");
        Assert.AreEqual("an earlier report", File.ReadAllText(report));
        Assert.AreEqual(before, File.GetLastWriteTimeUtc(report));
        Assert.HasCount(1, Directory.GetFiles(dir), "nothing trained or written");
    }

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static void CheckMetric(string task, string trainer, string name, double value)
    {
        string what = $"{task} {trainer} {name} = {value}";
        Assert.IsTrue(double.IsFinite(value), what);
        switch (name)
        {
            case "AUC" or "accuracy" or "F1" or "micro-accuracy" or "macro-accuracy":
                Assert.IsTrue(value is >= 0 and <= 1, what);
                break;
            case "log-loss" or "RMSE" or "MAE":
                Assert.IsGreaterThanOrEqualTo(0.0, value, what);
                break;
            case "R²":
                Assert.IsLessThanOrEqualTo(1.0, value, what);
                break;
            default:
                Assert.Fail($"unexpected metric {what}");
                break;
        }
    }
}
