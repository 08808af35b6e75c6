using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Samples.Datasets;

/// <summary>Featurization and splitting helpers shared by the tabular dataset loaders.</summary>
public static class TabularFeaturization
{
    /// <summary>Name of the feature vector column every pipeline here produces.</summary>
    public const string FeaturesColumn = "Features";

    /// <summary>Name of the label column every loader here produces.</summary>
    public const string LabelColumn = "Label";

    /// <summary>
    /// Builds the standard pipeline: missing floats replaced by the column mean (when
    /// <paramref name="replaceMissing"/>), one-hot encoding of each text column (in place), then
    /// <c>Concatenate</c> of numeric and encoded columns into <see cref="FeaturesColumn"/>,
    /// optionally followed by mean/variance normalisation of <see cref="FeaturesColumn"/>.
    /// </summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="numericColumns">Float columns, used as they are.</param>
    /// <param name="categoricalColumns">Text columns, one-hot encoded.</param>
    /// <param name="normalize">Append <c>NormalizeMeanVariance</c> on <see cref="FeaturesColumn"/>.</param>
    /// <param name="replaceMissing">Replace NaN in the numeric columns by the column mean first.</param>
    public static IEstimator<ITransformer> Build(
        MLContext mlContext,
        IReadOnlyList<string> numericColumns,
        IReadOnlyList<string> categoricalColumns,
        bool normalize = false,
        bool replaceMissing = false)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        IEstimator<ITransformer> pipeline = new EstimatorChain<ITransformer>();
        if (replaceMissing && numericColumns.Count > 0)
        {
            var pairs = numericColumns.Select(c => new InputOutputColumnPair(c, c)).ToArray();
            pipeline = pipeline.Append(mlContext.Transforms.ReplaceMissingValues(pairs, Microsoft.ML.Transforms.MissingValueReplacingEstimator.ReplacementMode.Mean));
        }
        if (categoricalColumns.Count > 0)
        {
            var pairs = categoricalColumns.Select(c => new InputOutputColumnPair(c, c)).ToArray();
            pipeline = pipeline.Append(mlContext.Transforms.Categorical.OneHotEncoding(pairs));
        }
        pipeline = pipeline.Append(mlContext.Transforms.Concatenate(
            FeaturesColumn, numericColumns.Concat(categoricalColumns).ToArray()));
        if (normalize)
            pipeline = pipeline.Append(mlContext.Transforms.NormalizeMeanVariance(FeaturesColumn));
        return pipeline;
    }

    /// <summary>
    /// Deterministic train/test split (<c>mlContext.Data.TrainTestSplit</c> with a fixed seed).
    /// </summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="data">Rows to split.</param>
    /// <param name="testFraction">Fraction of rows that go to the test set.</param>
    /// <param name="seed">Seed of the split; the same seed gives the same split.</param>
    public static DataOperationsCatalog.TrainTestData Split(
        MLContext mlContext, IDataView data, double testFraction = 0.2, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(data);
        return mlContext.Data.TrainTestSplit(data, testFraction, seed: seed);
    }

    /// <summary>Throws <see cref="FileNotFoundException"/> naming the dataset when <paramref name="path"/> is null or missing.</summary>
    internal static string RequireFile(string? path, string what) => DatasetRequirement.Require(path, what);
}
