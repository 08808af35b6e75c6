using BnMlNet.Samples.Cli;
using BnMlNet.Samples.Commands;
using Spectre.Console;

namespace BnMlNet.Samples.Bench;

/// <summary>
/// <c>bench</c>: end-to-end throughput, accuracy, scoring speed, allocations and memory, one <c>key=value</c> per
/// line (docs/performance.md; bench/run_all.sh compares them with PyTorch's side).
/// </summary>
public sealed class BenchCommand(IAnsiConsole console) : AppCommand<BenchSettings>(console)
{
    /// <inheritdoc />
    protected override int Run(BenchSettings settings, CancellationToken cancellationToken)
    {
        int[]? hidden = settings.Hidden is null ? null : HiddenSizes.Parse(settings.Hidden);
        if (settings.BatchSize < 2) throw new UserInputException("--batch-size must be at least 2.");
        if (settings.Epochs < 1) throw new UserInputException("--epochs must be at least 1.");
        if (settings.Threads < 1) throw new UserInputException("--threads must be at least 1.");
        if (settings.Rounds < 0) throw new UserInputException("--rounds must be 0 or more.");
        var output = new BenchOutput(Console);
        output.Put("dataset", settings.Dataset);
        output.Put("processor_count", Environment.ProcessorCount, "F0");
        output.Put("avx512", System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? "true" : "false");
        switch (settings.Dataset.ToLowerInvariant())
        {
            case "fashion-mnist":
                if (settings.MemoryProbe) MemoryProbe.Run(settings, settings.FashionMnistShape().Hidden, output);
                else FashionMnistBench.Run(settings, settings.FashionMnistShape().Hidden, output);
                return ExitCodes.Success;
            case "adult":
                AdultBench.Run(settings, hidden, output);
                return ExitCodes.Success;
            default:
                throw new UserInputException($"--dataset must be fashion-mnist or adult; got '{settings.Dataset}'.");
        }
    }
}
