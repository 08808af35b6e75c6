using System.Diagnostics;
using BnMlNet.Engine;
using BnMlNet.Samples.Cli;
using BnMlNet.Samples.Csv;
using Microsoft.ML;

namespace BnMlNet.Samples.Compare;

/// <summary>A built-in ML.NET trainer to compare against, with the featurization it wants.</summary>
/// <param name="Name">Name in the table.</param>
/// <param name="Normalize">Append mean/variance normalization (linear trainers).</param>
/// <param name="Build">The trainer estimator.</param>
public sealed record Baseline(string Name, bool Normalize, Func<MLContext, IEstimator<ITransformer>> Build);

/// <summary>The train and test parts of a task's dataset.</summary>
/// <param name="Train">Training rows.</param>
/// <param name="Test">Test rows.</param>
/// <param name="Description">The dataset, for the report.</param>
public sealed record DataSplit(IDataView Train, IDataView Test, string Description);

/// <summary>Runs one task of the compare job: the BN-MLP and the baselines on the same split.</summary>
/// <typeparam name="TRow">The dataset's row class (input of the PredictionEngine).</typeparam>
/// <typeparam name="TOut">The prediction class (output of the PredictionEngine).</typeparam>
public abstract class CompareTask<TRow, TOut> : ICompareTask where TRow : class, new() where TOut : class, new()
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>Loads and splits the data.</summary>
    protected abstract DataSplit Load(MLContext ml, CompareRunOptions options);

    /// <summary>The featurization (raw columns → <c>Features</c>).</summary>
    protected abstract IEstimator<ITransformer> Featurize(MLContext ml, bool normalize);

    /// <summary>The built-in trainers.</summary>
    protected abstract IReadOnlyList<Baseline> Baselines(CompareRunOptions options);

    /// <summary>Fits the BN-MLP with a validation set and returns it with its history.</summary>
    protected abstract (ITransformer Predictor, IReadOnlyList<EpochReport> History) FitBnMlp(
        MLContext ml, IDataView train, IDataView validation, CompareRunOptions options);

    /// <summary>The task's main metrics on scored test data.</summary>
    protected abstract IReadOnlyList<Metric> Evaluate(MLContext ml, IDataView scored);

    /// <summary>Collects what the plot needs from one trainer's scored test set (called for every trainer, BN-MLP first).</summary>
    protected abstract void Collect(MLContext ml, string trainer, IDataView scored);

    /// <summary>The plot data collected.</summary>
    protected abstract TaskPlotData PlotData();

    /// <summary>The BN-MLP's trainer options with the run's shared settings filled in.</summary>
    protected static T BnMlpOptions<T>(T options, CompareRunOptions run) where T : BatchNormMlpOptionsBase
    {
        options.NumberOfEpochs = run.Epochs;
        options.Seed = run.Seed;
        options.NumberOfThreads = run.Threads;
        // The validation part drives early stopping; the best epoch's model is kept.
        options.EarlyStoppingPatience = 5;
        return options;
    }

    /// <inheritdoc />
    public TaskResult Run(MLContext ml, CompareRunOptions options, IProgressSink progress, string modelPath, bool force)
    {
        var split = Load(ml, options);
        int trainRows = Count(split.Train), testRows = Count(split.Test);
        var timingRows = ml.Data.CreateEnumerable<TRow>(split.Test, reuseRowObject: false).Take(options.ScoringCalls).ToList();
        var results = new List<TrainerResult>();

        // BN-MLP: a validation part is split off the training data for the learning curves.
        var watch = Stopwatch.StartNew();
        var parts = ml.Data.TrainTestSplit(split.Train, options.ValidationFraction, seed: options.Seed);
        var featurizer = Featurize(ml, normalize: false).Fit(parts.TrainSet);
        IReadOnlyList<EpochReport> history;
        ITransformer predictor;
        using (EpochLog.Forward(ml, progress, $"{Name} BN-MLP "))
            (predictor, history) = FitBnMlp(ml, featurizer.Transform(parts.TrainSet), featurizer.Transform(parts.TestSet), options);
        ITransformer bnMlp = featurizer.Append(predictor);
        results.Add(Measure(ml, "BN-MLP", bnMlp, watch.Elapsed.TotalSeconds, split.Test, timingRows, options, progress));

        foreach (var baseline in Baselines(options))
        {
            watch.Restart();
            var model = Featurize(ml, baseline.Normalize).Append(baseline.Build(ml)).Fit(split.Train);
            results.Add(Measure(ml, baseline.Name, model, watch.Elapsed.TotalSeconds, split.Test, timingRows, options, progress));
        }

        var roundTrip = RoundTrip.Check(Name, ml, bnMlp, split.Train.Schema, split.Test, modelPath, force);
        progress.Step($"{Name,-10} save/load round trip: {roundTrip.Predictions:N0} predictions, {roundTrip.Mismatches} differ");
        return new TaskResult(Name, split.Description, trainRows, testRows, results, history, roundTrip, PlotData());
    }

    private TrainerResult Measure(MLContext ml, string trainer, ITransformer model, double seconds, IDataView test,
        IReadOnlyList<TRow> timingRows, CompareRunOptions options, IProgressSink progress)
    {
        var scored = model.Transform(test);
        var metrics = Evaluate(ml, scored);
        Collect(ml, trainer, scored);
        double micros = ScoringTimer.MedianMicros<TRow, TOut>(ml, model, timingRows, options.ScoringCalls, options.WarmupCalls);
        progress.Step($"{Name,-10} {trainer,-22} {seconds,7:F2} s  " + string.Join("  ", metrics.Select(m => $"{m.Name} {m.Value:F4}")));
        return new TrainerResult(Name, trainer, metrics, seconds, micros);
    }

    private static int Count(IDataView data)
    {
        if (data.GetRowCount() is long n) return (int)n;
        int count = 0;
        using var cursor = data.GetRowCursor([]);
        while (cursor.MoveNext()) count++;
        return count;
    }
}

/// <summary>A task of the compare job, independent of its row types.</summary>
public interface ICompareTask
{
    /// <summary>binary, multiclass or regression.</summary>
    string Name { get; }

    /// <summary>Trains, evaluates, times and round-trips every trainer of the task.</summary>
    TaskResult Run(MLContext ml, CompareRunOptions options, IProgressSink progress, string modelPath, bool force);
}
