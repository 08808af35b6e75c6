using BnMlNet.MlNet;
using BnMlNet.MlNet.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;

namespace BnMlNet;

/// <summary>
/// Multiclass classification with a batch-normalized MLP (softmax cross-entropy). The label is a key type (use
/// <c>MapValueToKey</c>); Score is the vector of class probabilities with the label's key values as slot names, and
/// PredictedLabel the most probable class as a key of the label's type, so <c>MapKeyToValue</c> works.
/// Create it with <c>mlContext.MulticlassClassification.Trainers.BatchNormMlp(...)</c>.
/// </summary>
public sealed class BatchNormMlpMulticlassTrainer
    : BatchNormMlpTrainerBase<BatchNormMlpMulticlassTrainer.Options, MulticlassPredictionTransformer<BatchNormMlpModelParameters>>
{
    /// <summary>Options for <see cref="BatchNormMlpMulticlassTrainer"/>.</summary>
    public sealed class Options : BatchNormMlpOptionsBase
    {
        /// <summary>
        /// Imbalanced labels: one loss weight per class, in key order (class k is key k + 1), multiplied into the example
        /// weights in training and validation; the loss is Σ c[y]·w·l / Σ c[y]·w (PyTorch's weighted cross-entropy).
        /// Each finite and ≥ 0, at least one &gt; 0; the count must equal the label's class count. Null (the default)
        /// weighs every class 1.
        /// </summary>
        public float[]? ClassWeights;

        /// <summary>
        /// Label smoothing ε, as PyTorch's <c>CrossEntropyLoss(label_smoothing=ε)</c>: training fits the target
        /// (1 − ε)·one-hot(label) + ε/K over the K classes, which keeps the logits from growing without bound on separable data.
        /// Training only: the validation loss, early stopping and the saved model's format are unchanged. In [0, 1);
        /// 0 (the default) turns it off; ε 0.1 was measured in round 16 of docs/tabular-recipe.md and not adopted.
        /// </summary>
        public float LabelSmoothing;
    }

    internal BatchNormMlpMulticlassTrainer(IHostEnvironment env, Options options)
        : base(env, options, TrainerUtils.MakeU4ScalarColumn(options.LabelColumnName), nameof(BatchNormMlpMulticlassTrainer))
    {
    }

    internal override ModelTask Task => ModelTask.Multiclass;

    /// <inheritdoc/>
    protected override PredictionKind PredictionKind => PredictionKind.MulticlassClassification;

    /// <inheritdoc/>
    protected override void CheckLabelCompatible(SchemaShape.Column labelCol)
    {
        if (!LabelColumn.IsCompatibleWith(labelCol))
            throw LabelErrors.Mismatch(LabelColumn.Name, "a key type (Key<UInt32>)", labelCol.GetTypeString(),
                $"Map the label to a key first: mlContext.Transforms.Conversion.MapValueToKey(\"{LabelColumn.Name}\").");
    }

    private protected override int OutputCount(DataViewSchema trainSchema)
    {
        var type = trainSchema[LabelColumn.Name].Type as KeyDataViewType;
        ulong count = type?.Count ?? 0;
        if (count < 2)
            throw new ArgumentOutOfRangeException("inputSchema",
                $"The label column '{LabelColumn.Name}' has {count} class(es); multiclass classification needs at least 2.");
        if (count > int.MaxValue)
            throw new ArgumentOutOfRangeException("inputSchema", $"The label column '{LabelColumn.Name}' has too many classes ({count}).");
        return (int)count;
    }

    /// <inheritdoc/>
    protected override SchemaShape.Column[] GetOutputColumnsCore(SchemaShape inputSchema)
    {
        inputSchema.TryFindColumn(LabelColumn.Name, out var labelCol);
        var predictedLabelAnnotations = new SchemaShape(labelCol.Annotations.Where(x => x.Name == AnnotationUtils.Kinds.KeyValues)
            .Concat(AnnotationUtils.GetTrainerOutputAnnotation()));
        return
        [
            new(DefaultColumnNames.Score, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false,
                new SchemaShape(AnnotationUtils.AnnotationsForMulticlassScoreColumn(labelCol))),
            new(DefaultColumnNames.PredictedLabel, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, true, predictedLabelAnnotations),
        ];
    }

    /// <inheritdoc/>
    protected override MulticlassPredictionTransformer<BatchNormMlpModelParameters> MakeTransformer(
        BatchNormMlpModelParameters model, DataViewSchema trainSchema)
        => new(Host, model, trainSchema, FeatureColumn.Name, LabelColumn.Name);
}
