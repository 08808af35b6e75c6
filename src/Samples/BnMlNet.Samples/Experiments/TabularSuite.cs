using System.Collections.Concurrent;
using BnMlNet.Samples.Bench.Tabular;
using BnMlNet.Samples.Csv;
using Microsoft.ML;

namespace BnMlNet.Samples.Experiments;

/// <summary>A BN-MLP recipe variant of the tabular experiments: its name and the edit applied to the default options.</summary>
/// <param name="Name">Column name in the tables.</param>
/// <param name="Edit">Changes to the default recipe (null: the defaults).</param>
public sealed record RecipeVariant(string Name, Action<BatchNormMlpOptionsBase>? Edit);

/// <summary>
/// The development suite for the experiments, through <c>bench tabular</c>'s loaders and featurization
/// (<see cref="TabularDatasets"/>, <see cref="TabularRunner.Prepare"/>): each dataset is featurized once per process and
/// mode, then every fit is the ML.NET trainer on its default recipe with one edit, scored by ML.NET's evaluator.
/// </summary>
public static class TabularSuite
{
    /// <summary>
    /// The default recipe ("with BN": input BN and, since round 12 of docs/tabular-recipe.md, BN before the activation of the
    /// last hidden layer only).
    /// </summary>
    public static readonly RecipeVariant WithBn = new("with BN", null);

    /// <summary>
    /// The default recipe with BN before the activation of every hidden layer (the seed article's network; the default before
    /// round 12), for the experiments whose claim is about that network.
    /// </summary>
    public static readonly RecipeVariant WithBnOnEveryLayer = new("with BN", o => o.BatchNormHiddenLayers = BatchNormHiddenLayers.Every);

    /// <summary>The default recipe without any BN (no input BN, no hidden BN).</summary>
    public static readonly RecipeVariant WithoutBn = new("without BN", o =>
    {
        o.InputBatchNorm = false;
        o.BatchNormPlacement = BatchNormPlacement.None;
    });

    private static readonly ConcurrentDictionary<(string Name, bool Quick), Lazy<(IDataView Train, IDataView Test, int TrainRows)>> Prepared = new();

    /// <summary>The development suite's datasets, or an empty list and the message saying what is missing.</summary>
    public static (IReadOnlyList<TabularDataset> Datasets, string Missing) DevelopmentSuite(bool withFashionMnistSubset = false)
    {
        var discovery = TabularDatasets.Discover();
        var found = discovery.Available.Where(d => d.Group == TabularDatasets.DevSuiteGroup).ToList();
        string missing = string.Join(" ", discovery.Missing.Where(m => m.Name == TabularDatasets.DevSuiteGroup).Select(m => m.Message));
        if (withFashionMnistSubset && found.Count > 0)
            found.AddRange(discovery.Available.Where(d => d.Name == "fashion_mnist_subset"));
        return (found, missing);
    }

    /// <summary>Featurized train and test rows (quick: <see cref="TabularRunner.QuickTrainRows"/> / <see cref="TabularRunner.QuickTestRows"/>), cached.</summary>
    public static (IDataView Train, IDataView Test, int TrainRows) Prepare(TabularDataset dataset, bool quick)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Prepared.GetOrAdd((dataset.Name, quick), _ => new Lazy<(IDataView, IDataView, int)>(() =>
        {
            var ml = new MLContext(TabularDatasets.SplitSeed);
            var (train, test) = TabularRunner.Prepare(ml, dataset, quick);
            return (train, test, (int)(train.GetRowCount() ?? -1));
        })).Value;
    }

    private static readonly ConcurrentDictionary<(string Name, bool Quick, RecipeVariant Variant, int Seed), Lazy<double>> Fits = new();

    /// <summary>
    /// Fits <paramref name="variant"/> with <paramref name="seed"/> (one thread) and returns the test metric, or NaN when training fails.
    /// A fit is deterministic (same seed and thread count, same model), so each (dataset, mode, variant instance, seed) is fitted once per
    /// process and shared by the experiments that use it (the defaults "with BN" and "without BN" appear in 7, 9, 10 and 11).
    /// </summary>
    public static double Fit(TabularDataset dataset, bool quick, RecipeVariant variant, int seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(variant);
        return Fits.GetOrAdd((dataset.Name, quick, variant, seed), _ => new Lazy<double>(() => FitOnce(dataset, quick, variant, seed))).Value;
    }

    private static double FitOnce(TabularDataset dataset, bool quick, RecipeVariant variant, int seed)
    {
        var (train, test, _) = Prepare(dataset, quick);
        var ml = new MLContext(seed);
        var trainer = TabularTrainers.BnMlpTrainer(dataset.Task, seed, threads: 1, variant.Edit, variant.Name);
        try
        {
            var model = trainer.Build(ml).Fit(train);
            return TabularRunner.Evaluate(ml, dataset.Task, model.Transform(test));
        }
        catch (Exception e) when (e is BnMlNet.Engine.TrainingDivergedException || e.InnerException is BnMlNet.Engine.TrainingDivergedException)
        {
            return double.NaN;   // diverged (non-finite loss or parameters); the table shows n/a
        }
    }

    /// <summary>Fits every dataset × variant on up to <paramref name="threads"/> threads; result[d][v].</summary>
    public static double[][] FitAll(IReadOnlyList<TabularDataset> datasets, IReadOnlyList<RecipeVariant> variants, bool quick, int seed, int threads, Action<string> progress)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(progress);
        foreach (var d in datasets) Prepare(d, quick);
        var grid = (from d in Enumerable.Range(0, datasets.Count) from v in Enumerable.Range(0, variants.Count) select (d, v)).ToList();
        var jobs = grid.Select(g => (Func<double>)(() =>
        {
            double m = Fit(datasets[g.d], quick, variants[g.v], seed);
            progress(Format.Inv($"{datasets[g.d].Name,-22} {variants[g.v].Name,-28} seed {seed}  {datasets[g.d].MetricName} {Format.Fixed(m, 4)}"));
            return m;
        })).ToList();
        var flat = ParallelRuns.Run(jobs, threads);
        return Enumerable.Range(0, datasets.Count).Select(d => Enumerable.Range(0, variants.Count).Select(v => flat[d * variants.Count + v]).ToArray()).ToArray();
    }
}
