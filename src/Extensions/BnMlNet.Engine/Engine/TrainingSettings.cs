namespace BnMlNet.Engine;

/// <summary>
/// Hyperparameters of a training run (a mutable POCO; <see cref="Validate"/> checks it).
/// Weight decay applies to the Dense weights only, never to biases, γ or β.
/// </summary>
public sealed class TrainingSettings
{
    /// <summary>Rows per mini-batch (≥ 1; batch norm needs ≥ 2). A last batch of one row is merged into the one before it. Default 128.</summary>
    public int BatchSize { get; set; } = 128;
    /// <summary>Passes over the training data (≥ 0). Default 10.</summary>
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

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid property.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, object value, string rule)
        {
            if (!ok) throw new ArgumentOutOfRangeException(name, value, $"{name} {rule}.");
        }
        Check(BatchSize >= 2, nameof(BatchSize), BatchSize, "must be at least 2 (batch normalization needs 2 rows to measure a variance)");
        Check(Epochs >= 0, nameof(Epochs), Epochs, "must be non-negative");
        Check(Enum.IsDefined(Optimizer), nameof(Optimizer), Optimizer, "is not a known optimizer");
        Check(float.IsFinite(LearningRate) && LearningRate >= 0, nameof(LearningRate), LearningRate, "must be finite and non-negative");
        Check(Momentum >= 0 && Momentum < 1, nameof(Momentum), Momentum, "must be in [0, 1)");
        Check(!Nesterov || Momentum > 0, nameof(Nesterov), Nesterov, "needs Momentum > 0");
        Check(Beta1 >= 0 && Beta1 < 1, nameof(Beta1), Beta1, "must be in [0, 1)");
        Check(Beta2 >= 0 && Beta2 < 1, nameof(Beta2), Beta2, "must be in [0, 1)");
        Check(float.IsFinite(AdamEpsilon) && AdamEpsilon > 0, nameof(AdamEpsilon), AdamEpsilon, "must be positive");
        Check(float.IsFinite(WeightDecay) && WeightDecay >= 0, nameof(WeightDecay), WeightDecay, "must be finite and non-negative");
        Check(Enum.IsDefined(Schedule), nameof(Schedule), Schedule, "is not a known schedule");
        Check(StepSizeEpochs >= 1, nameof(StepSizeEpochs), StepSizeEpochs, "must be at least 1");
        Check(StepGamma > 0 && StepGamma <= 1, nameof(StepGamma), StepGamma, "must be in (0, 1]");
        Check(OneCycleWarmupFraction > 0 && OneCycleWarmupFraction < 1, nameof(OneCycleWarmupFraction), OneCycleWarmupFraction, "must be in (0, 1)");
        Check(float.IsFinite(OneCycleInitialDivisor) && OneCycleInitialDivisor >= 1, nameof(OneCycleInitialDivisor), OneCycleInitialDivisor, "must be at least 1");
        Check(float.IsFinite(OneCycleFinalDivisor) && OneCycleFinalDivisor >= 1, nameof(OneCycleFinalDivisor), OneCycleFinalDivisor, "must be at least 1");
        Check(float.IsFinite(GradientClipNorm) && GradientClipNorm >= 0, nameof(GradientClipNorm), GradientClipNorm, "must be finite and non-negative");
        Check(BatchNormMomentum > 0 && BatchNormMomentum <= 1, nameof(BatchNormMomentum), BatchNormMomentum, "must be in (0, 1]");
        Check(float.IsFinite(BatchNormEpsilon) && BatchNormEpsilon > 0, nameof(BatchNormEpsilon), BatchNormEpsilon, "must be positive");
        Check(Enum.IsDefined(RunningStatistics), nameof(RunningStatistics), RunningStatistics, "is not a known mode");
        Check(Threads >= 1, nameof(Threads), Threads, "must be at least 1");
        Check(EarlyStoppingPatience >= 0, nameof(EarlyStoppingPatience), EarlyStoppingPatience, "must be non-negative");
        Check(float.IsFinite(EarlyStoppingMinDelta) && EarlyStoppingMinDelta >= 0, nameof(EarlyStoppingMinDelta), EarlyStoppingMinDelta, "must be finite and non-negative");
    }

    /// <summary>A copy (so a run is not affected by later changes).</summary>
    internal TrainingSettings Clone() => (TrainingSettings)MemberwiseClone();
}
