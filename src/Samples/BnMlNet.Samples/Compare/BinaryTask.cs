using BnMlNet.Engine;
using BnMlNet.Samples.Csv;
using BnMlNet.Samples.Datasets;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace BnMlNet.Samples.Compare;

/// <summary>PredictionEngine output of a binary classifier.</summary>
public sealed class BinaryPrediction
{
    /// <summary>The predicted class.</summary>
    public bool PredictedLabel { get; set; }
    /// <summary>The raw score.</summary>
    public float Score { get; set; }
    /// <summary>The probability of the positive class.</summary>
    public float Probability { get; set; }
}

/// <summary>Binary task: the 1996 US presidential vote (data/anes96-vote.csv, 944 rows).</summary>
public sealed class BinaryTask : CompareTask<Anes96Row, BinaryPrediction>
{
    private readonly List<(string, bool[], float[])> _curves = [];

    /// <inheritdoc />
    public override string Name => "binary";

    /// <inheritdoc />
    protected override DataSplit Load(MLContext ml, CompareRunOptions options)
    {
        var split = TabularFeaturization.Split(ml, Anes96.Load(ml), CompareRunOptions.TestFraction, options.Seed);
        return new DataSplit(split.TrainSet, split.TestSet, $"data/{Anes96.FileName} (ANES 1996 vote, {Anes96.RowCount} rows, 9 numeric features)");
    }

    /// <inheritdoc />
    protected override IEstimator<ITransformer> Featurize(MLContext ml, bool normalize) => Anes96.Featurize(ml, normalize);

    /// <inheritdoc />
    protected override IReadOnlyList<Baseline> Baselines(CompareRunOptions o) =>
    [
        new("FastTree", false, ml => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            { NumberOfTrees = o.Quick ? 20 : 100, NumberOfThreads = o.Threads })),
        new("LightGbm", false, ml => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            { NumberOfIterations = o.Quick ? 20 : 100, NumberOfThreads = o.Threads, Seed = o.Seed })),
        new("SdcaLogisticRegression", true, ml => ml.BinaryClassification.Trainers.SdcaLogisticRegression(
            new SdcaLogisticRegressionBinaryTrainer.Options
            { NumberOfThreads = o.Threads, MaximumNumberOfIterations = o.Quick ? 10 : null })),
    ];

    /// <inheritdoc />
    protected override (ITransformer, IReadOnlyList<EpochReport>) FitBnMlp(MLContext ml, IDataView train, IDataView validation, CompareRunOptions o)
    {
        var model = ml.BinaryClassification.Trainers.BatchNormMlp(BnMlpOptions(new BatchNormMlpBinaryTrainer.Options
            { HiddenLayerSizes = [64, 32], BatchSize = 64 }, o)).Fit(train, validation);
        return (model, model.Model.TrainingHistory);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<Metric> Evaluate(MLContext ml, IDataView scored)
    {
        var m = ml.BinaryClassification.Evaluate(scored);
        return [new("AUC", m.AreaUnderRocCurve), new("accuracy", m.Accuracy), new("F1", m.F1Score)];
    }

    /// <inheritdoc />
    protected override void Collect(MLContext ml, string trainer, IDataView scored) =>
        _curves.Add((trainer, scored.GetColumn<bool>("Label").ToArray(), scored.GetColumn<float>("Score").ToArray()));

    /// <inheritdoc />
    protected override TaskPlotData PlotData() => new RocPlotData(_curves);
}
