using System.Diagnostics;

namespace BnMlNet.Engine.Threading;

// The profile of the parallel regions that benchmarks read.
internal sealed partial class WorkerTeam
{
    /// <summary>
    /// A profile of the parallel regions (benchmarks only; not thread-safe: one training at a time): while
    /// <see cref="Enabled"/>, every call of <see cref="Run"/> with more than one part runs its parts on the calling thread
    /// alone and adds its count and time here, so that the share of a step that threads can split is measured at
    /// one thread's speed. The results do not change (the parts are the same).
    /// </summary>
    internal static class Probe
    {
        /// <summary>Run regions alone and count them.</summary>
        public static bool Enabled;

        /// <summary>Regions run since the last <see cref="Reset"/>.</summary>
        public static long Regions;

        /// <summary>Stopwatch ticks spent inside those regions.</summary>
        public static long Ticks;

        /// <summary>Ticks of the longest part of each region, summed (the time 2+ threads cannot go below).</summary>
        public static long LongestPartTicks;

        /// <summary>
        /// Per region, keyed "type name#n" for the n-th region since the last <see cref="NextStep"/>: every run's ticks
        /// inside and ticks of its longest part.
        /// </summary>
        public static readonly Dictionary<string, List<(long Ticks, long Longest)>> ByWork = [];

        private static int _ordinal;

        /// <summary>Starts numbering regions from 0 again (call before each training step).</summary>
        public static void NextStep() => _ordinal = 0;

        /// <summary>Zeroes the counters.</summary>
        public static void Reset()
        {
            _ordinal = 0;
            Regions = Ticks = LongestPartTicks = 0;
            ByWork.Clear();
        }

        internal static void RunMeasured(IPartitionedWork work, int parts)
        {
            long start = Stopwatch.GetTimestamp(), longest = 0, previous = start;
            for (int p = 0; p < parts; p++)
            {
                work.Execute(p);
                long now = Stopwatch.GetTimestamp();
                longest = Math.Max(longest, now - previous);
                previous = now;
            }
            Regions++;
            Ticks += previous - start;
            LongestPartTicks += longest;
            string key = $"{work.GetType().Name}#{_ordinal++}";
            if (!ByWork.TryGetValue(key, out var list)) ByWork[key] = list = [];
            list.Add((previous - start, longest));
        }
    }
}
