using System.Diagnostics;
using BnMlNet.Samples.Cli;
using BnMlNet.Samples.Csv;
using Microsoft.ML;
using Spectre.Console;

namespace BnMlNet.Samples.Commands;

/// <summary><c>train</c>: trains a BN-MLP on any CSV and saves the whole pipeline plus its sidecar.</summary>
public sealed class TrainCommand(IAnsiConsole console) : AppCommand<TrainSettings>(console)
{
    /// <inheritdoc />
    protected override int Run(TrainSettings settings, CancellationToken cancellationToken)
    {
        var task = MlTaskParser.Parse(settings.Task);
        if (string.IsNullOrWhiteSpace(settings.Out)) throw new UserInputException("--out is required (the model zip to write).");
        if (settings.Epochs < 1) throw new UserInputException("--epochs must be at least 1.");
        if (!(settings.LearningRate > 0)) throw new UserInputException("--learning-rate must be positive.");
        if (settings.Validation is < 0 or >= 1) throw new UserInputException("--validation must be in [0, 1).");
        int[] hidden = HiddenSizes.Parse(settings.Hidden);
        string modelPath = settings.Out;
        string sidecarPath = ModelSidecar.PathFor(modelPath);
        // Fail before training, not after.
        SafeFileWriter.EnsureWritable(modelPath, settings.Force);
        SafeFileWriter.EnsureWritable(sidecarPath, settings.Force);

        var table = CsvSchemaSniffer.Read(settings.Data!);
        var trainSettings = new CsvTrainSettings(task, settings.Label!, settings.Epochs, hidden, settings.Validation, settings.Seed,
            settings.LearningRate)
        {
            Ignore = FeatureSelection.ParseList(settings.Ignore),
            Keep = FeatureSelection.ParseList(settings.Keep),
        };
        // The feature choice is printed before training starts (the same plan the trainer computes).
        var plan = FeatureSelection.Plan(table, LabelChecker.Check(table, settings.Label, task, training: true),
            trainSettings.Ignore, trainSettings.Keep);
        foreach (var ignored in plan.Ignored)
            Console.MarkupLine(ignored.Reason == "identifier"
                ? $"[yellow]warning:[/] {Markup.Escape(ignored.Message)}"
                : Markup.Escape(ignored.Message));
        foreach (var hashed in plan.Hashed)
            Console.WriteLine(hashed.Message);

        var ml = new MLContext(seed: settings.Seed);
        var watch = Stopwatch.StartNew();
        var trained = new ProgressDisplay(Console).Run($"Training a BN-MLP ({task}) on {table.Path}", progress =>
        {
            using var _ = EpochLog.Forward(ml, progress);
            return CsvModelTrainer.Train(ml, table, trainSettings, progress);
        });

        SafeFileWriter.Write(modelPath, settings.Force, temp => ml.Model.Save(trained.Model, trained.InputSchema, temp));
        SafeFileWriter.WriteText(sidecarPath, trained.Sidecar.ToJson(), settings.Force);

        var last = trained.History.LastOrDefault();
        Console.WriteLine($"Trained in {watch.Elapsed.TotalSeconds:F1} s: {trained.History.Count} epochs, " +
            $"final train loss {last?.TrainLoss:G4}" +
            (last?.ValidationMetric is double v ? $", validation {last.MetricName} {v:G4}" : ""));
        Console.WriteLine($"Model saved: {modelPath} (sidecar {sidecarPath})");
        return ExitCodes.Success;
    }
}
