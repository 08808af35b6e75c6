using System.ComponentModel;
using Spectre.Console.Cli;

namespace BnMlNet.Samples.Bench;

/// <summary>Options of <c>bench</c>.</summary>
public sealed class BenchSettings : CommandSettings
{
    /// <summary>fashion-mnist or adult.</summary>
    [CommandOption("--dataset <NAME>"), Description("fashion-mnist (Debian's full copy) or adult (../shared/datasets/adult.txt, against FastTree)")]
    [DefaultValue("fashion-mnist")]
    public string Dataset { get; init; } = "fashion-mnist";

    /// <summary>Hidden widths.</summary>
    [CommandOption("--hidden <SIZES>"), Description("Hidden layer widths, comma-separated")]
    [DefaultValue("256,256")]
    public string Hidden { get; init; } = "256,256";

    /// <summary>Mini-batch size.</summary>
    [CommandOption("--batch-size <N>"), DefaultValue(128)]
    public int BatchSize { get; init; } = 128;

    /// <summary>Epochs.</summary>
    [CommandOption("--epochs <N>"), DefaultValue(3)]
    public int Epochs { get; init; } = 3;

    /// <summary>Training threads.</summary>
    [CommandOption("--threads <N>"), DefaultValue(1)]
    public int Threads { get; init; } = 1;

    /// <summary>Seed.</summary>
    [CommandOption("--seed <N>"), DefaultValue(1)]
    public int Seed { get; init; } = 1;

    /// <summary>Timed single-row calls.</summary>
    [CommandOption("--latency-calls <N>"), DefaultValue(20000)]
    public int LatencyCalls { get; init; } = 20000;

    /// <summary>Also train SdcaMaximumEntropy and the trainer with its defaults (time to 0.89 accuracy).</summary>
    [CommandOption("--sdca"), Description("fashion-mnist: also time SdcaMaximumEntropy and the BN-MLP trainer with its defaults (time to 0.89 test accuracy)")]
    public bool Sdca { get; init; }

    /// <summary>Only measure the training memory of the engine (run in a fresh process).</summary>
    [CommandOption("--memory-probe"), Description("fashion-mnist: only train through the engine API and report peak working set against the expected buffers")]
    public bool MemoryProbe { get; init; }

    /// <summary>With --memory-probe: train with the tabular recipe's data steps (hold-out 0.2, robust scaling, dropout 0.1, early stopping).</summary>
    [CommandOption("--recipe"), Description("with --memory-probe: train with the default recipe's hold-out, robust scaling, dropout and early stopping, the arrays handed to the trainer")]
    public bool Recipe { get; init; }

    /// <summary>Skip the (slow) ML.NET scoring measurements.</summary>
    [CommandOption("--skip-scoring")]
    public bool SkipScoring { get; init; }
}
