using BnMlNet.Samples.Cli;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Spectre.Console.Cli;

namespace BnMlNet.Tests.Samples;

/// <summary>Every command rejects an unknown option or a stray argument: exit code 2, the option as typed, the closest valid one.</summary>
[TestClass]
public sealed class StrictParsingTests
{
    [TestMethod]
    public void TrainWithEpochTypoIsRejectedBeforeTraining()
    {
        string dir = SamplesRunner.NewTempFolder("strict-train");
        string train = TestCsv.Write(Path.Combine(dir, "train.csv"), 60, seed: 1);
        string model = Path.Combine(dir, "model.zip");

        var (code, output) = SamplesRunner.Run("train", "--data", train, "--label", "vote", "--task", "binary",
            "--out", model, "--epoch", "3");

        Assert.AreEqual(ExitCodes.BadInput, code, output);
        Assert.Contains("unknown option '--epoch'", output);
        Assert.Contains("Did you mean '--epochs'?", output);
        Assert.IsFalse(File.Exists(model), "nothing may be trained when the command line is wrong");
        Assert.DoesNotContain("Epoch 1/", output);
    }

    [TestMethod]
    public void ExperimentsWithSeedzIsRejected()
    {
        string dir = SamplesRunner.NewTempFolder("strict-exp");
        var (code, output) = SamplesRunner.Run("experiments", "--seedz", "2", "--quick", "--out", dir);
        Assert.AreEqual(ExitCodes.BadInput, code, output);
        Assert.Contains("unknown option '--seedz'", output);
        Assert.Contains("Did you mean '--seed'?", output);
        Assert.IsEmpty(Directory.GetFileSystemEntries(dir), "no experiment may run");
    }

    [TestMethod]
    [DataRow("compare", "--quik", "--quick")]
    [DataRow("train", "--hiden", "--hidden")]
    [DataRow("evaluate", "--modle", "--model")]
    [DataRow("predict", "--dta", "--data")]
    [DataRow("experiments", "--thread", "--threads")]
    [DataRow("export-onnx", "--opst", "--opset")]
    [DataRow("bench", "--epoch", "--epochs")]
    public void EachCommandRejectsAnUnknownOptionAndSuggestsTheClosest(string command, string typo, string suggestion)
    {
        var (code, output) = SamplesRunner.Run(command, typo, "1");
        Assert.AreEqual(ExitCodes.BadInput, code, output);
        Assert.Contains($"unknown option '{typo}' for {command}", output);
        Assert.Contains($"Did you mean '{suggestion}'?", output);
    }

    [TestMethod]
    [DataRow("compare")]
    [DataRow("train")]
    [DataRow("evaluate")]
    [DataRow("predict")]
    [DataRow("experiments")]
    [DataRow("export-onnx")]
    [DataRow("bench")]
    public void EachCommandRejectsAStrayArgument(string command)
    {
        var (code, output) = SamplesRunner.Run(command, "--seed", "3", "leftover.csv");
        if (command is "evaluate" or "predict" or "export-onnx")
            (code, output) = SamplesRunner.Run(command, "--model", "m.zip", "leftover.csv");
        Assert.AreEqual(ExitCodes.BadInput, code, output);
        Assert.Contains($"unexpected argument 'leftover.csv': {command} takes options only", output);
    }

    [TestMethod]
    public void TheOptionIsQuotedAsTypedWithItsValueAttached()
    {
        var (code, output) = SamplesRunner.Run("train", "--epoc=3");
        Assert.AreEqual(ExitCodes.BadInput, code, output);
        Assert.Contains("unknown option '--epoc' for train. Did you mean '--epochs'?", output);
    }

    [TestMethod]
    public void AnOptionFarFromEveryValidOneListsTheValidOnes()
    {
        var (code, output) = SamplesRunner.Run("predict", "--zzzzzz");
        Assert.AreEqual(ExitCodes.BadInput, code, output);
        Assert.Contains("unknown option '--zzzzzz' for predict. Its options: --model, --data, --out, --force, --help.", output);
    }

    [TestMethod]
    public void AnUnknownCommandSuggestsTheClosest()
    {
        var (code, output) = SamplesRunner.Run("trian", "--data", "x.csv");
        Assert.AreEqual(ExitCodes.BadInput, code, output);
        Assert.Contains("unknown command 'trian'. Did you mean 'train'?", output);
    }

    [TestMethod]
    public void ValidOptionsStillParse()
    {
        // --force and --seed are valid: the command runs and fails later, on the missing file, still with exit 2.
        var (code, output) = SamplesRunner.Run("train", "--data", "missing.csv", "--label", "y", "--task", "binary",
            "--out", Path.Combine(SamplesRunner.NewTempFolder("strict-ok"), "m.zip"), "--seed", "3", "--force");
        Assert.AreEqual(ExitCodes.BadInput, code, output);
        Assert.Contains("File not found: missing.csv", output);
        Assert.DoesNotContain("unknown option", output);
    }

    [TestMethod]
    public void EditDistanceMatchesHandCountedCases()
    {
        Assert.AreEqual(0, CommandLineErrors.EditDistance("epochs", "EPOCHS"));
        Assert.AreEqual(1, CommandLineErrors.EditDistance("epoch", "epochs"));
        Assert.AreEqual(2, CommandLineErrors.EditDistance("trian", "train"));
        Assert.AreEqual(3, CommandLineErrors.EditDistance("kitten", "sitting"));
        Assert.AreEqual(4, CommandLineErrors.EditDistance("", "data"));
    }

    [TestMethod]
    public void ASubcommandPathIsMatchedBeforeItsParent()
    {
        (string, Type)[] commands = [("compare", typeof(BnMlNet.Samples.Commands.CompareSettings)),
            ("bench", typeof(BnMlNet.Samples.Bench.BenchSettings)), ("bench sub", typeof(BnMlNet.Samples.Commands.PredictSettings))];
        var unknown = ParseError("--modle");
        Assert.AreEqual("unknown option '--modle' for bench sub. Did you mean '--model'? (see 'bench sub --help')",
            CommandLineErrors.Describe(unknown, ["bench", "sub", "--modle", "m.zip"], commands));
        Assert.StartsWith("unknown option '--modle' for bench.",
            CommandLineErrors.Describe(unknown, ["bench", "--modle", "m.zip"], commands));
        Assert.StartsWith("unknown option '--modle' for compare.",
            CommandLineErrors.Describe(unknown, ["--modle"], commands));
    }

    /// <summary>The exception Spectre.Console.Cli's strict parser raises for <paramref name="args"/> after a command.</summary>
    private static Spectre.Console.Cli.CommandParseException ParseError(params string[] args)
    {
        var app = new Spectre.Console.Cli.CommandApp();
        app.Configure(config =>
        {
            config.PropagateExceptions();
            config.Settings.StrictParsing = true;
            config.AddCommand<NoOp>("x");
        });
        try
        {
            app.Run(["x", .. args]);
        }
        catch (Spectre.Console.Cli.CommandParseException e)
        {
            return e;
        }
        throw new AssertFailedException("no parse error for " + string.Join(" ", args));
    }

    private sealed class NoOp : Spectre.Console.Cli.Command<BnMlNet.Samples.Commands.PredictSettings>
    {
        public override int Execute(Spectre.Console.Cli.CommandContext context, BnMlNet.Samples.Commands.PredictSettings settings,
            CancellationToken cancellationToken) => 0;
    }
}
