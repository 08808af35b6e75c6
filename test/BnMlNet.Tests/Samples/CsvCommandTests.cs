using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Samples;

/// <summary>train → evaluate → predict on small CSVs written here, with a text column.</summary>
[TestClass]
public sealed class CsvCommandTests
{
    [TestMethod]
    public void BinaryTrainEvaluatePredict()
    {
        string dir = SamplesRunner.NewTempFolder("csv-binary");
        string train = TestCsv.Write(Path.Combine(dir, "train.csv"), 400, seed: 1);
        string test = TestCsv.Write(Path.Combine(dir, "test.csv"), 150, seed: 2);
        string fresh = TestCsv.Write(Path.Combine(dir, "new.csv"), 37, seed: 3, withLabels: false, shuffleColumns: true);
        string model = Path.Combine(dir, "model.zip");

        var (code, output) = SamplesRunner.Run("train", "--data", train, "--label", "vote", "--task", "binary",
            "--out", model, "--epochs", "30", "--hidden", "16,8", "--learning-rate", "0.01");
        Assert.AreEqual(0, code, output);
        Assert.IsTrue(File.Exists(model));
        Assert.Contains("\"Task\": \"Binary\"", File.ReadAllText(model + ".json"));
        Assert.Contains("Epoch 30/30", output);

        // The other label columns are features here; evaluate needs only the training columns and the label.
        (code, output) = SamplesRunner.Run("evaluate", "--model", model, "--data", test);
        Assert.AreEqual(0, code, output);
        Assert.IsGreaterThan(0.9, Metric(output, "AUC"), output);
        Assert.IsGreaterThan(0.8, Metric(output, "Accuracy"), output);

        string predictions = Path.Combine(dir, "predictions.csv");
        (code, output) = SamplesRunner.Run("predict", "--model", model, "--data", Path.Combine(dir, "train-features.csv"), "--out", predictions);
        Assert.AreEqual(2, code, output); // no such file
        Assert.IsFalse(File.Exists(predictions));
    }

    [TestMethod]
    public void PredictWritesOneRowPerInputRowWithColumnsByName()
    {
        string dir = SamplesRunner.NewTempFolder("csv-predict");
        string train = TestCsv.Write(Path.Combine(dir, "train.csv"), 300, seed: 1);
        // Features only (no label columns), in another column order.
        string fresh = Path.Combine(dir, "new.csv");
        File.WriteAllText(fresh, "color,x2,x1,kind,amount\nred,0.5,-0.2,mid,1\ngreen,0.1,1.9,high,2\nblue,0.9,0.0,mid,3\n\"blue\",0.3,-1.7,low,4\n");
        string model = Path.Combine(dir, "model.zip");
        Assert.AreEqual(0, SamplesRunner.Run("train", "--data", train, "--label", "vote", "--task", "binary",
            "--out", model, "--epochs", "10", "--hidden", "16").ExitCode);

        string predictions = Path.Combine(dir, "predictions.csv");
        var (code, output) = SamplesRunner.Run("predict", "--model", model, "--data", fresh, "--out", predictions);
        Assert.AreEqual(0, code, output);
        Assert.Contains("Wrote 4 predictions", output);
        var lines = File.ReadAllLines(predictions);
        Assert.HasCount(5, lines);
        Assert.AreEqual("color,x2,x1,kind,amount,PredictedLabel,Probability,Score", lines[0]);
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            Assert.HasCount(8, f, line);
            Assert.IsTrue(f[5] is "0" or "1", line);
            double p = double.Parse(f[6], CultureInfo.InvariantCulture);
            Assert.IsTrue(p is >= 0 and <= 1, line);
        }
        Assert.IsEmpty(Directory.GetFiles(dir, "*.tmp*"));
    }

    [TestMethod]
    public void MulticlassTrainEvaluatePredictUsesClassNames()
    {
        string dir = SamplesRunner.NewTempFolder("csv-multi");
        string train = WriteWithout(TestCsv.Write(Path.Combine(dir, "all.csv"), 500, seed: 4), Path.Combine(dir, "train.csv"), "vote", "amount");
        string test = WriteWithout(TestCsv.Write(Path.Combine(dir, "all-test.csv"), 150, seed: 5), Path.Combine(dir, "test.csv"), "vote", "amount");
        string model = Path.Combine(dir, "kind.zip");

        var (code, output) = SamplesRunner.Run("train", "--data", train, "--label", "kind", "--task", "multiclass",
            "--out", model, "--epochs", "40", "--hidden", "32", "--learning-rate", "0.01");
        Assert.AreEqual(0, code, output);
        Assert.Contains("\"high\"", File.ReadAllText(model + ".json"));

        (code, output) = SamplesRunner.Run("evaluate", "--model", model, "--data", test);
        Assert.AreEqual(0, code, output);
        Assert.IsGreaterThan(0.75, Metric(output, "MicroAccuracy"), output);

        string predictions = Path.Combine(dir, "kinds.csv");
        (code, output) = SamplesRunner.Run("predict", "--model", model, "--data", test, "--out", predictions);
        Assert.AreEqual(0, code, output);
        var lines = File.ReadAllLines(predictions);
        Assert.HasCount(151, lines);
        Assert.AreEqual("x1,x2,color,kind,PredictedLabel,Score.high,Score.low,Score.mid", lines[0]);
        Assert.IsTrue(lines.Skip(1).All(l => l.Split(',')[4] is "high" or "low" or "mid"));
    }

    [TestMethod]
    public void RegressionTrainEvaluate()
    {
        string dir = SamplesRunner.NewTempFolder("csv-regression");
        string train = WriteWithout(TestCsv.Write(Path.Combine(dir, "all.csv"), 500, seed: 6), Path.Combine(dir, "train.csv"), "vote", "kind");
        string test = WriteWithout(TestCsv.Write(Path.Combine(dir, "all-test.csv"), 150, seed: 7), Path.Combine(dir, "test.csv"), "vote", "kind");
        string model = Path.Combine(dir, "amount.zip");

        var (code, output) = SamplesRunner.Run("train", "--data", train, "--label", "amount", "--task", "regression",
            "--out", model, "--epochs", "60", "--hidden", "32", "--learning-rate", "0.01");
        Assert.AreEqual(0, code, output);
        (code, output) = SamplesRunner.Run("evaluate", "--model", model, "--data", test);
        Assert.AreEqual(0, code, output);
        Assert.IsGreaterThan(0.8, Metric(output, "R2"), output);
    }

    /// <summary>The value printed next to <paramref name="name"/> in evaluate's table.</summary>
    private static double Metric(string output, string name)
    {
        var m = Regex.Match(output, $@"\b{name}\s*│\s*(-?[\d.]+)");
        Assert.IsTrue(m.Success, $"{name} not in output:\n{output}");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Copies a CSV without the given columns.</summary>
    private static string WriteWithout(string source, string target, params string[] drop)
    {
        var lines = File.ReadAllLines(source);
        var header = lines[0].Split(',');
        var keep = Enumerable.Range(0, header.Length).Where(i => !drop.Contains(header[i])).ToArray();
        File.WriteAllLines(target, lines.Select(l => string.Join(",", keep.Select(i => l.Split(',')[i]))));
        return target;
    }
}
