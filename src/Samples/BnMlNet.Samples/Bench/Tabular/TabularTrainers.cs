using BnMlNet.Samples.Csv;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>A trainer of the bench: its name and how to build it from a fresh <see cref="MLContext"/>.</summary>
/// <param name="Name">Column name in the report.</param>
/// <param name="Build">Builds the estimator (each timed or warm-up fit gets its own <c>new MLContext(seed)</c>).</param>
public sealed record BenchTrainer(string Name, Func<MLContext, IEstimator<ITransformer>> Build);

/// <summary>
/// The four trainers of <c>bench tabular</c>, each on its own defaults: only the seed and, when given, the thread
/// count are set. Multiclass FastTree is ML.NET's one-versus-all over the binary FastTree (it has no native one).
/// SDCA, the linear baseline, gets its features mean/variance normalized (see <see cref="SdcaTrainer"/>).
/// </summary>
public static class TabularTrainers
{
    /// <summary>The BN-MLP's column.</summary>
    public const string BnMlp = "BN-MLP";
    /// <summary>LightGbm's column.</summary>
    public const string LightGbm = "LightGbm";
    /// <summary>FastTree's column.</summary>
    public const string FastTree = "FastTree";
    /// <summary>The linear baseline's column.</summary>
    public const string Sdca = "SDCA";

    /// <summary>The trainers in report order: BN-MLP, LightGbm, FastTree, SDCA.</summary>
    public static IReadOnlyList<BenchTrainer> For(MlTask task, int seed, int? threads) =>
        [BnMlpTrainer(task, seed, threads, null), LightGbmTrainer(task, seed, threads), FastTreeTrainer(task, threads), SdcaTrainer(task, threads)];

    /// <summary>
    /// The BN-MLP on its defaults (seed and threads set), with <paramref name="edit"/> applied to its options when given
    /// (the ablations).
    /// </summary>
    public static BenchTrainer BnMlpTrainer(MlTask task, int seed, int? threads, Action<BatchNormMlpOptionsBase>? edit, string name = BnMlp)
    {
        T Options<T>(T o) where T : BatchNormMlpOptionsBase
        {
            o.Seed = seed;
            o.NumberOfThreads = threads;
            edit?.Invoke(o);
            return o;
        }
        return new BenchTrainer(name, task switch
        {
            MlTask.Binary => ml => ml.BinaryClassification.Trainers.BatchNormMlp(Options(new BatchNormMlpBinaryTrainer.Options())),
            MlTask.Multiclass => ml => ml.MulticlassClassification.Trainers.BatchNormMlp(Options(new BatchNormMlpMulticlassTrainer.Options())),
            _ => ml => ml.Regression.Trainers.BatchNormMlp(Options(new BatchNormMlpRegressionTrainer.Options())),
        });
    }

    private static BenchTrainer LightGbmTrainer(MlTask task, int seed, int? threads) => new(LightGbm, task switch
    {
        MlTask.Binary => ml => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options { Seed = seed, NumberOfThreads = threads }),
        MlTask.Multiclass => ml => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options { Seed = seed, NumberOfThreads = threads }),
        _ => ml => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options { Seed = seed, NumberOfThreads = threads }),
    });

    private static BenchTrainer FastTreeTrainer(MlTask task, int? threads) => new(FastTree, task switch
    {
        MlTask.Binary => ml => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options { NumberOfThreads = threads }),
        MlTask.Multiclass => ml => ml.MulticlassClassification.Trainers.OneVersusAll(
            ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options { NumberOfThreads = threads })),
        _ => ml => ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options { NumberOfThreads = threads }),
    });

    /// <summary>
    /// SDCA gets <c>NormalizeMeanVariance</c> first: a linear model trained by coordinate ascent needs features on one
    /// scale (ML.NET's guidance for its linear trainers, and what <c>compare</c> does); without it, SDCA on raw columns
    /// such as a population in the hundred thousands falls below chance and would make a meaningless baseline.
    /// </summary>
    private static BenchTrainer SdcaTrainer(MlTask task, int? threads) => new(Sdca, task switch
    {
        MlTask.Binary => ml => Normalize(ml).Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options { NumberOfThreads = threads })),
        MlTask.Multiclass => ml => Normalize(ml).Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options { NumberOfThreads = threads })),
        _ => ml => Normalize(ml).Append(ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options { NumberOfThreads = threads })),
    });

    private static Microsoft.ML.Transforms.NormalizingEstimator Normalize(MLContext ml) =>
        ml.Transforms.NormalizeMeanVariance(Datasets.TabularFeaturization.FeaturesColumn);
}
