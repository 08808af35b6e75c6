using static BnMlNet.Benchmarks.QuickOutput;
using System.Diagnostics;
using System.Globalization;
using BnMlNet.Engine;
using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Preprocessing;

namespace BnMlNet.Benchmarks;

/// <summary>
/// <c>quick prep [rounds]</c>: the preprocessing one-offs of a fit on synthetic tables of the development suite's
/// shapes (mpls_person_search 27,967 × 112, 100 one-hot; gss_vocab 17,612 × 36, 30 one-hot; diamonds 34,522 × 26, 20
/// one-hot): <see cref="PreprocessorFitter.Fit"/> (robust scaling) and <see cref="FeaturePreprocessor.ApplyRowsInPlace"/>,
/// today's and with <see cref="ReferencePaths.Preprocessing"/> (one input at a time; the fit is unchanged, a control), interleaved
/// round by round. Prints medians (ms), the median per-round ratio and whether both paths gave the same bits.
/// </summary>
public static class QuickPreprocessing
{
    /// <summary>Runs the comparison.</summary>
    public static void Run(string[] args)
    {
        int rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 9;
        Console.WriteLine($"load={File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var (name, rows, f, oneHot) in new[] { ("mpls_like", 27_967, 112, 100), ("gss_like", 17_612, 36, 30), ("diamonds_like", 34_522, 26, 20) })
        {
            var rng = new Random(f);
            var x = new float[rows * f];
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < f - oneHot; j++) x[r * f + j] = (float)(rng.NextDouble() * 100 * (j + 1));
                x[r * f + f - oneHot + rng.Next(oneHot)] = 1f;
            }
            var data = new DenseDataset(x, new float[rows], null, f);
            var settings = new PreprocessingSettings(NumericScaling.Robust);
            var fit = new[] { new List<double>(), new List<double>() };
            var apply = new[] { new List<double>(), new List<double>() };
            var results = new float[2][];
            var fitted = new FeaturePreprocessor[2];
            for (int round = -2; round < rounds; round++)   // two rounds warm up
                for (int path = 0; path < 2; path++)
                {
                    ReferencePaths.Preprocessing = path == 1;
                    var clock = Stopwatch.StartNew();
                    var p = PreprocessorFitter.Fit(data, settings, seed: 42);
                    double tf = clock.Elapsed.TotalMilliseconds;
                    var copy = (float[])x.Clone();
                    clock.Restart();
                    p.ApplyRowsInPlace(copy, rows);
                    double ta = clock.Elapsed.TotalMilliseconds;
                    ReferencePaths.Preprocessing = false;
                    results[path] = copy;
                    fitted[path] = p;
                    if (round < 0) continue;
                    fit[path].Add(tf);
                    apply[path].Add(ta);
                }
            bool same = results[0].AsSpan().SequenceEqual(results[1])
                && fitted[0].Center.SequenceEqual(fitted[1].Center) && fitted[0].InverseScale.SequenceEqual(fitted[1].InverseScale);
            Put($"{name}_fit_ms_new", Median(fit[0]), "F2");
            Put($"{name}_fit_ms_before", Median(fit[1]), "F2");
            Put($"{name}_fit_ratio_new_over_before", Median(fit[0].Select((t, i) => t / fit[1][i])), "F3");
            Put($"{name}_apply_ms_new", Median(apply[0]), "F2");
            Put($"{name}_apply_ms_before", Median(apply[1]), "F2");
            Put($"{name}_apply_ratio_new_over_before", Median(apply[0].Select((t, i) => t / apply[1][i])), "F3");
            Console.WriteLine($"{name}_same_bits={same}");
        }
        Console.WriteLine($"load={File.ReadAllText("/proc/loadavg").Trim()}");
    }
}
