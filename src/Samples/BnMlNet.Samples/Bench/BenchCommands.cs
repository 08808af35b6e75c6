using BnMlNet.Samples.Bench.Tabular;
using Spectre.Console.Cli;

namespace BnMlNet.Samples.Bench;

/// <summary>The <c>bench</c> branch: <c>bench</c> itself (throughput, scoring, memory), <c>bench tabular</c>, <c>bench ablation-summary</c> and <c>bench threads</c>.</summary>
public static class BenchCommands
{
    /// <summary>Registers <c>bench</c> (the branch's default command) and its subcommands <c>tabular</c>, <c>ablation-summary</c> and <c>threads</c>.</summary>
    public static void Configure(IConfigurator<CommandSettings> bench)
    {
        ArgumentNullException.ThrowIfNull(bench);
        bench.SetDescription("Performance measurements as key=value lines (docs/performance.md; bench/run_all.sh compares them with PyTorch); " +
            "'bench tabular' is the accuracy bench on real tables.");
        bench.SetDefaultCommand<BenchCommand>();
        // The default command's options (--dataset, --hidden, --batch-size, --epochs, --threads, --seed, --latency-calls,
        // --sdca, --memory-probe, --skip-scoring) do not show in the branch's help, so the examples carry them.
        bench.AddExample("bench", "--dataset", "fashion-mnist", "--hidden", "256,256", "--batch-size", "128", "--epochs", "3", "--threads", "1");
        bench.AddExample("bench", "--dataset", "adult", "--latency-calls", "20000", "--skip-scoring");
        bench.AddCommand<TabularBenchCommand>("tabular")
            .WithDescription("The BN-MLP on its defaults against LightGbm, FastTree and SDCA on real tables: report.md with a plot (docs/tabular).")
            .WithExample("bench", "tabular", "--quick", "--out", "output/tabular")
            .WithExample("bench", "tabular", "--datasets", "arrests,chile_vote", "--ablate");
        bench.AddCommand<AblationSummaryCommand>("ablation-summary")
            .WithDescription("Several seeds of 'bench tabular --ablate' summarized per ablation and per dataset: ablation-summary.md with a plot (docs/tabular/ablation.md).")
            .WithExample("bench", "ablation-summary", "--runs", "out/seed42,out/seed1", "--out", "out");
        bench.AddCommand<ThreadScalingCommand>("threads")
            .WithDescription("The default recipe's training speed-up from 1 thread to --threads on real tables, interleaved rounds, bit-identity checked.")
            .WithExample("bench", "threads", "--rounds", "3", "--threads", "2");
    }
}
