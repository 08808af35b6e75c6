using System.Diagnostics;
using System.Globalization;
using BnMlNet.Samples.Cli;
using BnMlNet.Samples.Commands;
using BnMlNet.Samples.Csv;
using Spectre.Console;

namespace BnMlNet.Samples.Experiments;

/// <summary>
/// <c>experiments</c>: the seed's six claims about batch normalization, each measured on Fashion-MNIST with the engine's research API over several seeds, and six tabular experiments on the development suite (7-12);
/// tables on the console, and <c>experiments.md</c> with PNG plots in the output folder.
/// </summary>
public sealed class ExperimentsCommand(IAnsiConsole console, Invocation invocation) : AppCommand<ExperimentsSettings>(console)
{
    /// <summary>Every experiment, by number.</summary>
    public static readonly IReadOnlyDictionary<int, Func<ExperimentContext, ExperimentSection>> All = new Dictionary<int, Func<ExperimentContext, ExperimentSection>>
    {
        [1] = HyperparameterExperiment.Run,
        [2] = DepthExperiment.Run,
        [3] = SaturationExperiment.Run,
        [4] = RegularizationExperiment.Run,
        [5] = TestTimeExperiment.Run,
        [6] = DroppedBiasExperiment.Run,
        [7] = TabularBnExperiment.Run,
        [8] = RunningStatisticsExperiment.Run,
        [9] = TabularLearningRateExperiment.Run,
        [10] = TabularBnAblationExperiment.Run,
        [11] = TabularDropoutExperiment.Run,
        [12] = TabularBnVariantsExperiment.Run,
    };

    /// <summary>The PNGs each experiment writes.</summary>
    public static readonly IReadOnlyDictionary<int, string[]> PlotFiles = new Dictionary<int, string[]>
    {
        [1] = [HyperparameterExperiment.PlotFile],
        [2] = [DepthExperiment.PlotFile],
        [3] = [SaturationExperiment.AccuracyPlot, SaturationExperiment.PercentilePlot, SaturationExperiment.SharePlot],
        [4] = [RegularizationExperiment.PlotFile, RegularizationExperiment.TrajectoryPlot],
        [5] = [TestTimeExperiment.PlotFile],
        [6] = [DroppedBiasExperiment.PlotFile],
        [7] = [TabularBnExperiment.PlotFile],
        [8] = [RunningStatisticsExperiment.PlotFile],
        [9] = [TabularLearningRateExperiment.PlotFile],
        [10] = [TabularBnAblationExperiment.PlotFile],
        [11] = [TabularDropoutExperiment.PlotFile],
        [12] = [TabularBnVariantsExperiment.PlotFile],
    };

    /// <inheritdoc />
    protected override int Run(ExperimentsSettings settings, CancellationToken cancellationToken)
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;   // numbers in the report and tables read the same everywhere
        try
        {
            return RunInvariant(settings, cancellationToken);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    private int RunInvariant(ExperimentsSettings settings, CancellationToken cancellationToken)
    {
        var options = ToOptions(settings, invocation.CommandLine);
        string folder = Path.GetFullPath(settings.Out ?? Path.Combine("output", "experiments-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
        foreach (var file in options.Experiments.SelectMany(e => PlotFiles[e]).Append(ExperimentReport.FileName))
            SafeFileWriter.EnsureWritable(Path.Combine(folder, file), settings.Force);
        Directory.CreateDirectory(folder);

        var started = DateTime.UtcNow;
        var watch = Stopwatch.StartNew();
        var data = ExperimentData.Load(options.Dataset, options.Scale.TrainRows, options.Seed);
        Console.WriteLine($"{data.Description}; {options.Threads} parallel run(s); {(options.Quick ? "quick" : "thorough")} mode; seeds {string.Join(", ", options.SeedList)}");
        var gate = new Lock();
        void Progress(string line) { lock (gate) Console.WriteLine(Format.Inv($"  [{watch.Elapsed.TotalSeconds,5:F0} s] {line}")); }

        string report = Path.Combine(folder, ExperimentReport.FileName);
        var sections = new List<SeededSection>();
        foreach (int number in options.Experiments)
        {
            var perSeed = new List<ExperimentSection>();
            var plots = new List<PlotRecorder>();
            foreach (int seed in options.SeedList)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Console.WriteLine($"Experiment {number}, seed {seed} …");
                var context = new ExperimentContext(data, options with { Seed = seed }, folder, settings.Force, Progress);
                using var recorder = new PlotRecorder();
                perSeed.Add(All[number](context));
                plots.Add(recorder);
            }
            foreach (string file in perSeed[0].Plots)
                BandPlots.Save(plots.Where(p => p.Plots.ContainsKey(file)).Select(p => p.Plots[file]).ToList(), folder, file, settings.Force);
            var seeded = SeededSection.Combine(perSeed, options.SeedList);
            sections.Add(seeded);
            var section = seeded.Combined;
            Console.WriteLine();
            Console.Write(new Rule(Markup.Escape($"{section.Number}. {section.Title}")).LeftJustified());
            foreach (var table in section.Tables) Console.Write(table.ToSpectre());
            Console.WriteLine("Verdict: " + section.Verdict.Replace("**", "", StringComparison.Ordinal));
            Console.WriteLine();
            // The report is rewritten after every experiment (in number order), so that a long run stopped part-way keeps what finished.
            SafeFileWriter.WriteText(report, ExperimentReport.Build(options, data, sections.OrderBy(x => x.Combined.Number).ToList(), started, watch.Elapsed.TotalSeconds),
                settings.Force || sections.Count > 1);
        }
        Console.WriteLine(Format.Inv($"Report: {report} ({watch.Elapsed.TotalSeconds:F0} s)"));
        return ExitCodes.Success;
    }

    /// <summary>Validates the settings.</summary>
    /// <exception cref="UserInputException">An option is out of range.</exception>
    public static ExperimentOptions ToOptions(ExperimentsSettings settings, string commandLine)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Threads is < 1) throw new UserInputException("--threads must be at least 1.");
        var dataset = settings.Dataset.Trim().ToLowerInvariant() switch
        {
            "auto" => ExperimentDatasetChoice.Auto,
            "full" => ExperimentDatasetChoice.Full,
            "subset" => ExperimentDatasetChoice.Subset,
            _ => throw new UserInputException($"--dataset must be auto, full or subset; got '{settings.Dataset}'."),
        };
        var experiments = All.Keys.Order().ToList();
        if (settings.Only is { } only)
        {
            experiments = [];
            foreach (var part in only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || !All.ContainsKey(n))
                    throw new UserInputException($"--only takes experiment numbers 1-{All.Count}, comma-separated; got '{only}'.");
                experiments.Add(n);
            }
            if (experiments.Count == 0) throw new UserInputException("--only names no experiment.");
            experiments = experiments.Distinct().ToList();   // run in the order given (cheap ones first, say); the report lists them by number
        }
        if (settings.Seeds is < 1 or > 100) throw new UserInputException($"--seeds must be between 1 and 100; got {settings.Seeds}.");
        return new ExperimentOptions(settings.Quick, settings.Seed, settings.Threads ?? Environment.ProcessorCount, dataset, experiments, commandLine, settings.Seeds);
    }
}
