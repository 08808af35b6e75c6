using static BnMlNet.Benchmarks.QuickOutput;
using System.Diagnostics;
using System.Globalization;
using BnMlNet.Engine.Layers;

namespace BnMlNet.Benchmarks;

/// <summary>
/// <c>quick catembed [rounds]</c>: the categorical embedding's passes alone, the vector kernels
/// (<see cref="CategoricalEmbeddingVector"/>) against the scalar reference loops, interleaved round by round on one
/// thread, on the layouts of mpls_person_search (112 inputs, one block of 87 levels, batch 512) and gss_vocab (36 inputs,
/// one block of 20 levels, batch 256), d = 8, dense u (as after the input batch norm). Prints the median µs of a forward
/// and a backward per path, the median per-round ratio new / reference, and whether the outputs agree bit for bit.
/// </summary>
public static class QuickCategorical
{
    /// <summary>Runs the comparison.</summary>
    public static void Run(string[] args)
    {
        int rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 15;
        Console.WriteLine($"load={File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var (name, width, start, levels, rows) in new[] { ("mpls_like", 112, 25, 87, 512), ("gss_like", 36, 2, 20, 256) })
            Compare(name, new CategoricalLayout(width, [start], [levels], 8), rows, rounds);
        Console.WriteLine($"load={File.ReadAllText("/proc/loadavg").Trim()}");
    }

    private static void Compare(string name, CategoricalLayout layout, int rows, int rounds)
    {
        var rng = new Random(3);
        float[] Fill(int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var u = Fill(rows * layout.InputWidth);
        var table = Fill(layout.TableSize);
        var dO = Fill(rows * layout.OutputWidth);
        float[][] o = [new float[rows * layout.OutputWidth], new float[rows * layout.OutputWidth]];
        float[][] du = [new float[u.Length], new float[u.Length]];
        float[][] dt = [new float[table.Length], new float[table.Length]];
        // Each round times every pass of both paths, alternating: forward, backward, backward without ∂u (∂E alone).
        var passes = new (string Name, Action Vector, Action Reference)[]
        {
            ("forward", () => CategoricalEmbeddingVector.Forward(o[0], u, table, layout, rows),
                () => CategoricalEmbeddingLayer.ForwardReference(o[1], u, table, layout, rows)),
            ("backward", () => CategoricalEmbeddingVector.Backward(du[0], dt[0], dO, u, table, layout, rows),
                () => CategoricalEmbeddingLayer.BackwardReference(du[1], dt[1], dO, u, table, layout, rows)),
            ("table_gradient_only", () => CategoricalEmbeddingVector.Backward(default, dt[0], dO, u, table, layout, rows),
                () => CategoricalEmbeddingLayer.BackwardReference(default, dt[1], dO, u, table, layout, rows)),
        };
        var times = passes.Select(_ => new[] { new List<double>(), new List<double>() }).ToArray();
        const int reps = 20;
        for (int round = -1; round < rounds; round++)   // round −1 warms up
            for (int p = 0; p < passes.Length; p++)
                for (int path = 0; path < 2; path++)
                {
                    var run = path == 0 ? passes[p].Vector : passes[p].Reference;
                    var clock = Stopwatch.StartNew();
                    for (int i = 0; i < reps; i++) run();
                    if (round >= 0) times[p][path].Add(clock.Elapsed.TotalMicroseconds / reps);
                }
        static bool Same(float[] a, float[] b) => a.Select(BitConverter.SingleToUInt32Bits).SequenceEqual(b.Select(BitConverter.SingleToUInt32Bits));
        for (int p = 0; p < passes.Length; p++)
        {
            var t = times[p];
            Put($"{name}_{passes[p].Name}_us_vector", Median(t[0]));
            Put($"{name}_{passes[p].Name}_us_reference", Median(t[1]));
            Put($"{name}_{passes[p].Name}_ratio_vector_over_reference", Median(t[0].Select((x, i) => x / t[1][i])), "F3");
        }
        passes[0].Vector(); passes[0].Reference(); passes[1].Vector(); passes[1].Reference();
        Console.WriteLine($"{name}_same_bits={Same(o[0], o[1]) && Same(du[0], du[1]) && Same(dt[0], dt[1])}");
    }
}
