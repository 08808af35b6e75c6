using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BnMlNet.Engine.Kernels;

namespace BnMlNet.Benchmarks;

/// <summary>
/// <see cref="Gemm.Multiply"/> at the training and inference shapes, at 1 and 2 threads and with each SIMD
/// micro-kernel this CPU supports (AVX2 is what a CPU without AVX-512 runs), reported in GFLOP/s.
/// </summary>
[Config(typeof(Config))]
public class GemmBenchmarks
{
    private float[] a = [];
    private float[] b = [];
    private float[] c = [];
    private GemmKernelKind kernel;

    /// <summary>The product to time.</summary>
    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = GemmShape.All().First();

    /// <summary>Worker threads given to the kernel.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Micro-kernel, by <see cref="GemmKernelKind"/> name.</summary>
    [ParamsSource(nameof(Kernels))]
    public string Kernel { get; set; } = nameof(GemmKernelKind.Avx2);

    /// <summary>All benchmarked shapes.</summary>
    public static IEnumerable<GemmShape> Shapes => GemmShape.All();

    /// <summary>The SIMD kernels this CPU can run (the portable fallback is not benchmarked).</summary>
    public static IEnumerable<string> Kernels =>
        Enum.GetValues<GemmKernelKind>()
            .Where(kind => kind != GemmKernelKind.Portable && GemmKernels.IsSupported(kind))
            .Select(kind => kind.ToString());

    /// <summary>Fills A and B with values in [-1, 1).</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        a = Fill(random, Shape.M * Shape.K);
        b = Fill(random, Shape.K * Shape.N);
        c = new float[Shape.M * Shape.N];
        kernel = Enum.Parse<GemmKernelKind>(Kernel);
    }

    /// <summary>One C = op(A)·op(B) (what <see cref="Gemm.Multiply"/> does, with the kernel chosen).</summary>
    [Benchmark]
    public void Multiply()
    {
        GemmShape s = Shape;
        GemmDriver.Multiply(
            s.TransposeA, s.TransposeB, s.M, s.N, s.K,
            a, s.TransposeA ? s.M : s.K,
            b, s.TransposeB ? s.K : s.N,
            c, s.N, accumulate: false, Threads, kernel);
    }

    private static float[] Fill(Random random, int length)
    {
        var data = new float[length];
        for (int i = 0; i < length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
        return data;
    }

    /// <summary>Adds the GFLOP/s column to the default columns.</summary>
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(new GflopsColumn());
        }
    }
}
