using BnMlNet.Samples.Csv;
using BnMlNet.Samples.Datasets;
using Microsoft.ML;

namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>One dataset of <c>bench tabular</c>: its task, where it comes from, and how to load its fixed split.</summary>
/// <param name="Name">Name on the command line (<c>--datasets</c>) and in the report.</param>
/// <param name="Group">The development suite or the other real datasets (<see cref="TabularDatasets"/>).</param>
/// <param name="Task">Binary, multiclass or regression.</param>
/// <param name="Source">Where the rows come from, for the report.</param>
/// <param name="NumericColumns">Float feature columns (missing values imputed with the training mean).</param>
/// <param name="CategoricalColumns">Text feature columns (one-hot encoded).</param>
/// <param name="Load">Loads the raw train and test rows (Label + the feature columns).</param>
/// <param name="FeaturesReady">True when the data already has a <c>Features</c> vector and a key <c>Label</c> (images).</param>
public sealed record TabularDataset(
    string Name,
    string Group,
    MlTask Task,
    string Source,
    IReadOnlyList<string> NumericColumns,
    IReadOnlyList<string> CategoricalColumns,
    Func<MLContext, (IDataView Train, IDataView Test)> Load,
    bool FeaturesReady = false)
{
    /// <summary>The metric the bench ranks by: AUC (binary), micro-accuracy (multiclass), R² (regression).</summary>
    public string MetricName => MetricOf(Task);

    /// <summary>The metric name of <paramref name="task"/>.</summary>
    public static string MetricOf(MlTask task) => task switch
    {
        MlTask.Binary => "AUC",
        MlTask.Multiclass => "accuracy",
        _ => "R²",
    };

    /// <summary>
    /// The featurization every trainer gets, fitted on the training rows: missing floats replaced by the training
    /// mean, text columns one-hot encoded by ML.NET's <c>OneHotEncoding</c> (so <c>Concatenate</c> carries its
    /// <c>CategoricalSlotRanges</c> annotation into <c>Features</c>), a multiclass text label mapped to a key.
    /// </summary>
    public IEstimator<ITransformer> Featurizer(MLContext ml)
    {
        IEstimator<ITransformer> chain = new Microsoft.ML.Data.EstimatorChain<ITransformer>();
        if (Task == MlTask.Multiclass && !FeaturesReady)
            chain = chain.Append(ml.Transforms.Conversion.MapValueToKey(TabularFeaturization.LabelColumn));
        if (!FeaturesReady)
            chain = chain.Append(TabularFeaturization.Build(ml, NumericColumns, CategoricalColumns, normalize: false, replaceMissing: true));
        return chain.Append(ml.Transforms.SelectColumns(TabularFeaturization.LabelColumn, TabularFeaturization.FeaturesColumn));
    }
}
