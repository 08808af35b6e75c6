using BenchmarkDotNet.Running;

namespace BnMlNet.Benchmarks;

/// <summary>
/// Runs the BnMlNet micro-benchmarks, e.g. <c>dotnet run -c Release -- --filter '*Gemm*' --job short</c>;
/// <c>dotnet run -c Release -- quick [gemm|step|all] [threads]</c> prints stopwatch figures as key=value lines.
/// </summary>
public static class Program
{
    /// <summary>Entry point: BenchmarkDotNet's switcher picks benchmarks from the command line.</summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "quick")
        {
            Quick.Run(args);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
