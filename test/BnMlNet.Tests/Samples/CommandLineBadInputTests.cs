using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Samples;

/// <summary>Bad input fails with a clear message and a non-zero exit code; nothing the user has is overwritten.</summary>
[TestClass]
public sealed class CommandLineBadInputTests
{
    private static string _dir = "";
    private static string _model = "";

    [ClassInitialize]
    public static void TrainOnce(TestContext _)
    {
        _dir = SamplesRunner.NewTempFolder("bad-input");
        string train = TestCsv.Write(Path.Combine(_dir, "train.csv"), 200, seed: 1);
        _model = Path.Combine(_dir, "model.zip");
        var (code, output) = SamplesRunner.Run("train", "--data", train, "--label", "vote", "--task", "binary",
            "--out", _model, "--epochs", "2", "--hidden", "8");
        Assert.AreEqual(0, code, output);
    }

    [TestMethod]
    public void MissingFile()
    {
        string missing = Path.Combine(_dir, "nope.csv");
        var (code, output) = SamplesRunner.Run("train", "--data", missing, "--label", "y", "--task", "binary",
            "--out", Path.Combine(_dir, "m1.zip"));
        Assert.AreEqual(2, code, output);
        Assert.Contains($"File not found: {missing}", output);

        (code, output) = SamplesRunner.Run("evaluate", "--model", Path.Combine(_dir, "nope.zip"), "--data", missing);
        Assert.AreEqual(2, code, output);
        Assert.Contains("Model not found", output);
    }

    [TestMethod]
    public void MissingLabelColumnListsTheColumns()
    {
        var (code, output) = SamplesRunner.Run("train", "--data", Path.Combine(_dir, "train.csv"), "--label", "target",
            "--task", "binary", "--out", Path.Combine(_dir, "m2.zip"));
        Assert.AreEqual(2, code, output);
        Assert.Contains("Label column 'target' not found", output);
        Assert.Contains("Columns: x1, x2, color, vote, kind, amount", output);
        Assert.IsFalse(File.Exists(Path.Combine(_dir, "m2.zip")));
    }

    [TestMethod]
    public void EmptyFile()
    {
        string empty = Path.Combine(_dir, "empty.csv");
        File.WriteAllText(empty, "");
        var (code, output) = SamplesRunner.Run("train", "--data", empty, "--label", "y", "--task", "regression",
            "--out", Path.Combine(_dir, "m3.zip"));
        Assert.AreEqual(2, code, output);
        Assert.Contains("is empty", output);

        string headerOnly = Path.Combine(_dir, "header-only.csv");
        File.WriteAllText(headerOnly, "x1,x2,color\n");
        (code, output) = SamplesRunner.Run("predict", "--model", _model, "--data", headerOnly, "--out", Path.Combine(_dir, "p3.csv"));
        Assert.AreEqual(2, code, output);
        Assert.Contains("has a header (x1, x2, color) but no data rows", output);
    }

    [TestMethod]
    public void RaggedRowNamesLineAndFieldCounts()
    {
        string ragged = Path.Combine(_dir, "ragged.csv");
        File.WriteAllText(ragged, "x1,x2,color\n1,2,red\n3,4,blue\n5,6\n7,8,green\n");
        var (code, output) = SamplesRunner.Run("predict", "--model", _model, "--data", ragged, "--out", Path.Combine(_dir, "p4.csv"));
        Assert.AreEqual(2, code, output);
        Assert.Contains("ragged row at line 4: 2 fields, expected 3", output);
        Assert.IsFalse(File.Exists(Path.Combine(_dir, "p4.csv")));
    }

    [TestMethod]
    public void MissingFeatureColumnAndBadLabelValues()
    {
        string noColor = Path.Combine(_dir, "no-color.csv");
        File.WriteAllText(noColor, "x1,x2\n1,2\n");
        var (code, output) = SamplesRunner.Run("predict", "--model", _model, "--data", noColor, "--out", Path.Combine(_dir, "p5.csv"));
        Assert.AreEqual(2, code, output);
        Assert.Contains("lacks the feature column(s) the model was trained on: color, kind, amount", output);

        (code, output) = SamplesRunner.Run("train", "--data", Path.Combine(_dir, "train.csv"), "--label", "kind",
            "--task", "binary", "--out", Path.Combine(_dir, "m5.zip"));
        Assert.AreEqual(2, code, output);
        Assert.Contains("must be 0/1 or true/false", output);
    }

    [TestMethod]
    public void ExistingFilesAreLeftUntouchedWithoutForce()
    {
        string predictions = Path.Combine(_dir, "keep.csv");
        File.WriteAllText(predictions, "precious");
        var stamp = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(predictions, stamp);
        string data = Path.Combine(_dir, "train.csv");

        var (code, output) = SamplesRunner.Run("predict", "--model", _model, "--data", data, "--out", predictions);
        Assert.AreEqual(2, code, output);
        Assert.Contains("already exists; use --force", output);
        Assert.AreEqual("precious", File.ReadAllText(predictions));
        Assert.AreEqual(stamp, File.GetLastWriteTimeUtc(predictions));

        byte[] modelBytes = File.ReadAllBytes(_model);
        var modelStamp = File.GetLastWriteTimeUtc(_model);
        (code, output) = SamplesRunner.Run("train", "--data", data, "--label", "vote", "--task", "binary", "--out", _model, "--epochs", "1");
        Assert.AreEqual(2, code, output);
        CollectionAssert.AreEqual(modelBytes, File.ReadAllBytes(_model));
        Assert.AreEqual(modelStamp, File.GetLastWriteTimeUtc(_model));

        // With --force the file is replaced.
        (code, output) = SamplesRunner.Run("predict", "--model", _model, "--data", data, "--out", predictions, "--force");
        Assert.AreEqual(0, code, output);
        Assert.HasCount(201, File.ReadAllLines(predictions));
        Assert.IsEmpty(Directory.GetFiles(_dir, "*.tmp*"));
    }

    [TestMethod]
    public void HelpListsTheCommands()
    {
        var (code, output) = SamplesRunner.Run("--help");
        Assert.AreEqual(0, code, output);
        foreach (var command in new[] { "compare", "train", "evaluate", "predict" })
            Assert.Contains(command, output);

        (code, output) = SamplesRunner.Run("train", "--data", "x.csv", "--task", "sideways", "--label", "y", "--out", Path.Combine(_dir, "m6.zip"));
        Assert.AreEqual(2, code, output);
        Assert.Contains("Unknown task 'sideways'", output);
    }
}
