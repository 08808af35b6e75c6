using BnMlNet.Samples.Cli;
using BnMlNet.Samples.Csv;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace BnMlNet.Serving.Tests;

/// <summary>A bad --model stops the start with a clear message (exit code 2 from Main), never a half-working service.</summary>
[TestClass]
public sealed class StartupTests
{
    [TestMethod]
    public void MissingModelOptionIsNamed()
    {
        var e = Assert.ThrowsExactly<UserInputException>(() => ServingApp.Build(["--urls", "http://127.0.0.1:0"]));
        Assert.Contains("--model is required", e.Message);
        Assert.AreEqual(ExitCodes.BadInput, ServingApp.Main(["--urls", "http://127.0.0.1:0"]));
    }

    [TestMethod]
    public void MissingDamagedOrMismatchedFilesAreNamed()
    {
        string dir = Path.Combine(ServingModels.Folder, $"startup-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        string model = Path.Combine(dir, "m.zip");

        var e = Assert.ThrowsExactly<UserInputException>(() => Build(model));
        Assert.Contains($"Model not found: {model}", e.Message);

        File.Copy(ServingModels.Binary, model);
        e = Assert.ThrowsExactly<UserInputException>(() => Build(model));
        Assert.Contains("m.zip.json not found", e.Message);

        File.WriteAllText(ModelSidecar.PathFor(model), File.ReadAllText(ModelSidecar.PathFor(ServingModels.Binary)));
        File.WriteAllText(model, "PK not really a zip");
        e = Assert.ThrowsExactly<UserInputException>(() => Build(model));
        Assert.Contains("is not a model this service can load", e.Message);

        // A binary model with the multiclass model's sidecar: the check at load refuses it.
        File.Copy(ServingModels.Binary, model, overwrite: true);
        File.Copy(ModelSidecar.PathFor(ServingModels.Multiclass), ModelSidecar.PathFor(model), overwrite: true);
        e = Assert.ThrowsExactly<UserInputException>(() => Build(model));
        Assert.Contains("does not fit its sidecar", e.Message);
    }

    [TestMethod]
    public void BadNumberOptionIsNamed()
    {
        var e = Assert.ThrowsExactly<UserInputException>(() =>
            ServingApp.Build(["--model", ServingModels.Binary, "--batch-threshold", "many", "--urls", "http://127.0.0.1:0"]));
        Assert.Contains("--batch-threshold must be a positive integer; got 'many'", e.Message);
    }

    private static void Build(string model) => ServingApp.Build(["--model", model, "--urls", "http://127.0.0.1:0"]);
}
