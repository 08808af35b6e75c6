using System.Globalization;
using BnMlNet.Samples.Cli;
using BnMlNet.Samples.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

namespace BnMlNet.Samples;

/// <summary>Entry point of the sample app.</summary>
public static class Program
{
    /// <summary>Runs the sample app on the process console.</summary>
    public static int Main(string[] args) => Run(args, null);

    /// <summary>
    /// Runs the sample app in-process: <paramref name="args"/> as on the command line; everything is written to
    /// <paramref name="output"/> (plain text, no colours or live display) or, when null, to the console.
    /// </summary>
    /// <returns>The exit code (0 success, 1 failed check, 2 bad input or a bad command line).</returns>
    public static int Run(string[] args, TextWriter? output)
    {
        ArgumentNullException.ThrowIfNull(args);
        // Numbers in tables, reports and CSV output read the same on every machine (a decimal point, no grouping surprises).
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            return RunInvariant(args, output);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    /// <summary>
    /// Every command by its path with its settings type, the default command first (for the command-line errors'
    /// suggestions). A subcommand is listed by its whole path, e.g. <c>("bench tabular", typeof(…Settings))</c>.
    /// </summary>
    public static IReadOnlyList<(string Name, Type Settings)> Commands { get; } =
    [
        ("compare", typeof(CompareSettings)),
        ("train", typeof(TrainSettings)),
        ("evaluate", typeof(EvaluateSettings)),
        ("predict", typeof(PredictSettings)),
        ("experiments", typeof(BnMlNet.Samples.Experiments.ExperimentsSettings)),
        ("export-onnx", typeof(ExportOnnxSettings)),
        ("bench", typeof(BnMlNet.Samples.Bench.BenchSettings)),
        ("bench tabular", typeof(BnMlNet.Samples.Bench.Tabular.TabularBenchSettings)),
        ("bench threads", typeof(BnMlNet.Samples.Bench.Tabular.ThreadScalingSettings)),
    ];

    private static int RunInvariant(string[] args, TextWriter? output)
    {
        var console = ConsoleFactory.Create(output);
        var app = new CommandApp<CompareCommand>();
        app.Configure(config =>
        {
            config.SetApplicationName(ToolContext.ApplicationName);
            config.Settings.Console = console;
            // An unknown option or a stray argument is an error, never silently ignored (a typo like --epoch 3
            // would otherwise train with the default epoch count).
            config.Settings.StrictParsing = true;
            config.Settings.Registrar.RegisterInstance<IAnsiConsole>(console);
            config.Settings.Registrar.RegisterInstance(new Invocation(args));
            config.AddCommand<CompareCommand>("compare")
                .WithDescription("Default. BN-MLP vs FastTree, LightGbm and SDCA on the shipped datasets: table, report, plots.")
                .WithExample("compare", "--epochs", "20")
                .WithExample("compare", "--quick", "--out", "output/quick");
            config.AddCommand<TrainCommand>("train")
                .WithDescription("Train a BN-MLP on any CSV and save the pipeline (model.zip + model.zip.json).")
                .WithExample("train", "--data", "train.csv", "--label", "y", "--task", "binary", "--out", "model.zip");
            config.AddCommand<EvaluateCommand>("evaluate")
                .WithDescription("Evaluate a saved model on a labelled CSV.")
                .WithExample("evaluate", "--model", "model.zip", "--data", "test.csv");
            config.AddCommand<PredictCommand>("predict")
                .WithDescription("Score a CSV with a saved model; writes the input columns plus the predictions.")
                .WithExample("predict", "--model", "model.zip", "--data", "new.csv", "--out", "predictions.csv");
            config.AddCommand<BnMlNet.Samples.Experiments.ExperimentsCommand>("experiments")
                .WithDescription("The seed's claims about batch normalization, measured on Fashion-MNIST (1-6) and on the development suite (7-11): tables, plots, experiments.md.")
                .WithExample("experiments", "--quick", "--out", "output/experiments");
            config.AddCommand<ExportOnnxCommand>("export-onnx")
                .WithDescription("Export a saved model to ONNX and check it with ONNX Runtime against the ML.NET model.")
                .WithExample("export-onnx", "--model", "model.zip", "--data", "test.csv", "--out", "model.onnx");
            config.AddBranch("bench", BnMlNet.Samples.Bench.BenchCommands.Configure);
            config.SetExceptionHandler((exception, _) =>
            {
                string message = exception is CommandParseException parse
                    ? CommandLineErrors.Describe(parse, args, Commands)
                    : exception.Message;
                console.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
                return exception is CommandParseException or CommandRuntimeException ? ExitCodes.BadInput : ExitCodes.Failure;
            });
        });
        return app.Run(args);
    }
}
