namespace BnMlNet.Engine.Threading;

/// <summary>Fixed, contiguous partitions of a range into parts, cut at multiples of a granule.</summary>
internal static class WorkPartition
{
    /// <summary>
    /// Part <paramref name="part"/> of [0, <paramref name="total"/>) cut into <paramref name="parts"/> contiguous
    /// blocks whose boundaries are multiples of <paramref name="granule"/> (the last block ends at total). Blocks may be
    /// empty when there are fewer granules than parts.
    /// </summary>
    public static (int Start, int End) Block(int total, int parts, int part, int granule)
    {
        int granules = (total + granule - 1) / granule;
        int start = (int)((long)granules * part / parts) * granule;
        int end = (int)((long)granules * (part + 1) / parts) * granule;
        return (Math.Min(start, total), Math.Min(end, total));
    }

    /// <summary>How many parts to cut [0, <paramref name="total"/>) into: at most <paramref name="threads"/>, and no more than there are granules.</summary>
    public static int Parts(int total, int threads, int granule)
        => Math.Max(1, Math.Min(threads, (total + granule - 1) / granule));
}
