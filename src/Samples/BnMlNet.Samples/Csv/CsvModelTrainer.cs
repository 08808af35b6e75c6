using BnMlNet.Samples.Cli;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace BnMlNet.Samples.Csv;

/// <summary>Settings of one <c>train</c> run.</summary>
public sealed record CsvTrainSettings(MlTask Task, string Label, int Epochs, int[] Hidden, double ValidationFraction, int Seed,
    float LearningRate = 1e-3f)
{
    /// <summary>Columns left out by the user (<c>--ignore</c>).</summary>
    public IReadOnlyList<string> Ignore { get; init; } = [];

    /// <summary>Columns kept even when they look like identifiers (<c>--keep</c>).</summary>
    public IReadOnlyList<string> Keep { get; init; } = [];
}

/// <summary>A model trained on a CSV: the full pipeline (raw columns in, predictions out) and what the sidecar needs.</summary>
public sealed record CsvTrainedModel(ITransformer Model, DataViewSchema InputSchema, ModelSidecar Sidecar,
    IReadOnlyList<BnMlNet.Engine.EpochReport> History)
{
    /// <summary>The columns used, left out and hashed.</summary>
    public FeaturePlan Plan { get; init; } = new([], [], []);
}

/// <summary>
/// Builds and trains the <c>train</c> command's pipeline with ML.NET's own transforms, so the saved model takes raw
/// CSV columns: missing numbers → column mean, text columns → one-hot (hashed when they have many levels;
/// identifiers left out, see <see cref="FeatureSelection"/>), concatenated into one feature vector, then the BN-MLP. For multiclass the label goes through MapValueToKey before training (not saved: predict has no label)
/// and the model ends with MapKeyToValue, so <c>PredictedLabel</c> is the class name.
/// </summary>
public static class CsvModelTrainer
{
    /// <summary>Name of the feature vector column inside the pipeline (unlikely to clash with a CSV column).</summary>
    public const string FeaturesColumn = "__Features";

    /// <summary>Name of the key-typed label column for multiclass (training and evaluation only).</summary>
    public const string LabelKeyColumn = "__LabelKey";

    /// <summary>Trains on <paramref name="table"/>.</summary>
    /// <exception cref="UserInputException">Bad label or columns.</exception>
    public static CsvTrainedModel Train(MLContext ml, CsvTable table, CsvTrainSettings settings, IProgressSink progress)
    {
        var label = LabelChecker.Check(table, settings.Label, settings.Task, training: true);
        var plan = FeatureSelection.Plan(table, label, settings.Ignore, settings.Keep);
        var features = plan.Features;
        if (features.Count == 0)
            throw new UserInputException($"{table.Path} has no feature columns besides the label '{label.Name}'" +
                (plan.Ignored.Count == 0 ? "." : $" and the columns left out ({string.Join(", ", plan.Ignored.Select(c => c.Name))}); see --keep."));

        var data = CsvDataLoader.Load(ml, table,
            features.Select(c => (c.Name, CsvDataLoader.FeatureKind(c.Kind)))
                .Prepend((label.Name, CsvDataLoader.LabelKind(settings.Task))));

        IDataView train = data, validation = null!;
        bool useValidation = settings.ValidationFraction > 0 && table.Rows.Count >= 20;
        if (useValidation)
        {
            var split = ml.Data.TrainTestSplit(data, settings.ValidationFraction, seed: settings.Seed);
            (train, validation) = (split.TrainSet, split.TestSet);
        }

        string trainerLabel = label.Name;
        IReadOnlyList<string> classes = [];
        if (settings.Task == MlTask.Multiclass)
        {
            var labelMap = ml.Transforms.Conversion.MapValueToKey(LabelKeyColumn, label.Name,
                keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(data);
            train = labelMap.Transform(train);
            if (useValidation) validation = labelMap.Transform(validation);
            classes = KeyValues(train.Schema[LabelKeyColumn]);
            trainerLabel = LabelKeyColumn;
        }

        var featurizer = Featurizer(ml, features, plan.Hashed.Select(h => h.Name).ToHashSet()).Fit(train);
        var trainF = featurizer.Transform(train);
        var validF = useValidation ? featurizer.Transform(validation) : null;

        ITransformer predictor = FitTrainer(ml, settings, trainerLabel, trainF, validF, out var history);
        ITransformer model = featurizer.Append(predictor);
        if (settings.Task == MlTask.Multiclass)
            model = model.Append(
                ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(model.Transform(train)));
        progress.Step($"trained on {table.Rows.Count:N0} rows ({features.Count} feature columns)");

        var sidecar = new ModelSidecar
        {
            Task = settings.Task,
            Label = label.Name,
            Features = features.Select(c => new SidecarColumn(c.Name, c.Kind)).ToList(),
            Ignored = plan.Ignored.Select(c => c.Name).ToList(),
            Hashed = plan.Hashed.Select(c => c.Name).ToList(),
            Classes = classes,
            TrainingRows = table.Rows.Count,
            Epochs = settings.Epochs,
            HiddenLayerSizes = settings.Hidden,
            TrainedOn = Path.GetFileName(table.Path),
        };
        return new CsvTrainedModel(model, data.Schema, sidecar, history) { Plan = plan };
    }

    /// <summary>
    /// Missing numbers → mean, text → one-hot (the <paramref name="hashed"/> columns → a one-hot of
    /// <see cref="FeatureSelection.HashSlots"/> hash slots), everything concatenated into <see cref="FeaturesColumn"/>.
    /// </summary>
    public static IEstimator<ITransformer> Featurizer(MLContext ml, IReadOnlyList<CsvColumn> features, IReadOnlySet<string> hashed)
    {
        IEstimator<ITransformer> pipeline = new EstimatorChain<ITransformer>();
        var numeric = features.Where(c => c.Kind == CsvColumnKind.Numeric).Select(c => new InputOutputColumnPair(c.Name)).ToArray();
        var text = features.Where(c => c.Kind == CsvColumnKind.Text && !hashed.Contains(c.Name)).Select(c => new InputOutputColumnPair(c.Name)).ToArray();
        var hashedText = features.Where(c => c.Kind == CsvColumnKind.Text && hashed.Contains(c.Name)).Select(c => new InputOutputColumnPair(c.Name)).ToArray();
        if (numeric.Length > 0)
            pipeline = pipeline.Append(ml.Transforms.ReplaceMissingValues(numeric));
        if (text.Length > 0)
            pipeline = pipeline.Append(ml.Transforms.Categorical.OneHotEncoding(text));
        if (hashedText.Length > 0)
            pipeline = pipeline.Append(ml.Transforms.Categorical.OneHotHashEncoding(hashedText, numberOfBits: FeatureSelection.HashBits));
        return pipeline.Append(ml.Transforms.Concatenate(FeaturesColumn, features.Select(c => c.Name).ToArray()));
    }

    private static ITransformer FitTrainer(MLContext ml, CsvTrainSettings s, string label, IDataView train,
        IDataView? validation, out IReadOnlyList<BnMlNet.Engine.EpochReport> history)
    {
        switch (s.Task)
        {
            case MlTask.Binary:
            {
                var trainer = ml.BinaryClassification.Trainers.BatchNormMlp(Fill(new BatchNormMlpBinaryTrainer.Options(), s, label));
                var fitted = validation is null ? trainer.Fit(train) : trainer.Fit(train, validation);
                history = fitted.Model.TrainingHistory;
                return fitted;
            }
            case MlTask.Multiclass:
            {
                var trainer = ml.MulticlassClassification.Trainers.BatchNormMlp(Fill(new BatchNormMlpMulticlassTrainer.Options(), s, label));
                var fitted = validation is null ? trainer.Fit(train) : trainer.Fit(train, validation);
                history = fitted.Model.TrainingHistory;
                return fitted;
            }
            default:
            {
                var trainer = ml.Regression.Trainers.BatchNormMlp(Fill(new BatchNormMlpRegressionTrainer.Options(), s, label));
                var fitted = validation is null ? trainer.Fit(train) : trainer.Fit(train, validation);
                history = fitted.Model.TrainingHistory;
                return fitted;
            }
        }
    }

    private static T Fill<T>(T options, CsvTrainSettings s, string label) where T : BatchNormMlpOptionsBase
    {
        options.LabelColumnName = label;
        options.FeatureColumnName = FeaturesColumn;
        options.HiddenLayerSizes = s.Hidden;
        options.NumberOfEpochs = s.Epochs;
        options.Seed = s.Seed;
        options.LearningRate = s.LearningRate;
        return options;
    }

    private static IReadOnlyList<string> KeyValues(DataViewSchema.Column column)
    {
        VBuffer<ReadOnlyMemory<char>> values = default;
        column.GetKeyValues(ref values);
        return values.DenseValues().Select(v => v.ToString()).ToList();
    }
}
