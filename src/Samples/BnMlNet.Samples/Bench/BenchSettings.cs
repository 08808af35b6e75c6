using System.ComponentModel;
using BnMlNet.Samples.Cli;
using Spectre.Console.Cli;

namespace BnMlNet.Samples.Bench;

/// <summary>Options of <c>bench</c>.</summary>
public sealed class BenchSettings : CommandSettings
{
    /// <summary>fashion-mnist or adult.</summary>
    [CommandOption("--dataset <NAME>"), Description("fashion-mnist (Debian's full copy) or adult (../shared/datasets/adult.txt, against FastTree)")]
    [DefaultValue("fashion-mnist")]
    public string Dataset { get; init; } = "fashion-mnist";

    /// <summary>Hidden widths; null = the dataset's default (fashion-mnist 256,256; adult the trainer's default).</summary>
    [CommandOption("--hidden <SIZES>"), Description("Hidden layer widths, comma-separated (default: fashion-mnist 256,256; adult the trainer's default)")]
    public string? Hidden { get; init; }

    /// <summary>Mini-batch size; null = the dataset's default (fashion-mnist 128; adult the trainer's default).</summary>
    [CommandOption("--batch-size <N>"), Description("Mini-batch size (default: fashion-mnist 128; adult the trainer's default)")]
    public int? BatchSize { get; init; }

    /// <summary>Epochs; null = the dataset's default (fashion-mnist 3; adult the trainer's default, with early stopping).</summary>
    [CommandOption("--epochs <N>"), Description("Epochs (default: fashion-mnist 3; adult the trainer's default, with early stopping)")]
    public int? Epochs { get; init; }

    /// <summary>The Fashion-MNIST bench's fixed shape (comparable with bench/pytorch_bench.py) where no option overrides it.</summary>
    public (int[] Hidden, int BatchSize, int Epochs) FashionMnistShape() =>
        (Hidden is null ? [256, 256] : HiddenSizes.Parse(Hidden), BatchSize ?? 128, Epochs ?? 3);

    /// <summary>Training threads.</summary>
    [CommandOption("--threads <N>"), DefaultValue(1)]
    public int Threads { get; init; } = 1;

    /// <summary>Seed.</summary>
    [CommandOption("--seed <N>"), DefaultValue(1)]
    public int Seed { get; init; } = 1;

    /// <summary>Timed single-row calls.</summary>
    [CommandOption("--latency-calls <N>"), DefaultValue(20000)]
    public int LatencyCalls { get; init; } = 20000;

    /// <summary>adult: rounds of interleaved BN-MLP / FastTree scoring measurements (0 = none).</summary>
    [CommandOption("--rounds <N>"), Description("adult: rounds timing the BN-MLP's and FastTree's scoring back to back; prints the median per-round ratios (0 = skip)")]
    [DefaultValue(7)]
    public int Rounds { get; init; } = 7;

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
