namespace BnMlNet.Engine;

/// <summary>
/// The one place the allowed values of every training and network setting are written. <see cref="TrainingSettings.Validate"/>
/// and <see cref="NetworkSpec.Validate()"/> check against these; the ML.NET trainers check their options against the
/// same ranges when they are created, under the option names the user sets.
/// </summary>
public static class SettingRules
{
    /// <summary>Rows per mini-batch: at least 2.</summary>
    public static ValueRange BatchSize { get; } = ValueRange.IntegerAtLeast(2, "batch normalization needs 2 rows to measure a variance");
    /// <summary>Passes over the training data: at least 1.</summary>
    public static ValueRange Epochs { get; } = ValueRange.IntegerAtLeast(1);
    /// <summary>Learning rate: finite, ≥ 0 (0 trains nothing but still collects batch-norm statistics).</summary>
    public static ValueRange LearningRate { get; } = ValueRange.FiniteAtLeast(0);
    /// <summary>SGD momentum μ in [0, 1).</summary>
    public static ValueRange Momentum { get; } = new(0, true, 1, false, Reason: "at 1 the velocity never decays");
    /// <summary>Adam β₁ in [0, 1).</summary>
    public static ValueRange Beta1 { get; } = new(0, true, 1, false);
    /// <summary>Adam β₂ in [0, 1).</summary>
    public static ValueRange Beta2 { get; } = new(0, true, 1, false);
    /// <summary>Adam ε: finite, &gt; 0.</summary>
    public static ValueRange AdamEpsilon { get; } = ValueRange.FiniteAbove(0);
    /// <summary>Weight decay λ: finite, ≥ 0.</summary>
    public static ValueRange WeightDecay { get; } = ValueRange.FiniteAtLeast(0);
    /// <summary>Weight decay λ_γ on the batch norms' γ: finite, ≥ 0.</summary>
    public static ValueRange BatchNormGammaWeightDecay { get; } = ValueRange.FiniteAtLeast(0);
    /// <summary>Step schedule: epochs between decays, at least 1.</summary>
    public static ValueRange StepEpochs { get; } = ValueRange.IntegerAtLeast(1);
    /// <summary>Step schedule: decay factor γ in (0, 1].</summary>
    public static ValueRange StepFactor { get; } = new(0, false, 1, true);
    /// <summary>One-cycle: warm-up fraction in (0, 1).</summary>
    public static ValueRange OneCycleWarmupFraction { get; } = new(0, false, 1, false);
    /// <summary>One-cycle: initial divisor, finite, ≥ 1.</summary>
    public static ValueRange OneCycleInitialDivisor { get; } = ValueRange.FiniteAtLeast(1);
    /// <summary>One-cycle: final divisor, finite, ≥ 1.</summary>
    public static ValueRange OneCycleFinalDivisor { get; } = ValueRange.FiniteAtLeast(1);
    /// <summary>Optimizer steps a run plans: at least 0 (0 turns the budget off).</summary>
    public static ValueRange StepBudget { get; } = ValueRange.IntegerAtLeast(0, "0 turns the step budget off");
    /// <summary>Global gradient-norm limit: finite, ≥ 0 (0 turns clipping off).</summary>
    public static ValueRange GradientClipNorm { get; } = ValueRange.FiniteAtLeast(0);
    /// <summary>Batch-norm running-statistics momentum m in (0, 1] (PyTorch's convention).</summary>
    public static ValueRange BatchNormMomentum { get; } = new(0, false, 1, true, Reason: "at 0 the running statistics never move from their start");
    /// <summary>Batch-norm ε: finite, &gt; 0.</summary>
    public static ValueRange BatchNormEpsilon { get; } = ValueRange.FiniteAbove(0);
    /// <summary>Threads: at least 1.</summary>
    public static ValueRange Threads { get; } = ValueRange.IntegerAtLeast(1);
    /// <summary>Early-stopping patience: at least 0 (0 turns early stopping off).</summary>
    public static ValueRange EarlyStoppingPatience { get; } = ValueRange.IntegerAtLeast(0);
    /// <summary>Early-stopping minimum improvement: finite, ≥ 0.</summary>
    public static ValueRange EarlyStoppingMinDelta { get; } = ValueRange.FiniteAtLeast(0);
    /// <summary>Reduce-on-plateau patience: at least 0 (0 turns it off).</summary>
    public static ValueRange PlateauPatience { get; } = ValueRange.IntegerAtLeast(0, "0 turns reduce-on-plateau off");
    /// <summary>Reduce-on-plateau factor in (0, 1).</summary>
    public static ValueRange PlateauFactor { get; } = new(0, false, 1, false, Reason: "each reduction multiplies the rate by it, so it must lower the rate and keep it above 0");
    /// <summary>Reduce-on-plateau: the most reductions, at least 0 (0: no limit).</summary>
    public static ValueRange PlateauMaxReductions { get; } = ValueRange.IntegerAtLeast(0, "0 sets no limit");
    /// <summary>Early-stopping relative minimum improvement in [0, 1).</summary>
    public static ValueRange EarlyStoppingRelativeMinDelta { get; } = new(0, true, 1, false, Reason: "a fraction of the best loss; 0 turns it off");
    /// <summary>Early-stopping patience fraction of the best epoch, in [0, 1].</summary>
    public static ValueRange EarlyStoppingPatienceFraction { get; } = new(0, true, 1, true, Reason: "a fraction of the best epoch; 0 keeps the fixed patience");
    /// <summary>Features per row: at least 1.</summary>
    public static ValueRange InputSize { get; } = ValueRange.IntegerAtLeast(1);
    /// <summary>Units per hidden layer: at least 1.</summary>
    public static ValueRange HiddenSize { get; } = ValueRange.IntegerAtLeast(1, "every hidden layer needs at least 1 unit");
    /// <summary>Raw outputs: at least 1.</summary>
    public static ValueRange OutputSize { get; } = ValueRange.IntegerAtLeast(1);
    /// <summary>LeakyReLU's negative-side slope: finite, ≥ 0.</summary>
    public static ValueRange LeakyReluSlope { get; } = ValueRange.FiniteAtLeast(0);
    /// <summary>Dropout probability in [0, 1) (0 turns dropout off).</summary>
    public static ValueRange DropoutRate { get; } = new(0, true, 1, false);

    /// <summary>Share of the training rows held out for validation when none is given: in [0, 1) (0 turns it off).</summary>
    public static ValueRange ValidationFraction { get; } = new(0, true, 1, false, Reason: "0 turns the validation hold-out off");
    /// <summary>Ensemble members trained in one pass: an integer in [1, 32] (1 turns the ensemble off).</summary>
    public static ValueRange EnsembleSize { get; } = new(1, true, 32, true, IsInteger: true, Reason: "1 turns the ensemble off; each member multiplies the model's size");
    /// <summary>Numerical embedding: frequencies per feature, an integer in [1, 64].</summary>
    public static ValueRange EmbeddingFrequencies { get; } = new(1, true, 64, true, IsInteger: true, Reason: "each frequency adds a cosine and a sine per feature");
    /// <summary>Numerical embedding: output dimensions per feature, an integer in [1, 64].</summary>
    public static ValueRange EmbeddingDimension { get; } = new(1, true, 64, true, IsInteger: true, Reason: "the first hidden layer's input grows by this for every embedded feature");
    /// <summary>Numerical embedding: standard deviation σ of the initial frequencies c ~ N(0, σ²), finite, &gt; 0 and ≤ 100.</summary>
    public static ValueRange EmbeddingSigma { get; } = new(0, false, 100, true, Reason: "σ sets the initial frequencies' scale for standardized inputs (0.01–1 is typical)");
    /// <summary>Categorical embedding: output dimensions per embedded block, an integer in [1, 64].</summary>
    public static ValueRange CategoricalEmbeddingDimension { get; } = new(1, true, 64, true, IsInteger: true, Reason: "each embedded block enters the first hidden layer as this many values");
    /// <summary>Categorical embedding: the fewest levels (slots) a block needs to be embedded, an integer in [2, 1,000,000].</summary>
    public static ValueRange CategoricalEmbeddingMinimumLevels { get; } = new(2, true, 1_000_000, true, IsInteger: true, Reason: "a block with fewer levels passes through one-hot");
    /// <summary>Label smoothing ε of the classification losses: in [0, 1) (0 turns it off; at 1 the target ignores the label).</summary>
    public static ValueRange LabelSmoothing { get; } = new(0, true, 1, false, Reason: "0 turns it off; at 1 the target would ignore the label");
    /// <summary>A class's loss weight: finite, ≥ 0.</summary>
    public static ValueRange ClassWeight { get; } = ValueRange.FiniteAtLeast(0);
    /// <summary>The positive class's loss weight relative to the negative one: finite, &gt; 0.</summary>
    public static ValueRange WeightOfPositiveExamples { get; } = ValueRange.FiniteAbove(0);

    /// <summary>Class weights: each in <see cref="ClassWeight"/>, at least one above 0.</summary>
    /// <param name="weights">The weights, in class order.</param>
    /// <param name="name">The setting's name as the caller knows it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A weight is out of range, or all are 0.</exception>
    public static void CheckClassWeights(IReadOnlyList<float> weights, string name)
    {
        ArgumentNullException.ThrowIfNull(weights);
        for (int i = 0; i < weights.Count; i++)
            if (!ClassWeight.Contains(weights[i]))
                throw new ArgumentOutOfRangeException(name, weights[i], $"{name}[{i}] is {weights[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}; each class weight must be {ClassWeight.Describe()}.");
        if (!weights.Any(v => v > 0))
            throw new ArgumentOutOfRangeException(name, weights.Count, $"{name} needs at least one weight > 0.");
    }

    /// <summary>
    /// The hidden layers chosen for batch normalization: null (every hidden layer), or 0-based indices, each in
    /// [0, <paramref name="hiddenLayers"/> − 1], none twice; not with the placement None (which gives no layer BN).
    /// </summary>
    /// <param name="layers">The indices, or null.</param>
    /// <param name="hiddenLayers">How many hidden layers the network has.</param>
    /// <param name="placementIsNone">Whether the batch-norm placement is None.</param>
    /// <param name="name">The setting's name as the caller knows it.</param>
    /// <param name="placementName">The placement setting's name as the caller knows it.</param>
    /// <exception cref="ArgumentException">An index is out of range or repeated, or the placement is None.</exception>
    public static void CheckBatchNormLayers(IReadOnlyList<int>? layers, int hiddenLayers, bool placementIsNone, string name, string placementName)
    {
        if (layers is null) return;
        if (placementIsNone)
            throw new ArgumentException($"{name} picks the hidden layers that get batch normalization, but {placementName} is None, so none does; " +
                $"set {placementName} to BeforeActivation or AfterActivation, or leave {name} null.", name);
        var range = new ValueRange(0, true, hiddenLayers - 1, true, IsInteger: true,
            Reason: hiddenLayers == 0 ? "the network has no hidden layer" : $"a 0-based index into the {hiddenLayers} hidden layers");
        var seen = new HashSet<int>();
        for (int i = 0; i < layers.Count; i++)
        {
            range.CheckElement(layers[i], name, i);
            if (!seen.Add(layers[i]))
                throw new ArgumentException($"{name}[{i}] is {layers[i]}, which {name} already lists; give each hidden layer at most once.", name);
        }
    }

    /// <summary>
    /// Reduce-on-plateau needs early stopping (it watches the same validation loss). With a fixed early-stopping patience
    /// of at most the plateau's, early stopping ends the run before any reduction (a patience grown by
    /// <c>EarlyStoppingPatienceFraction</c> can still leave room for one).
    /// </summary>
    /// <param name="plateauPatience">The plateau patience (0: off).</param>
    /// <param name="earlyStoppingPatience">The early-stopping patience (0: off).</param>
    /// <param name="plateauName">The plateau setting's name as the caller knows it.</param>
    /// <param name="earlyStoppingName">The early-stopping setting's name as the caller knows it.</param>
    /// <exception cref="ArgumentException">The plateau is on and early stopping is off.</exception>
    public static void CheckPlateau(int plateauPatience, int earlyStoppingPatience, string plateauName, string earlyStoppingName)
    {
        if (plateauPatience > 0 && earlyStoppingPatience == 0)
            throw new ArgumentException(
                $"{plateauName} is {plateauPatience}, which needs early stopping, but {earlyStoppingName} is 0 (off): reduce-on-plateau watches the " +
                $"validation loss with early stopping; set {earlyStoppingName} above {plateauName} (e.g. {Math.Min(int.MaxValue - 1, plateauPatience) + 1}), or {plateauName} to 0.",
                plateauName);
    }

    /// <summary>Fixed reduction epochs: each at least 1, strictly increasing.</summary>
    /// <param name="epochs">The epochs after which the rate is reduced.</param>
    /// <param name="name">The setting's name as the caller knows it.</param>
    /// <exception cref="ArgumentException">An epoch is below 1 or not above the one before it.</exception>
    public static void CheckReductionEpochs(IReadOnlyList<int> epochs, string name)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        for (int i = 0; i < epochs.Count; i++)
        {
            if (epochs[i] < 1)
                throw new ArgumentOutOfRangeException(name, epochs[i], $"{name}[{i}] is {epochs[i]}; each epoch must be at least 1 (epochs count from 1).");
            if (i > 0 && epochs[i] <= epochs[i - 1])
                throw new ArgumentException($"{name}[{i}] is {epochs[i]}, not above {name}[{i - 1}] = {epochs[i - 1]}; list the epochs in strictly increasing order.", name);
        }
    }

    /// <summary>Nesterov momentum needs a momentum above 0.</summary>
    /// <param name="nesterov">Whether Nesterov momentum is asked for.</param>
    /// <param name="momentum">The momentum.</param>
    /// <param name="nesterovName">The Nesterov setting's name as the caller knows it.</param>
    /// <param name="momentumName">The momentum setting's name as the caller knows it.</param>
    /// <exception cref="ArgumentException">Nesterov is on and the momentum is 0.</exception>
    public static void CheckNesterov(bool nesterov, float momentum, string nesterovName, string momentumName)
    {
        if (nesterov && !(momentum > 0))
            throw new ArgumentException(
                $"{nesterovName} needs {momentumName} > 0 (it is {momentum.ToString(System.Globalization.CultureInfo.InvariantCulture)}): Nesterov momentum without momentum is plain SGD.",
                nesterovName);
    }

    /// <summary>Throws when <paramref name="value"/> is not a declared member of <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The enum.</typeparam>
    /// <param name="value">The value given.</param>
    /// <param name="name">The setting's name as the caller knows it.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a member.</exception>
    public static void CheckDefined<T>(T value, string name) where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw new ArgumentOutOfRangeException(name, value,
                $"{name} is {value}, which is not a {typeof(T).Name}; it must be one of {string.Join(", ", Enum.GetNames<T>())}.");
    }
}
