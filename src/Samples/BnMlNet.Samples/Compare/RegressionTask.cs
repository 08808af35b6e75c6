using BnMlNet.Engine;
using BnMlNet.Samples.Csv;
using BnMlNet.Samples.Datasets;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace BnMlNet.Samples.Compare;

/// <summary>PredictionEngine output of a regressor.</summary>
public sealed class RegressionPrediction
{
    /// <summary>The predicted value.</summary>
    public float Score { get; set; }
}

/// <summary>Regression task: doctor visits in the RAND Health Insurance Experiment (data/randhie-mdvis.csv).</summary>
public sealed class RegressionTask : CompareTask<RandHieRow, RegressionPrediction>
{
    /// <summary>At most this many points go into the scatter plot.</summary>
    public const int MaxScatterPoints = 2000;

    private ScatterPlotData? _scatter;

    /// <inheritdoc />
    public override string Name => "regression";

    /// <inheritdoc />
    protected override DataSplit Load(MLContext ml, CompareRunOptions options)
    {
        var split = TabularFeaturization.Split(ml, RandHie.Load(ml), CompareRunOptions.TestFraction, options.Seed);
        return new DataSplit(split.TrainSet, split.TestSet,
            $"data/{RandHie.FileName} (RAND HIE doctor visits, {RandHie.RowCount:N0} rows, 9 numeric features)");
    }

    /// <inheritdoc />
    protected override IEstimator<ITransformer> Featurize(MLContext ml, bool normalize) => RandHie.Featurize(ml, normalize);

    /// <inheritdoc />
    protected override IReadOnlyList<Baseline> Baselines(CompareRunOptions o) =>
    [
        new("FastTree", false, ml => ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
            { NumberOfTrees = o.Quick ? 20 : 100, NumberOfThreads = o.Threads })),
        new("LightGbm", false, ml => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            { NumberOfIterations = o.Quick ? 20 : 100, NumberOfThreads = o.Threads, Seed = o.Seed })),
        new("Sdca", true, ml => ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            { NumberOfThreads = o.Threads, MaximumNumberOfIterations = o.Quick ? 10 : null })),
    ];

    /// <inheritdoc />
    protected override (ITransformer, IReadOnlyList<EpochReport>) FitBnMlp(MLContext ml, IDataView train, IDataView validation, CompareRunOptions o)
    {
        var model = ml.Regression.Trainers.BatchNormMlp(BnMlpOptions(new BatchNormMlpRegressionTrainer.Options
            { HiddenLayerSizes = [64, 32], BatchSize = 256 }, o)).Fit(train, validation);
        return (model, model.Model.TrainingHistory);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<Metric> Evaluate(MLContext ml, IDataView scored)
    {
        var m = ml.Regression.Evaluate(scored);
        return [new("R²", m.RSquared), new("RMSE", m.RootMeanSquaredError), new("MAE", m.MeanAbsoluteError)];
    }

    /// <inheritdoc />
    protected override void Collect(MLContext ml, string trainer, IDataView scored)
    {
        if (_scatter is not null) return; // BN-MLP comes first.
        _scatter = new ScatterPlotData(
            scored.GetColumn<float>("Label").Take(MaxScatterPoints).ToArray(),
            scored.GetColumn<float>("Score").Take(MaxScatterPoints).ToArray());
    }

    /// <inheritdoc />
    protected override TaskPlotData PlotData() => _scatter ?? new ScatterPlotData([], []);
}
