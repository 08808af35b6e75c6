using System.Diagnostics;
using BnMlNet.Engine;

namespace BnMlNet.Samples.Experiments;

/// <summary>The outcome of one training run, scored on the test rows (and, when asked, on the training rows).</summary>
/// <param name="Diverged">The loss or a parameter became NaN or infinite; no model.</param>
/// <param name="TestLoss">Test cross-entropy (frozen statistics).</param>
/// <param name="TestAccuracy">Test accuracy (frozen statistics).</param>
/// <param name="TrainLoss">Training-set cross-entropy in inference mode, or NaN when not asked.</param>
/// <param name="TrainAccuracy">Training-set accuracy in inference mode, or NaN when not asked.</param>
/// <param name="LastEpochLoss">Mean train-mode loss of the last epoch, as seen during training.</param>
/// <param name="Seconds">Wall-clock seconds.</param>
public sealed record RunOutcome(bool Diverged, double TestLoss, double TestAccuracy, double TrainLoss, double TrainAccuracy,
    double LastEpochLoss, double Seconds)
{
    /// <summary>Accuracy as the tables show it: 4 decimals, or "diverged".</summary>
    public string AccuracyText => Diverged ? "diverged" : Format.Fixed(TestAccuracy, 4);
}

/// <summary>One BN-MLP training run on Fashion-MNIST through the engine's public API.</summary>
public static class TrainingRun
{
    /// <summary>Trains <paramref name="spec"/> with <paramref name="settings"/> on <paramref name="train"/> and scores it.</summary>
    public static RunOutcome Run(NetworkSpec spec, TrainingSettings settings, Split train, Split test, bool scoreTrainingSet = false)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var result = new NetworkTrainer(spec, LossKind.SoftmaxCrossEntropy, settings).Train(train.Dataset);
            var (testLoss, testAccuracy) = Metrics.Evaluate(result.Network, test);
            var (trainLoss, trainAccuracy) = scoreTrainingSet ? Metrics.Evaluate(result.Network, train) : (double.NaN, double.NaN);
            double last = result.History.Count > 0 ? result.History[^1].TrainLoss : double.NaN;
            return new RunOutcome(false, testLoss, testAccuracy, trainLoss, trainAccuracy, last, clock.Elapsed.TotalSeconds);
        }
        catch (TrainingDivergedException)
        {
            return new RunOutcome(true, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>
    /// A Fashion-MNIST network: 784 inputs, the given hidden widths, 10 classes; with <paramref name="batchNorm"/> BN before the
    /// activation of every hidden layer (the seed article's network, whose claims experiments 1–6 measure): the engine's
    /// <see cref="NetworkSpec.BatchNormLayers"/> = null, set here explicitly (the tabular recipe's last-layer-only default,
    /// round 12, is the ML.NET trainer's, not the engine's).
    /// </summary>
    public static NetworkSpec Spec(IReadOnlyList<int> hidden, Activation activation, bool batchNorm) =>
        new(784, hidden, 10, activation, batchNorm ? BatchNormPlacement.BeforeActivation : BatchNormPlacement.None) { BatchNormLayers = null };

    /// <summary>Settings with one engine thread (parallelism comes from running several runs at once).</summary>
    public static TrainingSettings Settings(OptimizerKind optimizer, float learningRate, int batchSize, int epochs, int seed,
        float momentum = 0f) => new()
    {
        Optimizer = optimizer,
        LearningRate = learningRate,
        Momentum = momentum,
        BatchSize = batchSize,
        Epochs = epochs,
        Seed = seed,
        Threads = 1,
    };
}

/// <summary>Runs independent jobs on a fixed number of workers and returns their results in job order.</summary>
public static class ParallelRuns
{
    /// <summary>Runs <paramref name="jobs"/> on up to <paramref name="threads"/> threads; results keep the jobs' order.</summary>
    public static T[] Run<T>(IReadOnlyList<Func<T>> jobs, int threads)
    {
        var results = new T[jobs.Count];
        Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, i => results[i] = jobs[i]());
        return results;
    }
}
