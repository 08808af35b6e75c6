using BnMlNet.MlNet;
using BnMlNet.MlNet.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;

namespace BnMlNet;

/// <summary>
/// Regression with a batch-normalized MLP trained on squared error. The label is Single; the output column is Score.
/// Create it with <c>mlContext.Regression.Trainers.BatchNormMlp(...)</c>.
/// </summary>
public sealed class BatchNormMlpRegressionTrainer
    : BatchNormMlpTrainerBase<BatchNormMlpRegressionTrainer.Options, RegressionPredictionTransformer<BatchNormMlpModelParameters>>
{
    /// <summary>Options for <see cref="BatchNormMlpRegressionTrainer"/>.</summary>
    public sealed class Options : BatchNormMlpOptionsBase
    {
    }

    internal BatchNormMlpRegressionTrainer(IHostEnvironment env, Options options)
        : base(env, options, TrainerUtils.MakeR4ScalarColumn(options.LabelColumnName), nameof(BatchNormMlpRegressionTrainer))
    {
    }

    internal override ModelTask Task => ModelTask.Regression;

    /// <inheritdoc/>
    protected override PredictionKind PredictionKind => PredictionKind.Regression;

    /// <inheritdoc/>
    protected override void CheckLabelCompatible(SchemaShape.Column labelCol)
    {
        if (!LabelColumn.IsCompatibleWith(labelCol))
            throw LabelErrors.Mismatch(LabelColumn.Name, "Single", labelCol.GetTypeString(),
                "Convert it with mlContext.Transforms.Conversion.ConvertType(\"Label\", outputKind: DataKind.Single).");
    }

    /// <inheritdoc/>
    protected override SchemaShape.Column[] GetOutputColumnsCore(SchemaShape inputSchema) =>
    [
        new(DefaultColumnNames.Score, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false,
            new SchemaShape(AnnotationUtils.GetTrainerOutputAnnotation())),
    ];

    /// <inheritdoc/>
    protected override RegressionPredictionTransformer<BatchNormMlpModelParameters> MakeTransformer(
        BatchNormMlpModelParameters model, DataViewSchema trainSchema)
        => new(Host, model, trainSchema, FeatureColumn.Name);
}
