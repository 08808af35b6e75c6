using BnMlNet.Engine;
using BnMlNet.Samples.Csv;
using BnMlNet.Samples.Datasets;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace BnMlNet.Samples.Compare;

/// <summary>PredictionEngine output of a multiclass classifier.</summary>
public sealed class MulticlassPrediction
{
    /// <summary>The predicted class as a key (1-based).</summary>
    public uint PredictedLabel { get; set; }
    /// <summary>The class probabilities.</summary>
    public float[] Score { get; set; } = [];
}

/// <summary>Multiclass task: the Fashion-MNIST subset shipped in data/ (6,000 train + 1,000 test images).</summary>
public sealed class MulticlassTask : CompareTask<FashionMnistImage, MulticlassPrediction>
{
    /// <summary>Training images per class in quick mode.</summary>
    public const int QuickPerClass = 100;

    private ConfusionPlotData? _confusion;

    /// <inheritdoc />
    public override string Name => "multiclass";

    /// <inheritdoc />
    protected override DataSplit Load(MLContext ml, CompareRunOptions options)
    {
        int? perClass = options.Quick ? QuickPerClass : null;
        var train = FashionMnist.Load(ml, FashionMnistSplit.Train, FashionMnistSource.Subset, perClass: perClass);
        var test = FashionMnist.Load(ml, FashionMnistSplit.Test, FashionMnistSource.Subset);
        return new DataSplit(train, test,
            $"data/{FashionMnist.SubsetDirectoryName} (Fashion-MNIST subset, {(options.Quick ? QuickPerClass * FashionMnist.ClassCount : FashionMnist.SubsetTrainCount):N0} train / " +
            $"{FashionMnist.SubsetTestCount:N0} test images, 784 pixels, 10 classes)");
    }

    /// <inheritdoc />
    protected override IEstimator<ITransformer> Featurize(MLContext ml, bool normalize) =>
        normalize ? ml.Transforms.NormalizeMinMax("Features") : new Microsoft.ML.Data.EstimatorChain<ITransformer>();

    /// <inheritdoc />
    protected override IReadOnlyList<Baseline> Baselines(CompareRunOptions o) =>
    [
        new("LightGbm", false, ml => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            { NumberOfIterations = o.Quick ? 5 : 50, MaximumBinCountPerFeature = o.Quick ? 16 : 255, NumberOfThreads = o.Threads, Seed = o.Seed })),
        new("FastTree (one-vs-all)", false, ml => ml.MulticlassClassification.Trainers.OneVersusAll(
            ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
                { NumberOfTrees = o.Quick ? 5 : 50, MaximumBinCountPerFeature = o.Quick ? 16 : 255, NumberOfThreads = o.Threads }))),
        new("SdcaMaximumEntropy", false, ml => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(
            new SdcaMaximumEntropyMulticlassTrainer.Options { MaximumNumberOfIterations = o.Quick ? 5 : 20, NumberOfThreads = o.Threads })),
    ];

    /// <inheritdoc />
    protected override (ITransformer, IReadOnlyList<EpochReport>) FitBnMlp(MLContext ml, IDataView train, IDataView validation, CompareRunOptions o)
    {
        var model = ml.MulticlassClassification.Trainers.BatchNormMlp(BnMlpOptions(new BatchNormMlpMulticlassTrainer.Options
            { HiddenLayerSizes = [256, 128] }, o)).Fit(train, validation);
        return (model, model.Model.TrainingHistory);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<Metric> Evaluate(MLContext ml, IDataView scored)
    {
        var m = ml.MulticlassClassification.Evaluate(scored);
        if (_confusion is null)
        {
            // BN-MLP comes first: its confusion matrix is the one plotted.
            var counts = m.ConfusionMatrix.Counts;
            var grid = new double[counts.Count, counts.Count];
            for (int i = 0; i < counts.Count; i++)
                for (int j = 0; j < counts[i].Count; j++) grid[i, j] = counts[i][j];
            _confusion = new ConfusionPlotData(FashionMnist.ClassNames, grid);
        }
        return [new("micro-accuracy", m.MicroAccuracy), new("macro-accuracy", m.MacroAccuracy), new("log-loss", m.LogLoss)];
    }

    /// <inheritdoc />
    protected override void Collect(MLContext ml, string trainer, IDataView scored) { }

    /// <inheritdoc />
    protected override TaskPlotData PlotData() => _confusion ?? new ConfusionPlotData(FashionMnist.ClassNames, new double[0, 0]);
}
