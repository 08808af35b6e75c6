namespace BnMlNet.Engine;

/// <summary>
/// Hyperparameters of a training run (a mutable POCO; <see cref="Validate"/> checks it).
/// Weight decay applies to the Dense weights only, never to biases, γ or β; γ has its own, <see cref="BatchNormGammaWeightDecay"/> (default 0).
/// </summary>
public sealed partial class TrainingSettings
{
    /// <summary>Rows per mini-batch (≥ 2: batch norm needs 2 rows for a variance). A last batch of one row is merged into the one before it. Default 128.</summary>
    public int BatchSize { get; set; } = 128;
    /// <summary>Passes over the training data (≥ 1). Default 10.</summary>
    public int Epochs { get; set; } = 10;
    /// <summary>The update rule. Default <see cref="OptimizerKind.Adam"/>.</summary>
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adam;
    /// <summary>Base learning rate (finite, ≥ 0; 0 trains nothing but still collects batch-norm statistics). Default 1e−3.</summary>
    public float LearningRate { get; set; } = 1e-3f;
    /// <summary>SGD momentum μ in [0, 1). Default 0.9.</summary>
    public float Momentum { get; set; } = 0.9f;
    /// <summary>SGD: Nesterov momentum (needs Momentum &gt; 0). Default false.</summary>
    public bool Nesterov { get; set; }
    /// <summary>Adam β₁ in [0, 1). Default 0.9.</summary>
    public float Beta1 { get; set; } = 0.9f;
    /// <summary>Adam β₂ in [0, 1). Default 0.999.</summary>
    public float Beta2 { get; set; } = 0.999f;
    /// <summary>Adam ε (&gt; 0). Default 1e−8.</summary>
    public float AdamEpsilon { get; set; } = 1e-8f;
    /// <summary>
    /// Weight decay λ ≥ 0, on Dense weights only (not biases, γ or β): L2 added to the gradient for SGD and Adam,
    /// decoupled for AdamW. Default 0.
    /// </summary>
    public float WeightDecay { get; set; }
    /// <summary>
    /// Weight decay λ_γ ≥ 0 on every batch norm's γ (input and hidden; never β), pulling γ toward 0, in the convention of
    /// <see cref="WeightDecay"/>: L2 added to γ's gradient for SGD and Adam, decoupled (γ ← γ·(1 − lr·λ_γ)) for AdamW.
    /// Independent of <see cref="WeightDecay"/>. Default 0 (γ undecayed, as before this setting).
    /// </summary>
    public float BatchNormGammaWeightDecay { get; set; }
    /// <summary>Learning-rate schedule, evaluated every step. Default <see cref="LearningRateSchedule.Constant"/>.</summary>
    public LearningRateSchedule Schedule { get; set; } = LearningRateSchedule.Constant;
    /// <summary>Step schedule: epochs between decays (≥ 1). Default 10.</summary>
    public int StepSizeEpochs { get; set; } = 10;
    /// <summary>Step schedule: the decay factor γ in (0, 1]. Default 0.1.</summary>
    public float StepGamma { get; set; } = 0.1f;
    /// <summary>One-cycle: fraction of all steps spent warming up, in (0, 1). Default 0.3 (as PyTorch's OneCycleLR).</summary>
    public float OneCycleWarmupFraction { get; set; } = 0.3f;
    /// <summary>One-cycle: the first rate is LearningRate / this (≥ 1). Default 25 (PyTorch's div_factor).</summary>
    public float OneCycleInitialDivisor { get; set; } = 25f;
    /// <summary>One-cycle: the last rate is the first rate / this (≥ 1). Default 1e4 (PyTorch's final_div_factor).</summary>
    public float OneCycleFinalDivisor { get; set; } = 1e4f;
    /// <summary>
    /// The optimizer steps a run plans (≥ 0; 0, the default, turns the budget off): the run is at most
    /// min(<see cref="Epochs"/>, max(1, ⌈StepBudget / steps per epoch⌉)) epochs
    /// (<see cref="TrainingSession.PlannedEpochs"/>), and the learning-rate schedule spans exactly those epochs, so a
    /// table with many steps per epoch gets fewer epochs, and a decaying schedule reaches its end within them.
    /// </summary>
    public int StepBudget { get; set; }
    /// <summary>
    /// The epochs a run on <paramref name="rowsTrainedOn"/> rows plans (<see cref="TrainingSession.PlannedEpochs"/>):
    /// <see cref="Epochs"/>, capped by <see cref="StepBudget"/> when that is above 0.
    /// </summary>
    public int PlannedEpochs(long rowsTrainedOn) =>
        TrainingSession.PlanEpochs(Epochs, StepBudget, TrainingSession.CountSteps(rowsTrainedOn, BatchSize));
    /// <summary>Maximum global gradient norm; 0 turns clipping off. Default 0.</summary>
    public float GradientClipNorm { get; set; }
    /// <summary>Running-statistics momentum m in (0, 1]: running = (1 − m)·running + m·batch (PyTorch). Default 0.1.</summary>
    public float BatchNormMomentum { get; set; } = 0.1f;
    /// <summary>ε in x̂ = (x − μ)/√(σ² + ε) (&gt; 0). Default 1e−5.</summary>
    public float BatchNormEpsilon { get; set; } = 1e-5f;
    /// <summary>How inference statistics are obtained. Default <see cref="RunningStatisticsMode.ExponentialMovingAverage"/>.</summary>
    public RunningStatisticsMode RunningStatistics { get; set; } = RunningStatisticsMode.ExponentialMovingAverage;
    /// <summary>Shuffle the rows every epoch (from <see cref="Seed"/>). Default true.</summary>
    public bool Shuffle { get; set; } = true;
    /// <summary>Seed of initialization, shuffling and dropout. Same seed and data give a bit-identical model. Default 0.</summary>
    public int Seed { get; set; }
    /// <summary>Threads for the matrix products (≥ 1); results do not depend on it. Default 1.</summary>
    public int Threads { get; set; } = 1;
    /// <summary>Epochs without a validation-loss improvement before stopping; 0 turns early stopping off. Needs a validation set. Default 0.</summary>
    public int EarlyStoppingPatience { get; set; }
    /// <summary>An improvement must lower the validation loss by more than this (≥ 0). Default 0.</summary>
    public float EarlyStoppingMinDelta { get; set; }
    /// <summary>With early stopping on, return the model of the best epoch rather than the last. Default true.</summary>
    public bool RestoreBestModel { get; set; } = true;

    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> (<see cref="ArgumentException"/> for Nesterov without momentum)
    /// naming the first invalid property and its allowed range, as written in <see cref="SettingRules"/>.
    /// </summary>
    public void Validate()
    {
        SettingRules.BatchSize.Check(BatchSize, nameof(BatchSize));
        SettingRules.Epochs.Check(Epochs, nameof(Epochs));
        SettingRules.CheckDefined(Optimizer, nameof(Optimizer));
        SettingRules.LearningRate.Check(LearningRate, nameof(LearningRate));
        SettingRules.Momentum.Check(Momentum, nameof(Momentum));
        SettingRules.CheckNesterov(Nesterov, Momentum, nameof(Nesterov), nameof(Momentum));
        SettingRules.Beta1.Check(Beta1, nameof(Beta1));
        SettingRules.Beta2.Check(Beta2, nameof(Beta2));
        SettingRules.AdamEpsilon.Check(AdamEpsilon, nameof(AdamEpsilon));
        SettingRules.WeightDecay.Check(WeightDecay, nameof(WeightDecay));
        SettingRules.BatchNormGammaWeightDecay.Check(BatchNormGammaWeightDecay, nameof(BatchNormGammaWeightDecay));
        SettingRules.CheckDefined(Schedule, nameof(Schedule));
        SettingRules.StepEpochs.Check(StepSizeEpochs, nameof(StepSizeEpochs));
        SettingRules.StepFactor.Check(StepGamma, nameof(StepGamma));
        SettingRules.OneCycleWarmupFraction.Check(OneCycleWarmupFraction, nameof(OneCycleWarmupFraction));
        SettingRules.OneCycleInitialDivisor.Check(OneCycleInitialDivisor, nameof(OneCycleInitialDivisor));
        SettingRules.OneCycleFinalDivisor.Check(OneCycleFinalDivisor, nameof(OneCycleFinalDivisor));
        SettingRules.StepBudget.Check(StepBudget, nameof(StepBudget));
        SettingRules.GradientClipNorm.Check(GradientClipNorm, nameof(GradientClipNorm));
        SettingRules.BatchNormMomentum.Check(BatchNormMomentum, nameof(BatchNormMomentum));
        SettingRules.BatchNormEpsilon.Check(BatchNormEpsilon, nameof(BatchNormEpsilon));
        SettingRules.CheckDefined(RunningStatistics, nameof(RunningStatistics));
        SettingRules.Threads.Check(Threads, nameof(Threads));
        SettingRules.EarlyStoppingPatience.Check(EarlyStoppingPatience, nameof(EarlyStoppingPatience));
        SettingRules.EarlyStoppingMinDelta.Check(EarlyStoppingMinDelta, nameof(EarlyStoppingMinDelta));
        ValidateRecipe();
        ValidatePlateau();
    }

    /// <summary>A copy (so a run is not affected by later changes; the reduction epochs are copied too).</summary>
    internal TrainingSettings Clone()
    {
        var copy = (TrainingSettings)MemberwiseClone();
        if (LearningRateReductionEpochs is { } epochs) copy.LearningRateReductionEpochs = epochs.ToArray();
        return copy;
    }
}
