using System.Diagnostics;
using System.Globalization;
using BnMlNet.Samples.Cli;
using BnMlNet.Samples.Datasets;
using Microsoft.ML;
using Microsoft.ML.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>
/// <c>bench threads</c>: the default recipe's training speed-up from 1 thread to <c>--threads</c> (issue 13, goal 4).
/// Per dataset: featurized once (as <c>bench tabular</c> does), one untimed warm-up fit at each thread count, then
/// <c>--rounds</c> interleaved timed fits (1 thread, then N threads, in turn); the speed-up is the median 1-thread
/// seconds over the median N-thread seconds. Each N-thread model's test scores are compared bit for bit with the
/// 1-thread model's. Prints <c>key=value</c> lines.
/// </summary>
public sealed class ThreadScalingCommand(IAnsiConsole console) : Command<ThreadScalingSettings>
{
    /// <inheritdoc />
    public override int Execute(CommandContext context, ThreadScalingSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            if (settings.Rounds < 1) throw new UserInputException($"--rounds must be at least 1; got {settings.Rounds}.");
            if (settings.Threads < 2) throw new UserInputException($"--threads must be at least 2 (it is compared with 1); got {settings.Threads}.");
            if (settings.Shared is { } shared && !Directory.Exists(shared)) throw new UserInputException($"--shared: no folder '{shared}'.");
            var discovery = TabularDatasets.Discover(settings.Shared);
            var (datasets, missing) = settings.Datasets is null
                ? (discovery.Available.Where(d => d.Group == TabularDatasets.DevSuiteGroup).ToList(), discovery.Missing)
                : TabularBenchCommand.Select(discovery, settings.Datasets);
            foreach (var m in missing) console.WriteLine($"{TabularBenchCommand.MissingPrefix} {m.Name}: {m.Message}");
            if (datasets.Count == 0) throw new UserInputException("bench threads: none of the datasets is available; nothing to run.");
            return Run(settings, datasets);
        }
        catch (Exception e) when (e is UserInputException or FileNotFoundException or InvalidDataException)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return ExitCodes.BadInput;
        }
    }

    private int Run(ThreadScalingSettings settings, IReadOnlyList<TabularDataset> datasets)
    {
        console.WriteLine($"load_average_start={LoadAverage.Describe(LoadAverage.Read())}");
        var speedups = new List<double>();
        bool allIdentical = true;
        foreach (var dataset in datasets)
        {
            var ml = new MLContext(settings.Seed);
            var (train, test) = TabularRunner.Prepare(ml, dataset, settings.Quick);
            var one = TabularTrainers.BnMlpTrainer(dataset.Task, settings.Seed, 1, null);
            var many = TabularTrainers.BnMlpTrainer(dataset.Task, settings.Seed, settings.Threads, null);
            float[] reference = Fit(one, train, test, settings.Seed).Scores;
            Fit(many, train, test, settings.Seed);
            var t1 = new List<double>();
            var tn = new List<double>();
            bool identical = true;
            for (int r = 0; r < settings.Rounds; r++)
            {
                t1.Add(Fit(one, train, test, settings.Seed).Seconds);
                var (seconds, scores) = Fit(many, train, test, settings.Seed);
                tn.Add(seconds);
                identical &= SameBits(reference, scores);
            }
            double speedup = Median(t1) / Median(tn);
            speedups.Add(speedup);
            allIdentical &= identical;
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"dataset={dataset.Name} seconds_1_thread={string.Join(",", t1.Select(s => s.ToString("F3", CultureInfo.InvariantCulture)))} " +
                $"seconds_{settings.Threads}_threads={string.Join(",", tn.Select(s => s.ToString("F3", CultureInfo.InvariantCulture)))} " +
                $"speedup={speedup:F3} bit_identical={identical.ToString().ToLowerInvariant()}"));
        }
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median_speedup={Median(speedups):F3} min_speedup={speedups.Min():F3} datasets={speedups.Count} all_bit_identical={allIdentical.ToString().ToLowerInvariant()}"));
        console.WriteLine($"load_average_end={LoadAverage.Describe(LoadAverage.Read())}");
        return allIdentical ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static (double Seconds, float[] Scores) Fit(BenchTrainer trainer, IDataView train, IDataView test, int seed)
    {
        var estimator = trainer.Build(new MLContext(seed));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var clock = Stopwatch.StartNew();
        var model = estimator.Fit(train);
        double seconds = clock.Elapsed.TotalSeconds;
        return (seconds, Scores(model.Transform(test)));
    }

    /// <summary>Every value of the Score column, row by row (a vector for multiclass).</summary>
    public static float[] Scores(IDataView scored)
    {
        ArgumentNullException.ThrowIfNull(scored);
        var column = scored.Schema["Score"];
        var values = new List<float>();
        using var cursor = scored.GetRowCursor([column]);
        if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> v = default;
            while (cursor.MoveNext()) { getter(ref v); values.AddRange(v.DenseValues()); }
        }
        else
        {
            var getter = cursor.GetGetter<float>(column);
            float s = 0;
            while (cursor.MoveNext()) { getter(ref s); values.Add(s); }
        }
        return values.ToArray();
    }

    private static bool SameBits(float[] a, float[] b) =>
        a.Length == b.Length && a.Select(BitConverter.SingleToInt32Bits).SequenceEqual(b.Select(BitConverter.SingleToInt32Bits));

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }
}
