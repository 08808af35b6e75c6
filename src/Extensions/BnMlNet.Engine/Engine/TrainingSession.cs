using BnMlNet.Engine.Losses;
using BnMlNet.Engine.Network;
using BnMlNet.Engine.Optimizers;
using BnMlNet.Engine.Training;

namespace BnMlNet.Engine;

/// <summary>
/// A training run that a caller drives step by step or epoch by epoch (research API; <see cref="NetworkTrainer.Train"/>
/// uses it internally). It can snapshot the frozen network at any point; what the experiments read out of it (the
/// values entering an activation, train-mode scoring, a Dense bias's gradient) is in <see cref="Research.SessionProbes"/>.
/// Not thread-safe.
/// </summary>
/// <remarks>
/// A mini-batch of fewer than 2 rows is merged into the batch before it; a lone batch of fewer than 2 rows (a data set
/// of one row) is skipped: it never updates weights or statistics.
/// </remarks>
public sealed partial class TrainingSession
{
    private readonly TrainingSettings _settings;
    private readonly IMiniBatchSource _train;
    private readonly TrainableNetwork _network;
    private readonly IOptimizer _optimizer;
    private readonly LearningRateScheduler _scheduler;
    private readonly BatchStager _stager;
    private readonly Random? _shuffle;
    private readonly Ensembles.EnsembleLoss? _ensembleLoss;
    private float[] _dOutputs = [];
    private readonly ParameterSegment[] _gammas;
    private float[] _decayedGradients = [];
    private int _batchInEpoch;
    private double _epochLossSum, _epochWeightSum;
    // The epochs after which the rate is reduced (fixed ones from the settings, then those reduce-on-plateau adds), and
    // the factor on the schedule's rate in the current epoch (exactly 1 without a reduction, so those runs keep their bits).
    private readonly List<int> _reductionEpochs;
    private double _rateScale = 1.0;
    private int _epochsBegun;   // passes started (Step may start one before CompletedEpochs counts the last)

    internal TrainingSession(NetworkSpec spec, LossKind loss, TrainingSettings settings, IMiniBatchSource train)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(train);
        spec.Validate(loss);
        settings.Validate();
        if (settings.LabelSmoothing != 0 && LossFunction.IsRegression(loss))
            throw new ArgumentException($"{nameof(TrainingSettings.LabelSmoothing)} applies to the classification heads only, not to {loss}.", nameof(settings));
        if (train.FeatureCount != spec.InputSize)
            throw new ArgumentException($"The training data has {train.FeatureCount} features, the network takes {spec.InputSize}.", nameof(train));
        Spec = spec;
        Loss = loss;
        _settings = settings.Clone();
        _train = train;
        _network = spec.EnsembleSize == 1
            ? new TrainableNetwork(spec, (ulong)(long)_settings.Seed, _settings.BatchNormEpsilon, _settings.BatchNormMomentum, _settings.Threads)
            : Ensembles.EnsembleTraining.CreateNetwork(spec, loss, _settings);
        _ensembleLoss = spec.EnsembleSize == 1 ? null : new Ensembles.EnsembleLoss(loss, spec.EnsembleSize, spec.OutputSize, _settings.LabelSmoothing);
        int length = _network.Parameters.Length;
        _optimizer = _settings.Optimizer switch
        {
            OptimizerKind.Sgd => new Sgd(length, _settings.Momentum, _settings.Nesterov, _settings.WeightDecay),
            OptimizerKind.Adam => new Adam(length, _settings.Beta1, _settings.Beta2, _settings.AdamEpsilon, _settings.WeightDecay, decoupled: false, _settings.Threads),
            _ => new Adam(length, _settings.Beta1, _settings.Beta2, _settings.AdamEpsilon, _settings.WeightDecay, decoupled: true, _settings.Threads),
        };
        _gammas = _network.AllBatchNorms().Select(b => b.Gamma).ToArray();
        StepsPerEpoch = CountSteps(train.RowCount, _settings.BatchSize);
        PlannedEpochs = PlanEpochs(_settings.Epochs, _settings.StepBudget, StepsPerEpoch);
        _scheduler = new LearningRateScheduler(_settings.Schedule, _settings.LearningRate, StepsPerEpoch,
            (long)StepsPerEpoch * PlannedEpochs, _settings.StepSizeEpochs, _settings.StepGamma,
            _settings.OneCycleWarmupFraction, _settings.OneCycleInitialDivisor, _settings.OneCycleFinalDivisor);
        _stager = new BatchStager(spec.InputSize, _settings.Threads);
        _shuffle = _settings.Shuffle ? new Random(_settings.Seed) : null;
        _reductionEpochs = _settings.LearningRateReductionEpochs?.ToList() ?? [];
        CurrentLearningRate = _scheduler.RateAt(0);
    }

    /// <summary>Optimizer steps per epoch: ⌊N/B⌋ full batches, plus the remainder when it has ≥ 2 rows (1 row is merged).</summary>
    internal static int CountSteps(long rows, int batchSize)
    {
        if (rows < 2) return 0;
        long full = rows / batchSize, rest = rows % batchSize;
        return (int)Math.Max(1, full + (rest >= 2 ? 1 : 0));
    }

    /// <summary>
    /// The epochs of the run: <paramref name="epochs"/>, or with a step budget min(epochs, max(1, ⌈budget / steps per
    /// epoch⌉)); a data set without a step (fewer than 2 rows) keeps <paramref name="epochs"/>.
    /// </summary>
    internal static int PlanEpochs(int epochs, int stepBudget, int stepsPerEpoch)
    {
        if (stepBudget <= 0 || stepsPerEpoch <= 0) return epochs;
        long needed = ((long)stepBudget + stepsPerEpoch - 1) / stepsPerEpoch;
        return (int)Math.Clamp(needed, 1, epochs);
    }

    /// <summary>The network's shape.</summary>
    public NetworkSpec Spec { get; }
    /// <summary>The head.</summary>
    public LossKind Loss { get; }
    /// <summary>Epochs finished so far.</summary>
    public int CompletedEpochs { get; private set; }
    /// <summary>Optimizer steps taken so far.</summary>
    public long StepCount { get; private set; }
    /// <summary>Optimizer steps in one epoch.</summary>
    public int StepsPerEpoch { get; }
    /// <summary>
    /// The epochs the run plans and the learning-rate schedule spans: <see cref="TrainingSettings.Epochs"/>, capped by
    /// <see cref="TrainingSettings.StepBudget"/> when that is above 0 (early stopping may end the run sooner).
    /// </summary>
    public int PlannedEpochs { get; }
    /// <summary>The learning rate of the last step (before the first step: of the first).</summary>
    public double CurrentLearningRate { get; private set; }
    /// <summary>Number of hidden layers (valid <c>hiddenLayer</c> arguments are 0 .. HiddenLayerCount − 1).</summary>
    public int HiddenLayerCount => _network.Layers.Length - 1;

    internal TrainableNetwork Network => _network;

    /// <summary>The frozen network as it is now (current weights and running statistics).</summary>
    public InferenceNetwork Snapshot() => _network.ToInferenceNetwork();

    /// <summary>
    /// Replaces every batch norm's running statistics with exact population statistics over the training data
    /// (precise BN, layer after layer, weights frozen; unbiased variance).
    /// </summary>
    public void RecomputePopulationStatistics(CancellationToken cancellationToken = default)
        => PopulationStatistics.Recompute(_network, _train, _settings.BatchSize, cancellationToken);

    internal void CheckRows(ReadOnlySpan<float> features, int rows, bool batchStatistics)
    {
        if (rows < (batchStatistics ? 2 : 1))
            throw new ArgumentOutOfRangeException(nameof(rows), rows, batchStatistics ? "Batch statistics need at least 2 rows." : "rows must be at least 1.");
        if (features.Length < (long)rows * Spec.InputSize)
            throw new ArgumentException($"Expected {rows}×{Spec.InputSize} features.", nameof(features));
    }
}
