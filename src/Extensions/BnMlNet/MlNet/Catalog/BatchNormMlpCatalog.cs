using BnMlNet;
using BnMlNet.MlNet.Catalog;
using Microsoft.ML.Data;

namespace Microsoft.ML;

/// <summary>
/// Adds the batch-normalized MLP trainers to ML.NET's catalogs:
/// <c>mlContext.BinaryClassification.Trainers.BatchNormMlp(...)</c>,
/// <c>mlContext.MulticlassClassification.Trainers.BatchNormMlp(...)</c> and
/// <c>mlContext.Regression.Trainers.BatchNormMlp(...)</c>.
/// </summary>
public static class BatchNormMlpCatalog
{
    /// <summary>A binary classifier: a multilayer perceptron with batch normalization, trained on log-loss.</summary>
    /// <param name="catalog">The binary classification trainers catalog.</param>
    /// <param name="labelColumnName">The Boolean label column.</param>
    /// <param name="featureColumnName">The feature column, a known-size vector of Single.</param>
    /// <param name="exampleWeightColumnName">An optional Single column of example weights.</param>
    /// <param name="hiddenLayerSizes">The hidden layer widths; null gives the default (128, 64).</param>
    /// <param name="numberOfEpochs">Passes over the training data.</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    public static BatchNormMlpBinaryTrainer BatchNormMlp(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = DefaultColumnNames.Label, string featureColumnName = DefaultColumnNames.Features,
        string? exampleWeightColumnName = null, int[]? hiddenLayerSizes = null,
        int numberOfEpochs = CatalogDefaults.Epochs, float learningRate = CatalogDefaults.LearningRate)
        => catalog.BatchNormMlp(CatalogDefaults.Fill(new BatchNormMlpBinaryTrainer.Options(), labelColumnName, featureColumnName,
            exampleWeightColumnName, hiddenLayerSizes, numberOfEpochs, learningRate));

    /// <summary>A binary classifier with every option.</summary>
    /// <param name="catalog">The binary classification trainers catalog.</param>
    /// <param name="options">The trainer's options; invalid values are rejected here, naming the option.</param>
    public static BatchNormMlpBinaryTrainer BatchNormMlp(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        BatchNormMlpBinaryTrainer.Options options)
        => new(CatalogUtils.GetEnvironment(Check(catalog)), Check(options));

    /// <summary>A multiclass classifier: a multilayer perceptron with batch normalization, trained on softmax cross-entropy.</summary>
    /// <param name="catalog">The multiclass classification trainers catalog.</param>
    /// <param name="labelColumnName">The label column, a key type (use MapValueToKey).</param>
    /// <param name="featureColumnName">The feature column, a known-size vector of Single.</param>
    /// <param name="exampleWeightColumnName">An optional Single column of example weights.</param>
    /// <param name="hiddenLayerSizes">The hidden layer widths; null gives the default (128, 64).</param>
    /// <param name="numberOfEpochs">Passes over the training data.</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    public static BatchNormMlpMulticlassTrainer BatchNormMlp(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = DefaultColumnNames.Label, string featureColumnName = DefaultColumnNames.Features,
        string? exampleWeightColumnName = null, int[]? hiddenLayerSizes = null,
        int numberOfEpochs = CatalogDefaults.Epochs, float learningRate = CatalogDefaults.LearningRate)
        => catalog.BatchNormMlp(CatalogDefaults.Fill(new BatchNormMlpMulticlassTrainer.Options(), labelColumnName, featureColumnName,
            exampleWeightColumnName, hiddenLayerSizes, numberOfEpochs, learningRate));

    /// <summary>A multiclass classifier with every option.</summary>
    /// <param name="catalog">The multiclass classification trainers catalog.</param>
    /// <param name="options">The trainer's options; invalid values are rejected here, naming the option.</param>
    public static BatchNormMlpMulticlassTrainer BatchNormMlp(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        BatchNormMlpMulticlassTrainer.Options options)
        => new(CatalogUtils.GetEnvironment(Check(catalog)), Check(options));

    /// <summary>A regressor: a multilayer perceptron with batch normalization, trained on squared error.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">The Single label column.</param>
    /// <param name="featureColumnName">The feature column, a known-size vector of Single.</param>
    /// <param name="exampleWeightColumnName">An optional Single column of example weights.</param>
    /// <param name="hiddenLayerSizes">The hidden layer widths; null gives the default (128, 64).</param>
    /// <param name="numberOfEpochs">Passes over the training data.</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    public static BatchNormMlpRegressionTrainer BatchNormMlp(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = DefaultColumnNames.Label, string featureColumnName = DefaultColumnNames.Features,
        string? exampleWeightColumnName = null, int[]? hiddenLayerSizes = null,
        int numberOfEpochs = CatalogDefaults.Epochs, float learningRate = CatalogDefaults.LearningRate)
        => catalog.BatchNormMlp(CatalogDefaults.Fill(new BatchNormMlpRegressionTrainer.Options(), labelColumnName, featureColumnName,
            exampleWeightColumnName, hiddenLayerSizes, numberOfEpochs, learningRate));

    /// <summary>A regressor with every option.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="options">The trainer's options; invalid values are rejected here, naming the option.</param>
    public static BatchNormMlpRegressionTrainer BatchNormMlp(this RegressionCatalog.RegressionTrainers catalog,
        BatchNormMlpRegressionTrainer.Options options)
        => new(CatalogUtils.GetEnvironment(Check(catalog)), Check(options));

    private static T Check<T>(T? value) where T : class => value ?? throw new ArgumentNullException(typeof(T).Name);
}
