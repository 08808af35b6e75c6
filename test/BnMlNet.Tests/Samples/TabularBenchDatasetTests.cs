using System.Globalization;
using System.Text;
using BnMlNet.Samples.Bench.Tabular;
using BnMlNet.Samples.Csv;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Samples;

/// <summary>
/// bench tabular's datasets: a development suite built here in a temporary shared folder (manifest + quoted CSV with
/// empty fields, columns in another order than the manifest), the missing-dataset messages and bad command lines.
/// </summary>
[TestClass]
public sealed class TabularBenchDatasetTests
{
    private const int TrainRows = 400, TestRows = 100;
    private static readonly string[] Colors = ["red", "green", "blue"];
    private static string s_shared = "";
    private static double s_x2Mean;
    private static readonly List<(double X1, double? X2, string Color)> s_train = [];

    [ClassInitialize]
    public static void WriteToySuite(TestContext _)
    {
        s_shared = SamplesRunner.NewTempFolder("tabular-shared");
        var dir = Path.Combine(s_shared, "tabular");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "manifest.tsv"), $"toy_binary\tbinary\t{TrainRows + TestRows}\tx1,x2\tcolor\n");
        var rng = new Random(7);
        string Write(int rows, bool train)
        {
            var csv = new StringBuilder("\"Label\",\"color\",\"x2\",\"x1\"\n");
            for (int i = 0; i < rows; i++)
            {
                double x1 = rng.NextDouble() * 4 - 2;
                double? x2 = i % 10 == 3 ? null : Math.Round(rng.NextDouble() * 10, 3);
                string color = Colors[rng.Next(3)];
                int label = x1 + (color == "red" ? 1.5 : 0) + 0.3 * rng.NextDouble() > 0.4 ? 1 : 0;
                if (train) s_train.Add((x1, x2, color));
                csv.Append(CultureInfo.InvariantCulture, $"{label},\"{color}\",{(x2 is double v ? v.ToString("R", CultureInfo.InvariantCulture) : "")},{x1.ToString("R", CultureInfo.InvariantCulture)}\n");
            }
            return csv.ToString();
        }
        File.WriteAllText(Path.Combine(dir, "toy_binary.train.csv"), Write(TrainRows, true));
        File.WriteAllText(Path.Combine(dir, "toy_binary.test.csv"), Write(TestRows, false));
        s_x2Mean = s_train.Where(r => r.X2 is not null).Average(r => r.X2!.Value);
    }

    [TestMethod]
    public void MissingNumbersGetTheTrainingMeanAndOneHotSlotRangesSurvive()
    {
        var discovery = TabularDatasets.Discover(s_shared);
        Assert.IsTrue(discovery.DevSuiteFound);
        var toy = discovery.Available.Single(d => d.Name == "toy_binary");
        Assert.AreEqual(TabularDatasets.DevSuiteGroup, toy.Group);
        Assert.AreEqual(MlTask.Binary, toy.Task);

        var (train, _) = TabularRunner.Prepare(new MLContext(1), toy, quick: false);
        var features = train.Schema["Features"];
        Assert.AreEqual(5, ((VectorDataViewType)features.Type).Size, "x1, x2 and three one-hot slots");
        Assert.AreEqual(1, TabularRunner.CategoricalBlocks(features), "OneHotEncoding's CategoricalSlotRanges survives Concatenate");
        VBuffer<int> ranges = default;
        features.Annotations.GetValue("CategoricalSlotRanges", ref ranges);
        CollectionAssert.AreEqual(new[] { 2, 4 }, ranges.DenseValues().ToArray());

        var rows = train.GetColumn<float[]>("Features").ToList();
        Assert.HasCount(TrainRows, rows);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.AreEqual(s_train[i].X1, rows[i][0], 1e-5, $"row {i} x1");
            Assert.AreEqual(s_train[i].X2 ?? s_x2Mean, rows[i][1], 1e-4, $"row {i} x2 (empty field → training mean {s_x2Mean})");
            Assert.AreEqual(1f, rows[i][2] + rows[i][3] + rows[i][4], $"row {i}: one hot slot");
        }
    }

    [TestMethod]
    public void DevSuiteDatasetRunsFromItsManifest()
    {
        string dir = SamplesRunner.NewTempFolder("tabular-toy");
        var (code, output) = SamplesRunner.Run("bench", "tabular", "--shared", s_shared, "--threads", "1", "--datasets", "toy_binary", "--out", dir);
        Assert.AreEqual(0, code, output);
        string report = File.ReadAllText(Path.Combine(dir, "report.md"));
        var row = TabularReportParser.Accuracy(report).Single();
        Assert.AreEqual("toy_binary", row.Dataset);
        Assert.AreEqual((TrainRows, TestRows, 5, 1), (row.TrainRows, row.TestRows, row.Features, row.OneHotBlocks));
        Assert.IsGreaterThan(0.9, row.BnMlp, "the toy label is nearly a threshold on x1 + red: any working model ranks it well");
        Assert.AreEqual(TabularDatasets.DevSuiteGroup, TabularReportParser.Summary(report).Single().Group);
    }

    [TestMethod]
    public void MissingDatasetsAreNamedAndTheOthersStillRun()
    {
        string empty = SamplesRunner.NewTempFolder("tabular-empty");
        string dir = SamplesRunner.NewTempFolder("tabular-missing");
        var (code, output) = SamplesRunner.Run("bench", "tabular", "--shared", empty, "--quick", "--threads", "1",
            "--datasets", "anes96_vote,adult,arrests", "--out", dir);
        Assert.AreEqual(0, code, output);
        StringAssert.Contains(output, $"missing: adult: Missing dataset: shared dataset adult.txt (looked at {Path.Combine(empty, "adult.txt")})");
        StringAssert.Contains(output, "missing: arrests: not among the datasets found; it may belong to the development suite, which is missing");
        StringAssert.Contains(output, Path.Combine(empty, "tabular", "manifest.tsv"));
        string report = File.ReadAllText(Path.Combine(dir, "report.md"));
        StringAssert.Contains(report, "## Not run (missing)");
        StringAssert.Contains(report, "* adult: Missing dataset: shared dataset adult.txt");
        Assert.AreEqual("anes96_vote", TabularReportParser.Accuracy(report).Single().Dataset);
    }

    [TestMethod]
    public void WithoutAnyDatasetItSaysWhatIsMissingAndFails()
    {
        string empty = SamplesRunner.NewTempFolder("tabular-none");
        var (code, output) = SamplesRunner.Run("bench", "tabular", "--shared", empty, "--datasets", "adult,housing", "--out", Path.Combine(empty, "out"));
        Assert.AreEqual(2, code, output);
        StringAssert.Contains(output, "missing: adult:");
        StringAssert.Contains(output, "missing: housing:");
        StringAssert.Contains(output, "none of the datasets is available");
        Assert.IsFalse(Directory.Exists(Path.Combine(empty, "out")));
    }

    [TestMethod]
    public void UnknownDatasetNamesAreRejectedBeforeTraining()
    {
        var (code, output) = SamplesRunner.Run("bench", "tabular", "--shared", s_shared, "--datasets", "toy_binary,nosuch");
        Assert.AreEqual(2, code, output);
        StringAssert.Contains(output, "--datasets: unknown dataset(s) nosuch; known: toy_binary");
    }

    [TestMethod]
    public void BadCommandLinesAreRejectedWithTheirReason()
    {
        var (code, output) = SamplesRunner.Run("bench", "tabular", "--threads", "0");
        Assert.AreEqual(2, code, output);
        StringAssert.Contains(output, "--threads must be at least 1");

        (code, output) = SamplesRunner.Run("bench", "tabular", "--quick", "--bogus");
        Assert.AreEqual(2, code, output);
        StringAssert.Contains(output, "unknown option '--bogus' for bench tabular");

        (code, output) = SamplesRunner.Run("bench", "tabular", "--shared", "/nonexistent/shared-folder");
        Assert.AreEqual(2, code, output);
        StringAssert.Contains(output, "--shared: no folder '/nonexistent/shared-folder'");
    }

    [TestMethod]
    public void AnEarlierReportIsKeptWithoutForce()
    {
        string dir = SamplesRunner.NewTempFolder("tabular-keep");
        string report = Path.Combine(dir, "report.md");
        File.WriteAllText(report, "an earlier report");
        var (code, output) = SamplesRunner.Run("bench", "tabular", "--shared", s_shared, "--datasets", "toy_binary", "--out", dir);
        Assert.AreEqual(2, code, output);
        StringAssert.Contains(output, "already exists; use --force");
        Assert.AreEqual("an earlier report", File.ReadAllText(report));
        Assert.IsFalse(File.Exists(Path.Combine(dir, "tabular-gap.png")));
    }
}
