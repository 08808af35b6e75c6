using BnMlNet.Engine;

namespace BnMlNet.MlNet.Trainers;

/// <summary>
/// The automatic thread count (<see cref="BatchNormMlpOptionsBase.NumberOfThreads"/> = null): one per core when a
/// training step is large enough to gain from threads, else 1. A step's size is the batch times the dense weights of
/// one forward pass (times the ensemble's members). Measured with <c>bench threads</c> on the development suite and with
/// <c>bench --dataset fashion-mnist</c> (docs/performance.md): every default-recipe table, at 0.4–11.6 M multiply-adds
/// per step, trained slower on 2 threads than on 1; Fashion-MNIST's 784-256-256-10 at batch 128 (34 M) trained 1.5×
/// faster. docs/performance/threads.md profiles the 2-thread step at the recipe's shapes: with the fused block split
/// across threads too, the serial rest of a step bounds the ratio at 1.34–1.69× (free synchronization assumed), so the
/// crossover stays here until a quiet re-run of <c>bench threads</c> shows 2 threads faster below it. The thread count
/// never changes the model: training is bit-identical whatever the count.
/// </summary>
internal static class AutoThreads
{
    /// <summary>Multiply-adds per training step from which the automatic count uses every core.</summary>
    public const long MinimumStepMultiplyAdds = 16L * 1024 * 1024;

    /// <summary>The thread count for <paramref name="spec"/> at <paramref name="batchSize"/> on <paramref name="cores"/> cores.</summary>
    public static int For(NetworkSpec spec, int batchSize, int cores) =>
        cores <= 1 || StepMultiplyAdds(spec, batchSize) < MinimumStepMultiplyAdds ? 1 : cores;

    /// <summary>The batch times the dense weights of one forward pass (all members of an ensemble).</summary>
    public static long StepMultiplyAdds(NetworkSpec spec, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(spec);
        long weights = 0;
        int previous = spec.InputSize;
        foreach (int width in spec.HiddenSizes)
        {
            weights += (long)previous * width;
            previous = width;
        }
        weights += (long)previous * spec.OutputSize;
        return weights * Math.Max(1, spec.EnsembleSize) * batchSize;
    }
}
