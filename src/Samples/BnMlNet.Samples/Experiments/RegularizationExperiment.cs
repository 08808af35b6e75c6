using System.Diagnostics;
using System.Globalization;
using BnMlNet.Engine;

namespace BnMlNet.Samples.Experiments;

/// <summary>One epoch of a regularization run, scored in inference mode.</summary>
public sealed record FitPoint(int Epoch, double TrainLoss, double TestLoss, double TrainAccuracy, double TestAccuracy);

/// <summary>Experiment 4: the train−test gap in loss and accuracy, with and without BN, over several batch sizes.</summary>
public static class RegularizationExperiment
{
    /// <summary>The plots.</summary>
    public const string PlotFile = "exp4-regularization.png", TrajectoryPlot = "exp4-test-vs-train-loss.png";
    private static readonly int[] Hidden = [256, 256];
    private const float Rate = 1e-3f;

    /// <summary>Trains on a small training sample so that the networks overfit, then compares train and test.</summary>
    public static ExperimentSection Run(ExperimentContext ctx)
    {
        var clock = Stopwatch.StartNew();
        var s = ctx.Scale;
        var train = ctx.Data.Train.Sample(s.RegularizationRows, ctx.Seed + 1);
        var batches = s.RegularizationBatchSizes;
        var grid = (from b in batches from bn in new[] { true, false } select (b, bn)).ToList();
        var jobs = grid.Select(g => (Func<List<FitPoint>>)(() =>
        {
            var curve = Trace(g.b, g.bn, s.RegularizationEpochs, ctx.Seed, train, ctx.Data.Test);
            ctx.Progress($"exp 4  batch {g.b,5} {(g.bn ? "BN   " : "no BN")}  train/test loss {curve[^1].TrainLoss:F3}/{curve[^1].TestLoss:F3}");
            return curve;
        })).ToList();
        var results = ParallelRuns.Run(jobs, ctx.Threads);
        List<FitPoint> Get(int b, bool bn) => results[grid.IndexOf((b, bn))];

        var table = new ResultTable($"Train (inference mode, {train.Rows:N0} rows) vs test ({ctx.Data.Test.Rows:N0} rows) after {s.RegularizationEpochs} epochs",
            "batch size", "variant", "train loss", "test loss", "loss gap", "train accuracy", "test accuracy", "accuracy gap");
        foreach (var (b, bn) in grid)
        {
            var o = Get(b, bn)[^1];
            table.Add(b.ToString(CultureInfo.InvariantCulture), bn ? "BN" : "no BN", Format.Fixed(o.TrainLoss, 4), Format.Fixed(o.TestLoss, 4),
                Format.Fixed(o.TestLoss - o.TrainLoss, 4), Format.Fixed(o.TrainAccuracy, 4), Format.Fixed(o.TestAccuracy, 4),
                Format.Fixed(o.TrainAccuracy - o.TestAccuracy, 4));
        }

        // At matched fit: the test loss when the training loss first falls to a level every run reaches.
        double level = results.Max(c => c.Min(p => p.TrainLoss));
        var matched = new ResultTable($"At matched fit: test loss and accuracy at the first epoch whose train loss is ≤ {Format.Fixed(level, 3)} (the lowest level every run reaches)",
            "batch size", "BN epoch", "BN test loss", "BN test accuracy", "no-BN epoch", "no-BN test loss", "no-BN test accuracy");
        int lowerAtMatch = 0;
        foreach (int b in batches)
        {
            var x = Get(b, true).First(p => p.TrainLoss <= level);
            var y = Get(b, false).First(p => p.TrainLoss <= level);
            if (x.TestLoss < y.TestLoss) lowerAtMatch++;
            matched.Add(b.ToString(CultureInfo.InvariantCulture), x.Epoch.ToString(CultureInfo.InvariantCulture), Format.Fixed(x.TestLoss, 4), Format.Fixed(x.TestAccuracy, 4),
                y.Epoch.ToString(CultureInfo.InvariantCulture), Format.Fixed(y.TestLoss, 4), Format.Fixed(y.TestAccuracy, 4));
        }

        var plots = new List<string>();
        var gap = ExperimentPlots.Create($"Generalization gap after {s.RegularizationEpochs} epochs vs batch size ({train.Rows:N0} training rows)",
            "batch size (log scale)", "test loss − train loss");
        double[] xs = batches.Select(b => Math.Log2(b)).ToArray();
        ExperimentPlots.Line(gap, xs, batches.Select(b => LossGap(Get(b, true)[^1])).ToArray(), "loss gap, BN", ExperimentPlots.Palette[0]);
        ExperimentPlots.Line(gap, xs, batches.Select(b => LossGap(Get(b, false)[^1])).ToArray(), "loss gap, no BN", ExperimentPlots.Palette[2], dashed: true);
        ExperimentPlots.XTicks(gap, xs, batches.Select(b => b.ToString(CultureInfo.InvariantCulture)).ToArray());
        plots.Add(ExperimentPlots.Save(gap, ctx.Folder, PlotFile, ctx.Force, ScottPlot.Alignment.UpperLeft));

        var path = ExperimentPlots.Create($"Test loss vs train loss, one point per epoch (runs go right to left; batch {batches[0]} and {batches[^1]})",
            "train loss (inference mode)", "test loss");
        foreach (var (b, color) in new[] { (batches[0], 0), (batches[^1], 2) }.Distinct())
        {
            foreach (bool bn in new[] { true, false })
            {
                var c = Get(b, bn);
                ExperimentPlots.Line(path, c.Select(p => p.TrainLoss).ToArray(), c.Select(p => p.TestLoss).ToArray(),
                    $"batch {b} {(bn ? "BN" : "no BN")}", ExperimentPlots.Palette[color], dashed: !bn, markerSize: 4);
            }
        }
        plots.Add(ExperimentPlots.Save(path, ctx.Folder, TrajectoryPlot, ctx.Force, ScottPlot.Alignment.UpperRight));

        int n = batches.Count;
        int smallerLossGap = batches.Count(b => LossGap(Get(b, true)[^1]) < LossGap(Get(b, false)[^1]));
        int smallerAccGap = batches.Count(b => AccGap(Get(b, true)[^1]) < AccGap(Get(b, false)[^1]));
        int betterTest = batches.Count(b => Get(b, true)[^1].TestAccuracy > Get(b, false)[^1].TestAccuracy);
        int smallest = batches[0], largest = batches[^1];
        string how = smallerLossGap == n && smallerAccGap == n ? "holds at every batch size"
            : smallerLossGap * 2 > n || smallerAccGap * 2 > n ? "holds only partly"
            : "does not hold here";
        string verdict = $"Judged by the final train−test gap, the regularization claim {how}: BN's loss gap is smaller at {smallerLossGap} of {n} batch sizes " +
            $"and its accuracy gap at {smallerAccGap} of {n}, while BN's final test accuracy is higher at {betterTest} of {n}. BN's loss gap goes from " +
            $"{Format.Fixed(LossGap(Get(smallest, true)[^1]), 3)} at batch {smallest} to {Format.Fixed(LossGap(Get(largest, true)[^1]), 3)} at batch {largest} " +
            $"(no BN: {Format.Fixed(LossGap(Get(smallest, false)[^1]), 3)} to {Format.Fixed(LossGap(Get(largest, false)[^1]), 3)}). " +
            $"BN fits the training rows faster, which widens a final gap by itself; at matched fit (train loss ≤ {Format.Fixed(level, 3)}) BN's test loss is " +
            $"lower at {lowerAtMatch} of {n} batch sizes, so {(lowerAtMatch * 2 > n ? "there BN generalizes better from the same fit, consistent with a mild regularizing effect" : "BN shows no regularizing effect there either")}. " +
            "Caveat: at a fixed number of epochs a smaller batch also means more steps, so the batch size changes how far each network fits, " +
            "not only the noise of BN's statistics; the BN vs no-BN comparison at equal batch size is the fair one.";
        return new ExperimentSection(4, "Regularization: the train−test gap",
            "The batch mean and variance are noisy estimates, and that noise regularizes a little, somewhat like dropout.",
            $"784-256-256-10 ReLU, Adam lr {Format.Rate(Rate)}, {s.RegularizationEpochs} epochs on a seeded sample of {train.Rows:N0} training rows " +
            $"(small, so that the networks overfit), batch sizes {string.Join(", ", batches)}, seed {ctx.Seed}; no dropout or weight decay. " +
            "Train loss and accuracy are measured after every epoch in inference mode (frozen statistics) on those training rows, like the test ones.",
            [table, matched], plots, verdict, clock.Elapsed.TotalSeconds,
            batches.SelectMany(b => new[]
            {
                new Effect($"batch {b}: final loss gap (test − train)", LossGap(Get(b, true)[^1]), LossGap(Get(b, false)[^1]), LowerSupportsClaim: true),
                new Effect($"batch {b}: final accuracy gap (train − test)", AccGap(Get(b, true)[^1]), AccGap(Get(b, false)[^1]), LowerSupportsClaim: true),
            }).ToList());
    }

    private static List<FitPoint> Trace(int batchSize, bool batchNorm, int epochs, int seed, Split train, Split test)
    {
        var settings = TrainingRun.Settings(OptimizerKind.Adam, Rate, batchSize, epochs, seed);
        var session = new NetworkTrainer(TrainingRun.Spec(Hidden, Activation.Relu, batchNorm), LossKind.SoftmaxCrossEntropy, settings)
            .CreateSession(train.Dataset);
        var curve = new List<FitPoint>();
        for (int e = 1; e <= epochs; e++)
        {
            session.RunEpoch();
            var net = session.Snapshot();
            var (trainLoss, trainAcc) = Metrics.Evaluate(net, train);
            var (testLoss, testAcc) = Metrics.Evaluate(net, test);
            curve.Add(new FitPoint(e, trainLoss, testLoss, trainAcc, testAcc));
        }
        return curve;
    }

    private static double LossGap(FitPoint p) => p.TestLoss - p.TrainLoss;
    private static double AccGap(FitPoint p) => p.TrainAccuracy - p.TestAccuracy;
}
