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
        /// <summary>
        /// Train on the standardized label t = (y − mean)/std (the weighted mean and standard deviation of the training
        /// labels), then fold the map into the output layer: scores, metrics and the epoch log stay in the label's own
        /// units, and the saved model, PredictionEngine and ONNX export need nothing extra. Lets the output reach a
        /// target far from 0 (a log price, a value in the hundreds). A constant label is then an error. Default true.
        /// </summary>
        public bool StandardizeLabel = RecipeDefaults.StandardizeLabel;

        /// <summary>
        /// The training loss. <see cref="RegressionLoss.SquaredError"/> (the default); <see cref="RegressionLoss.Poisson"/>
        /// for counts: log link, Score = e^output, labels must be ≥ 0 (with <see cref="StandardizeLabel"/> the label is
        /// divided by its mean and log(mean) is folded into the output bias); <see cref="RegressionLoss.Huber"/>, robust to
        /// outliers, with δ = 1 in the standardized units (one label standard deviation) when <see cref="StandardizeLabel"/>.
        /// </summary>
        public RegressionLoss Loss = RegressionLoss.SquaredError;
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
