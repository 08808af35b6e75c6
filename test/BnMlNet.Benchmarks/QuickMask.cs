using static BnMlNet.Benchmarks.QuickOutput;
using System.Diagnostics;
using System.Globalization;
using BnMlNet.Engine.Kernels;

namespace BnMlNet.Benchmarks;

/// <summary>
/// <c>quick mask [rounds]</c>: one dropout mask (rate 0.1) of the default recipe's sizes (batch × width of 128 × 64 up
/// to 512 × 128) drawn as eight side-by-side stretches (<see cref="Xoshiro256.FillMask"/>) and with the serial state
/// transition (<see cref="ReferencePaths.DropoutStreams"/>), interleaved round by round on one thread. Prints the median
/// µs per mask and path, the median per-round ratio, and whether both gave the same masks and states.
/// </summary>
public static class QuickMask
{
    /// <summary>Runs the comparison.</summary>
    public static void Run(string[] args)
    {
        int rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 15;
        Console.WriteLine($"load={File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"streams_supported={Xoshiro256.StreamsSupported}");
        foreach (int length in new[] { 65536, 32768, 16384, 8192, 8192 + 64 })
        {
            var generators = new[] { new Xoshiro256(1), new Xoshiro256(1) };
            var masks = new[] { new float[length], new float[length] };
            var times = new[] { new List<double>(), new List<double>() };
            bool same = true;
            const int reps = 50;
            for (int round = -3; round < rounds; round++)   // three rounds warm up (tiering)
            {
                for (int path = 0; path < 2; path++)
                {
                    ReferencePaths.DropoutStreams = path == 1;
                    var clock = Stopwatch.StartNew();
                    for (int i = 0; i < reps; i++) generators[path].FillMask(masks[path], 0.1f, 1f / 0.9f);
                    double t = clock.Elapsed.TotalMicroseconds / reps;
                    ReferencePaths.DropoutStreams = false;
                    if (round >= 0) times[path].Add(t);
                }
                same &= masks[0].AsSpan().SequenceEqual(masks[1]) && generators[0].SameState(generators[1]);
                if (round == -3) Thread.Sleep(200);
            }
            Put($"mask_{length}_us_streams", Median(times[0]), "F2");
            Put($"mask_{length}_us_serial", Median(times[1]), "F2");
            Put($"mask_{length}_ratio_streams_over_serial", Median(times[0].Select((t, i) => t / times[1][i])), "F3");
            Console.WriteLine($"mask_{length}_same_bits={same}");
        }
        Console.WriteLine($"load={File.ReadAllText("/proc/loadavg").Trim()}");
    }
}
