using BnMlNet.MlNet;
using BnMlNet.MlNet.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;

namespace BnMlNet;

/// <summary>
/// Binary classification with a batch-normalized MLP. The label is Boolean; the output columns are Score (the
/// logit), Probability (its sigmoid) and PredictedLabel (Score &gt; 0), as ML.NET's built-in binary trainers give.
/// Create it with <c>mlContext.BinaryClassification.Trainers.BatchNormMlp(...)</c>.
/// </summary>
public sealed class BatchNormMlpBinaryTrainer
    : BatchNormMlpTrainerBase<BatchNormMlpBinaryTrainer.Options, BinaryPredictionTransformer<BatchNormMlpModelParameters>>
{
    /// <summary>Options for <see cref="BatchNormMlpBinaryTrainer"/>.</summary>
    public sealed class Options : BatchNormMlpOptionsBase
    {
        /// <summary>
        /// Imbalanced labels (named as in FastTree and LightGbm): weigh each positive row by (Σ w of negative rows) /
        /// (Σ w of positive rows) of the training set, so both classes carry the same total weight. Combines with the
        /// example weights; cannot be combined with <see cref="WeightOfPositiveExamples"/> ≠ 1. Default false.
        /// </summary>
        public bool UnbalancedSets;

        /// <summary>
        /// The loss weight of positive rows relative to negative ones (as FastTree's and LightGbm's option), multiplied
        /// into the example weights in training and validation. Finite, &gt; 0. Default 1.
        /// </summary>
        public float WeightOfPositiveExamples = 1f;

        /// <summary>
        /// Label smoothing ε of the log-loss, as PyTorch's <c>CrossEntropyLoss(label_smoothing=ε)</c>: training fits the target
        /// (1 − ε)·one-hot(label) + ε/K with K = 2 (the positive class's target is (1 − ε)·y + ε/2), which keeps the logits from growing without bound on separable data.
        /// Training only: the validation loss, early stopping and the saved model's format are unchanged. In [0, 1);
        /// 0 (the default) turns it off; ε 0.1 was measured in round 16 of docs/tabular-recipe.md and not adopted.
        /// </summary>
        public float LabelSmoothing;
    }

    internal BatchNormMlpBinaryTrainer(IHostEnvironment env, Options options)
        : base(env, options, TrainerUtils.MakeBoolScalarLabel(options.LabelColumnName), nameof(BatchNormMlpBinaryTrainer))
    {
    }

    internal override ModelTask Task => ModelTask.Binary;

    /// <inheritdoc/>
    protected override PredictionKind PredictionKind => PredictionKind.BinaryClassification;

    /// <inheritdoc/>
    protected override void CheckLabelCompatible(SchemaShape.Column labelCol)
    {
        if (!LabelColumn.IsCompatibleWith(labelCol))
            throw LabelErrors.Mismatch(LabelColumn.Name, "Boolean", labelCol.GetTypeString(),
                "Load the label as Boolean (e.g. TextLoader column type Boolean) or convert it before the trainer.");
    }

    /// <inheritdoc/>
    protected override SchemaShape.Column[] GetOutputColumnsCore(SchemaShape inputSchema) =>
    [
        new(DefaultColumnNames.Score, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false,
            new SchemaShape(AnnotationUtils.GetTrainerOutputAnnotation())),
        new(DefaultColumnNames.Probability, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false,
            new SchemaShape(AnnotationUtils.GetTrainerOutputAnnotation(true))),
        new(DefaultColumnNames.PredictedLabel, SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance, false,
            new SchemaShape(AnnotationUtils.GetTrainerOutputAnnotation())),
    ];

    /// <inheritdoc/>
    protected override BinaryPredictionTransformer<BatchNormMlpModelParameters> MakeTransformer(
        BatchNormMlpModelParameters model, DataViewSchema trainSchema)
        => new(Host, model, trainSchema, FeatureColumn.Name);
}
