namespace BnMlNet.Engine.Optimizers;

/// <summary>The learning rate at each optimizer step (0-based), for a run of <c>totalSteps</c> steps.</summary>
internal sealed class LearningRateScheduler(
    LearningRateSchedule schedule, float baseRate, int stepsPerEpoch, long totalSteps,
    int stepSizeEpochs, float stepGamma, float oneCycleWarmupFraction, float oneCycleInitialDivisor, float oneCycleFinalDivisor)
{
    /// <summary>
    /// Constant: lr. Step: lr·γ^⌊epoch/StepSizeEpochs⌋. Cosine: lr·(1 + cos(π·t/T))/2.
    /// OneCycle (torch.optim.lr_scheduler.OneCycleLR with cosine annealing): from lr/InitialDivisor up to lr over the
    /// first WarmupFraction·T steps, then down to lr/(InitialDivisor·FinalDivisor) at step T − 1.
    /// StableDecay: lr up to step D = ⌊T·(1 − <see cref="StableDecayFraction"/>)⌋, then lr·(T − t)/(T − D), which reaches
    /// lr/(T − D) at step T − 1.
    /// Steps past the end keep the last value.
    /// </summary>
    public float RateAt(long step)
    {
        long total = Math.Max(1, totalSteps);
        long t = Math.Clamp(step, 0, total - 1);
        switch (schedule)
        {
            case LearningRateSchedule.Constant:
                return baseRate;
            case LearningRateSchedule.Step:
                long epoch = t / Math.Max(1, stepsPerEpoch);
                return (float)(baseRate * Math.Pow(stepGamma, epoch / Math.Max(1, stepSizeEpochs)));
            case LearningRateSchedule.Cosine:
                return (float)(baseRate * 0.5 * (1.0 + Math.Cos(Math.PI * t / total)));
            case LearningRateSchedule.OneCycle:
                double initial = baseRate / oneCycleInitialDivisor;
                double final = initial / oneCycleFinalDivisor;
                double warmEnd = Math.Max(1.0, oneCycleWarmupFraction * total) - 1.0;  // last step of the warm-up
                double end = total - 1.0;
                if (t <= warmEnd)
                    return (float)CosineAnneal(initial, baseRate, warmEnd <= 0 ? 1.0 : t / warmEnd);
                return (float)CosineAnneal(baseRate, final, end <= warmEnd ? 1.0 : (t - warmEnd) / (end - warmEnd));
            case LearningRateSchedule.StableDecay:
                long decayStart = (long)Math.Floor(total * (1.0 - StableDecayFraction));
                return t < decayStart ? baseRate : (float)(baseRate * (double)(total - t) / (total - decayStart));
            default:
                throw new ArgumentOutOfRangeException(nameof(schedule));
        }
    }

    /// <summary>The share of the steps over which <see cref="LearningRateSchedule.StableDecay"/> decays: the last quarter.</summary>
    public const double StableDecayFraction = 0.25;

    /// <summary>end + (start − end)·(1 + cos(π·f))/2, going from start (f = 0) to end (f = 1).</summary>
    private static double CosineAnneal(double start, double end, double fraction)
        => end + (start - end) * 0.5 * (1.0 + Math.Cos(Math.PI * fraction));
}
