using System.Diagnostics;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Persistence;

/// <summary>
/// Scoring in a new process (BnMlNet.FreshProcess, copied next to the test assembly): nothing of this process's state
/// (caches, statics, loaded assemblies' registrations) can make a saved model score as it did here.
/// </summary>
internal static class FreshProcess
{
    /// <summary>
    /// Runs BnMlNet.FreshProcess: loads <paramref name="modelPath"/>, scores the binary IDataView at
    /// <paramref name="inputPath"/> and saves the result at <paramref name="outputPath"/>.
    /// </summary>
    /// <returns>The exit code, and standard output followed by standard error.</returns>
    public static (int Code, string Output) Run(string modelPath, string inputPath, string outputPath)
    {
        string exe = Path.Combine(AppContext.BaseDirectory, "BnMlNet.FreshProcess.dll");
        Assert.IsTrue(File.Exists(exe), $"{exe} is missing: the test project references BnMlNet.FreshProcess to copy it here.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "exec", exe, modelPath, inputPath, outputPath }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.IsTrue(process.WaitForExit(120_000), "the fresh process did not finish in 2 minutes");
        return (process.ExitCode, stdout + stderr.Result);
    }

    /// <summary><see cref="Run"/>, asserting that the fresh process succeeded.</summary>
    public static void Score(string modelPath, string inputPath, string outputPath)
    {
        var (code, output) = Run(modelPath, inputPath, outputPath);
        Assert.AreEqual(0, code, $"fresh process failed:\n{output}");
    }

    /// <summary>
    /// Saves <paramref name="model"/> (with <paramref name="inputSchema"/>) and <paramref name="probe"/> into a temporary
    /// folder, scores the probe in a fresh process, and hands its output to <paramref name="check"/> (before the folder is
    /// deleted).
    /// </summary>
    public static void RoundTrip(MLContext ml, ITransformer model, DataViewSchema inputSchema, IDataView probe, Action<IDataView> check)
    {
        string dir = Directory.CreateTempSubdirectory("bnmlnet-fresh-").FullName;
        try
        {
            string modelPath = Path.Combine(dir, "model.zip"), inputPath = Path.Combine(dir, "input.idv"), outputPath = Path.Combine(dir, "output.idv");
            ml.Model.Save(model, inputSchema, modelPath);
            using (var input = File.Create(inputPath)) ml.Data.SaveAsBinary(probe, input);
            Score(modelPath, inputPath, outputPath);
            check(new MLContext().Data.LoadFromBinary(outputPath));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
