using BnMlNet.Engine.Preprocessing;
using BnMlNet.Engine;
using BnMlNet.MlNet;
using BnMlNet.MlNet.Persistence;
using BnMlNet.MlNet.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

[assembly: LoadableClass(typeof(BnMlNet.BatchNormMlpModelParameters), null, typeof(SignatureLoadModel),
    "BatchNorm MLP model", BnMlNet.BatchNormMlpModelParameters.LoaderSignature)]

namespace BnMlNet;

/// <summary>
/// A trained batch-normalized multilayer perceptron: every weight, bias, γ and β, and the frozen running mean and
/// variance of every batch-normalization layer, all readable. It is what the prediction transformer of a
/// BatchNormMlp trainer carries and what is saved in the model zip.
/// </summary>
/// <remarks>
/// Immutable and thread-safe: scoring keeps no shared mutable state (each ML.NET cursor or PredictionEngine gets its
/// own buffers), so one fitted transformer may be used from many threads at once, each thread calling
/// <c>Transform</c> or its own <c>PredictionEngine</c> (a PredictionEngine itself is not thread-safe, as everywhere in
/// ML.NET); results are bit-identical to single-threaded scoring. At scoring time batch normalization is folded into
/// the dense layers; the unfolded statistics stay stored in <see cref="Layers"/>.
/// </remarks>
public sealed partial class BatchNormMlpModelParameters
{
    internal const string LoaderSignature = "BatchNormMlpModel";
    private readonly IHost _host;

    internal BatchNormMlpModelParameters(IHostEnvironment env, ModelTask task, InferenceNetwork network, IReadOnlyList<EpochReport> history,
        FeaturePreprocessor? preprocessing = null, bool exponentialScore = false, string featureColumn = DefaultFeatureColumn,
        NonFiniteScoring nonFiniteScoring = NonFiniteScoring.Impute)
    {
        FeatureColumn = featureColumn;
        if (!Enum.IsDefined(nonFiniteScoring))
            throw new ArgumentOutOfRangeException(nameof(nonFiniteScoring), nonFiniteScoring, $"{nameof(NonFiniteScoring)} {(int)nonFiniteScoring} is not one of {string.Join(", ", Enum.GetNames<NonFiniteScoring>())}.");
        NonFiniteScoring = nonFiniteScoring;
        ExponentialScore = exponentialScore;
        if (exponentialScore && task != ModelTask.Regression)
            throw new ArgumentException($"Only a regression model can have an exponential score, not a {task} model.", nameof(exponentialScore));
        _host = env.Register(LoaderSignature);
        Task = task;
        Network = network;
        TrainingHistory = history;
        Preprocessing = preprocessing;
        if (preprocessing is not null && preprocessing.OutputSize != network.InputSize)
            throw new ArgumentException($"The preprocessing gives {preprocessing.OutputSize} values, the network takes {network.InputSize}.", nameof(preprocessing));
        if (task == ModelTask.Multiclass ? network.OutputSize < 2 : network.OutputSize != 1)
            throw new ArgumentException($"A {task} model cannot have {network.OutputSize} outputs.", nameof(network));
        ScoringPreprocessor = preprocessing ?? (network.InputBatchNorm is { } bn ? FeaturePreprocessor.FromInputBatchNorm(bn) : null);
    }

    private const string DefaultFeatureColumn = "Features";

    /// <summary>The feature column named in scoring errors (the one the scorer was bound to).</summary>
    internal string FeatureColumn { get; }

    /// <summary>The same model, naming <paramref name="featureColumn"/> in its scoring errors.</summary>
    internal BatchNormMlpModelParameters WithFeatureColumn(string featureColumn) => featureColumn == FeatureColumn ? this
        : new(_host, Task, Network, TrainingHistory, Preprocessing, ExponentialScore, featureColumn, NonFiniteScoring);

    /// <summary>
    /// What scoring does with a NaN or ±∞ feature (<see cref="BatchNormMlpOptionsBase.NonFiniteScoring"/>): saved with
    /// the model and honoured by Transform, PredictionEngine and <see cref="Predict"/>. Models saved before payload
    /// format version 4 load as <see cref="NonFiniteScoring.Impute"/>, which is what they did.
    /// </summary>
    public NonFiniteScoring NonFiniteScoring { get; }

    /// <summary>
    /// The same trained model with another <see cref="NonFiniteScoring"/> policy (this instance is unchanged): every
    /// weight and statistic is shared, so finite rows score bit for bit as before. Its <see cref="Predict"/> applies
    /// the new policy, and saved with ML.NET's model writer it stores it. (ML.NET's prediction transformers cannot be
    /// built over it from user code; to change the policy of a whole pipeline, retrain with the option.)
    /// </summary>
    /// <param name="policy">The policy the copy applies.</param>
    /// <returns>This instance when the policy is already <paramref name="policy"/>, else a copy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="policy"/> is not a defined value.</exception>
    public BatchNormMlpModelParameters WithNonFiniteScoring(NonFiniteScoring policy) => policy == NonFiniteScoring ? this
        : new(_host, Task, Network, TrainingHistory, Preprocessing, ExponentialScore, FeatureColumn, policy);

    /// <summary>
    /// What scoring applies before the network: the saved preprocessing, or for a model without one that has an input
    /// batch norm, NaN → running mean and ±∞ → ±4 running standard deviations
    /// (<see cref="FeaturePreprocessor.FromInputBatchNorm"/>); null when neither (non-finite features are then an error).
    /// </summary>
    internal FeaturePreprocessor? ScoringPreprocessor { get; }

    internal ModelTask Task { get; }

    internal InferenceNetwork Network { get; }

    /// <summary>
    /// The dense layers, input side first; the last one is the output layer (identity activation, with bias, no batch
    /// norm). For an ensemble they are the wide network: <see cref="EnsembleSize"/> members side by side (member m's
    /// units of each layer are the m-th block; the deeper layers are block-diagonal).
    /// </summary>
    public IReadOnlyList<DenseLayerParameters> Layers => Network.Layers;

    /// <summary>The batch normalization applied to the raw features, or null when the model has none.</summary>
    public BatchNormParameters? InputBatchNorm => Network.InputBatchNorm;

    /// <summary>
    /// The learned numerical embedding between the input batch norm and the first layer (see
    /// <see cref="BatchNormMlpOptionsBase.NumericEmbedding"/>), or null when the model has none.
    /// </summary>
    public PeriodicEmbeddingParameters? Embedding => Network.Embedding;

    /// <summary>
    /// The preprocessing the model applies to the features before its first layer (imputation with missing indicators,
    /// robust scaling and smooth clipping), learned from the training data; null for a model without one (every model
    /// saved in format version 1). Its outputs are the network's inputs.
    /// </summary>
    public FeaturePreprocessor? Preprocessing { get; }

    /// <summary>
    /// True for regression with the Poisson loss (log link): the network's output is the log of the rate and
    /// Score = e^output. <see cref="Predict"/> returns the raw output, the log-rate.
    /// </summary>
    public bool ExponentialScore { get; }

    /// <summary>The number of ensemble members (1 for a single network); the prediction is their mean.</summary>
    public int EnsembleSize => Network.EnsembleSize;

    /// <summary>The number of features the model expects.</summary>
    public int FeatureCount => Preprocessing?.InputSize ?? Network.InputSize;

    /// <summary>The number of outputs of the last layer: 1 for binary and regression, the class count for multiclass.</summary>
    public int OutputCount => Network.OutputSize;

    /// <summary>The slope of LeakyReLU for negative inputs (used only by LeakyReLU layers).</summary>
    public float LeakyReluSlope => Network.LeakyReluSlope;

    /// <summary>One report per training epoch: training loss, validation loss and metric, seconds, learning rate.</summary>
    public IReadOnlyList<EpochReport> TrainingHistory { get; }

    /// <summary>
    /// The raw outputs of the network for one feature vector: the logit (binary), the K logits (multiclass) or the
    /// value (regression). Allocates the result; for bulk scoring use the ML.NET transformer. Non-finite features follow
    /// <see cref="NonFiniteScoring"/>.
    /// </summary>
    public float[] Predict(ReadOnlySpan<float> features)
    {
        if (features.Length != FeatureCount)
            throw new ArgumentException($"The model expects {FeatureCount} features, got {features.Length}.", nameof(features));
        NonFiniteScoringCheck.Check(features, NonFiniteScoring, FeatureColumn);
        var output = new float[OutputCount];
        if (ScoringPreprocessor is { } pre)
        {
            var prepared = new float[pre.OutputSize];
            pre.Apply(features, prepared);
            Network.Predict(prepared, output, Network.CreateScratch());
        }
        else
        {
            RowScorer.CheckFinite(features, nameof(features));
            Network.Predict(features, output, Network.CreateScratch());
        }
        return output;
    }

    internal RowScorer CreateRowScorer() => new(Network, ScoringPreprocessor, ExponentialScore, FeatureColumn, NonFiniteScoring);

    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "BNMLPMOD",
        verWrittenCur: 0x00010002,   // 2: the payload may carry a preprocessing stage (payload format version 2)
        verReadableCur: 0x00010001,
        verWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(BatchNormMlpModelParameters).Assembly.FullName);

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        _host.CheckValue(ctx, nameof(ctx));
        ctx.CheckAtModel();
        ctx.SetVersionInfo(GetVersionInfo());
        ModelPayloadWriter.Write(ctx.Writer, new ModelPayload(Task, Network, TrainingHistory, Preprocessing, ExponentialScore, NonFiniteScoring));
    }

    private static BatchNormMlpModelParameters Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        Contracts.CheckValue(env, nameof(env));
        env.CheckValue(ctx, nameof(ctx));
        ctx.CheckAtModel(GetVersionInfo());
        var payload = ModelPayloadReader.Read(ctx.Reader);
        return new BatchNormMlpModelParameters(env, payload.Task, payload.Network, payload.History, payload.Preprocessor, payload.ExponentialScore,
            nonFiniteScoring: payload.NonFiniteScoring);
    }
}
