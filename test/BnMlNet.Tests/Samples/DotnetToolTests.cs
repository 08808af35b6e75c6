using System.Diagnostics;
using BnMlNet.Samples.Datasets;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Tests.Samples;

/// <summary>
/// The CSV commands as the dotnet tool BnMlNet.Tool: packed from the samples project into a fresh folder, installed
/// into a temporary tool path from that folder only, then train → evaluate → predict through the installed
/// <c>bnmlnet</c> command. Its predictions must equal the in-process predict command's, byte for byte.
/// </summary>
[TestClass]
public sealed class DotnetToolTests
{
    private static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(10);

    [TestMethod]
    [TestCategory("Long")]
    public void PackInstallThenTrainEvaluatePredict()
    {
        string root = RepositoryPaths.FindRepositoryRoot() ?? throw new InvalidOperationException("BnMlNet.sln not found above " + AppContext.BaseDirectory);
        string dir = SamplesRunner.NewTempFolder("tool");
        string packages = Path.Combine(dir, "packages"), tools = Path.Combine(dir, "tools"), cache = Path.Combine(dir, "nuget-cache");
        // Only the freshly packed folder as a source, and an empty package cache: never an older BnMlNet.Tool.
        string config = Path.Combine(dir, "nuget.config");
        File.WriteAllText(config, "<configuration><packageSources><clear /></packageSources></configuration>");
        var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = cache, ["MSBUILDDISABLENODEREUSE"] = "1" };

        // The configuration these tests were built in: pack that build of the samples project, without rebuilding it.
        string configuration = AppContext.BaseDirectory.Replace('\\', '/').Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var (code, output) = Run("dotnet", dir, env, "pack", Path.Combine(root, "src", "Samples", "BnMlNet.Samples", "BnMlNet.Samples.csproj"),
            "-c", configuration, "--no-build", "-o", packages, "-nodeReuse:false");
        Assert.AreEqual(0, code, output);
        Assert.HasCount(1, Directory.GetFiles(packages, "BnMlNet.Tool.*.nupkg"), output);

        (code, output) = Run("dotnet", dir, env, "tool", "install", "--tool-path", tools, "--add-source", packages,
            "--configfile", config, "BnMlNet.Tool");
        Assert.AreEqual(0, code, output);
        string bnmlnet = Path.Combine(tools, OperatingSystem.IsWindows() ? "bnmlnet.exe" : "bnmlnet");
        Assert.IsTrue(File.Exists(bnmlnet), output);

        string train = TestCsv.Write(Path.Combine(dir, "train.csv"), 300, seed: 1);
        string test = TestCsv.Write(Path.Combine(dir, "test.csv"), 100, seed: 2);
        string model = Path.Combine(dir, "model.zip");
        (code, output) = Run(bnmlnet, dir, env, "train", "--data", train, "--label", "vote", "--task", "binary", "--out", model,
            "--epochs", "20", "--hidden", "16,8", "--learning-rate", "0.01");
        Assert.AreEqual(0, code, output);
        Assert.Contains("Epoch 20/20", output);
        Assert.IsTrue(File.Exists(model) && File.Exists(model + ".json"));

        (code, output) = Run(bnmlnet, dir, env, "evaluate", "--model", model, "--data", test);
        Assert.AreEqual(0, code, output);
        Assert.Contains("AUC", output);

        string predictions = Path.Combine(dir, "predictions.csv"), inProcess = Path.Combine(dir, "in-process.csv");
        (code, output) = Run(bnmlnet, dir, env, "predict", "--model", model, "--data", test, "--out", predictions);
        Assert.AreEqual(0, code, output);
        Assert.Contains("Wrote 100 predictions", output);
        var (inCode, inOutput) = SamplesRunner.Run("predict", "--model", model, "--data", test, "--out", inProcess);
        Assert.AreEqual(0, inCode, inOutput);
        Assert.AreEqual(File.ReadAllText(inProcess), File.ReadAllText(predictions), "the tool and dotnet run must predict the same");

        // The installed tool parses strictly too, and names itself bnmlnet.
        (code, output) = Run(bnmlnet, dir, env, "train", "--epoch", "3");
        Assert.AreEqual(2, code, output);
        Assert.Contains("unknown option '--epoch' for train. Did you mean '--epochs'?", output);
        (code, output) = Run(bnmlnet, dir, env, "train", "--help");
        Assert.AreEqual(0, code, output);
        Assert.Contains("bnmlnet train", output);
    }

    private static (int ExitCode, string Output) Run(string file, string workingDirectory, IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in env) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(StepLimit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(" ", args)} did not finish within {StepLimit.TotalMinutes} minutes (hang guard).");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
