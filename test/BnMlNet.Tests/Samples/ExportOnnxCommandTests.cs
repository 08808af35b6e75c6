using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Samples;

/// <summary><c>export-onnx</c> on models trained by <c>train</c>: the file is written and agrees with ML.NET.</summary>
[TestClass]
public sealed class ExportOnnxCommandTests
{
    [TestMethod]
    [DataRow("vote", "binary")]
    [DataRow("kind", "multiclass")]
    [DataRow("amount", "regression")]
    public void ExportsAModelTrainedByTrainAndVerifiesItWithOnnxRuntime(string label, string task)
    {
        string dir = SamplesRunner.NewTempFolder("onnx-" + task);
        string data = TestCsv.Write(Path.Combine(dir, "data.csv"), 300, seed: 7);
        string model = Path.Combine(dir, "model.zip"), onnx = Path.Combine(dir, "model.onnx");
        var (code, output) = SamplesRunner.Run("train", "--data", data, "--label", label, "--task", task,
            "--out", model, "--epochs", "3", "--hidden", "8");
        Assert.AreEqual(0, code, output);

        (code, output) = SamplesRunner.Run("export-onnx", "--model", model, "--data", data, "--out", onnx, "--opset", "11");
        Assert.AreEqual(0, code, output);
        Assert.IsTrue(new FileInfo(onnx).Length > 1000, "the ONNX file is written");
        StringAssert.Contains(output, "ONNX Runtime vs ML.NET on 300 rows");
        StringAssert.Contains(output, "PredictedLabel identical");
        var difference = System.Text.RegularExpressions.Regex.Match(output, @"max \|Δ\| = (\S+)");
        Assert.IsTrue(difference.Success, output);
        Assert.IsLessThanOrEqualTo(1e-5, double.Parse(difference.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

        byte[] before = File.ReadAllBytes(onnx);
        (code, output) = SamplesRunner.Run("export-onnx", "--model", model, "--data", data, "--out", onnx);
        Assert.AreEqual(2, code, "an existing file is not overwritten without --force");
        StringAssert.Contains(output, "--force");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(onnx));
    }

    [TestMethod]
    public void UnsupportedOpsetIsRefusedWithAClearMessage()
    {
        string dir = SamplesRunner.NewTempFolder("onnx-opset");
        var (code, output) = SamplesRunner.Run("export-onnx", "--model", Path.Combine(dir, "m.zip"), "--data", "x.csv",
            "--out", Path.Combine(dir, "m.onnx"), "--opset", "13");
        Assert.AreEqual(2, code);
        StringAssert.Contains(output, "opsets 9 to 12");
    }
}
