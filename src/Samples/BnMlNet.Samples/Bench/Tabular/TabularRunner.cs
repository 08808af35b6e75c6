using System.Diagnostics;
using BnMlNet.Samples.Cli;
using BnMlNet.Samples.Csv;
using BnMlNet.Samples.Datasets;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>What one run of the bench is set to.</summary>
/// <param name="Seed">Seed of every trainer (each fit gets a fresh <c>new MLContext(Seed)</c>).</param>
/// <param name="Threads">Threads for every trainer that takes a count; null leaves each trainer's own default.</param>
/// <param name="Quick">Cap the rows at <see cref="TabularRunner.QuickTrainRows"/> / <see cref="TabularRunner.QuickTestRows"/>.</param>
/// <param name="Ablations">The BN-MLP ablations to run (empty: none).</param>
public sealed record TabularRunOptions(int Seed, int? Threads, bool Quick, IReadOnlyList<Ablation> Ablations);

/// <summary>
/// Runs one dataset: featurizes it once (fitted on the training rows, cached in memory), warms up each trainer with
/// a fit on the first <see cref="WarmupRows"/> rows, then times one fit of each trainer on the whole training set and
/// evaluates it on the test set with ML.NET's own evaluator.
/// </summary>
public static class TabularRunner
{
    /// <summary>Training rows kept in quick mode (the first ones).</summary>
    public const int QuickTrainRows = 1000;

    /// <summary>Test rows kept in quick mode (the first ones).</summary>
    public const int QuickTestRows = 1000;

    /// <summary>The annotation OneHotEncoding writes and Concatenate carries (AnnotationUtils.Kinds.CategoricalSlotRanges, internal in ML.NET).</summary>
    public const string CategoricalSlotRanges = "CategoricalSlotRanges";

    /// <summary>Rows of the untimed warm-up fit of each trainer.</summary>
    public const int WarmupRows = 500;

    /// <summary>Loads the dataset's split, capped in quick mode, and featurized (train and test cached in memory).</summary>
    public static (IDataView Train, IDataView Test) Prepare(MLContext ml, TabularDataset dataset, bool quick)
    {
        var (train, test) = dataset.Load(ml);
        if (quick)
        {
            train = ml.Data.TakeRows(train, QuickTrainRows);
            test = ml.Data.TakeRows(test, QuickTestRows);
        }
        var featurizer = dataset.Featurizer(ml).Fit(train);
        var featuredTrain = ml.Data.Cache(featurizer.Transform(train));
        var featuredTest = ml.Data.Cache(featurizer.Transform(test));
        Fill(featuredTrain);
        Fill(featuredTest);
        return (featuredTrain, featuredTest);
    }

    /// <summary>Measures every trainer (and every applicable ablation) on <paramref name="dataset"/>.</summary>
    public static DatasetResult Run(TabularDataset dataset, TabularRunOptions options, IProgressSink progress)
    {
        var ml = new MLContext(options.Seed);
        var (train, test) = Prepare(ml, dataset, options.Quick);
        int trainRows = Count(train), testRows = Count(test);
        var features = train.Schema[TabularFeaturization.FeaturesColumn];
        progress.Step($"{dataset.Name}: {dataset.Task.ToString().ToLowerInvariant()}, {trainRows:N0} train / {testRows:N0} test rows, " +
            $"{FeatureCount(features)} features, one-hot blocks of {CategoricalLevelsText(features)} levels");
        var warmup = ml.Data.TakeRows(train, WarmupRows);

        var scores = new List<TrainerScore>();
        foreach (var trainer in TabularTrainers.For(dataset.Task, options.Seed, options.Threads))
        {
            trainer.Build(new MLContext(options.Seed)).Fit(warmup);
            scores.Add(Measure(dataset, trainer, train, test, options.Seed, progress));
        }
        var ablated = new List<TrainerScore>();
        foreach (var ablation in options.Ablations.Where(a => a.AppliesTo(dataset.Task)))
        {
            var trainer = TabularTrainers.BnMlpTrainer(dataset.Task, options.Seed, options.Threads, ablation.Edit, ablation.Name);
            ablated.Add(Measure(dataset, trainer, train, test, options.Seed, progress));
        }
        return new DatasetResult(dataset.Name, dataset.Group, dataset.Task, trainRows, testRows, FeatureCount(features),
            CategoricalBlocks(features), scores, ablated, dataset.Source);
    }

    /// <summary>The test metric of a trained model, from ML.NET's evaluator: AUC, micro-accuracy or R².</summary>
    public static double Evaluate(MLContext ml, MlTask task, IDataView scored) => task switch
    {
        MlTask.Binary => scored.Schema.GetColumnOrNull("Probability") is null
            ? ml.BinaryClassification.EvaluateNonCalibrated(scored).AreaUnderRocCurve
            : ml.BinaryClassification.Evaluate(scored).AreaUnderRocCurve,
        MlTask.Multiclass => ml.MulticlassClassification.Evaluate(scored).MicroAccuracy,
        _ => ml.Regression.Evaluate(scored).RSquared,
    };

    /// <summary>Number of one-hot blocks in the <c>CategoricalSlotRanges</c> annotation of <paramref name="features"/>.</summary>
    public static int CategoricalBlocks(DataViewSchema.Column features)
    {
        if (features.Annotations.Schema.GetColumnOrNull(CategoricalSlotRanges) is null) return 0;
        VBuffer<int> ranges = default;
        features.Annotations.GetValue(CategoricalSlotRanges, ref ranges);
        return ranges.Length / 2;
    }

    /// <summary>The level counts of the <c>CategoricalSlotRanges</c> blocks of <paramref name="features"/>, e.g. "2, 5, 41" (or "no").</summary>
    public static string CategoricalLevelsText(DataViewSchema.Column features)
    {
        if (features.Annotations.Schema.GetColumnOrNull(CategoricalSlotRanges) is null) return "no";
        VBuffer<int> ranges = default;
        features.Annotations.GetValue(CategoricalSlotRanges, ref ranges);
        var r = ranges.DenseValues().ToArray();
        return r.Length == 0 ? "no" : string.Join(", ", Enumerable.Range(0, r.Length / 2).Select(i => r[2 * i + 1] - r[2 * i] + 1));
    }

    private static TrainerScore Measure(TabularDataset dataset, BenchTrainer trainer, IDataView train, IDataView test, int seed, IProgressSink progress)
    {
        var ml = new MLContext(seed);
        var estimator = trainer.Build(ml);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var clock = Stopwatch.StartNew();
        var model = estimator.Fit(train);
        double seconds = clock.Elapsed.TotalSeconds;
        double metric = Evaluate(ml, dataset.Task, model.Transform(test));
        var score = TrainerScore.Rounded(trainer.Name, metric, seconds);
        progress.Step($"  {trainer.Name,-20} {dataset.MetricName} {score.Metric:F4}  {score.Seconds,7:F2} s{BnMlpEpochs.Describe(model)}");
        return score;
    }

    /// <summary>Reads every row once so the cache holds the whole featurized split before anything is timed.</summary>
    private static void Fill(IDataView data)
    {
        using var cursor = data.GetRowCursor(data.Schema);
        var features = data.Schema[TabularFeaturization.FeaturesColumn];
        var getter = cursor.GetGetter<VBuffer<float>>(features);
        VBuffer<float> v = default;
        while (cursor.MoveNext()) getter(ref v);
    }

    private static int FeatureCount(DataViewSchema.Column features) => features.Type is VectorDataViewType v ? v.Size : 1;

    private static int Count(IDataView data)
    {
        if (data.GetRowCount() is long n) return (int)n;
        int count = 0;
        using var cursor = data.GetRowCursor([]);
        while (cursor.MoveNext()) count++;
        return count;
    }
}
