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

        // The BN-MLP must have learned something even in two epochs.
        var bnBinary = rows.First(r => r.Groups[1].Value == "binary" && r.Groups[2].Value == "BN-MLP");
        Assert.IsGreaterThan(0.7, Parse(bnBinary.Groups[3].Value.Split(' ')[1]), "binary BN-MLP AUC");
        var bnMulti = rows.First(r => r.Groups[1].Value == "multiclass" && r.Groups[2].Value == "BN-MLP");
        Assert.IsGreaterThan(0.5, Parse(bnMulti.Groups[3].Value.Split(' ')[1]), "multiclass BN-MLP micro-accuracy");
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
