using BenchmarkDotNet.Running;

namespace BnMlNet.Benchmarks;

/// <summary>
/// Runs the BnMlNet micro-benchmarks, e.g. <c>dotnet run -c Release -- --filter '*Gemm*' --job short</c>.
/// </summary>
public static class Program
{
    /// <summary>Entry point: BenchmarkDotNet's switcher picks benchmarks from the command line.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
