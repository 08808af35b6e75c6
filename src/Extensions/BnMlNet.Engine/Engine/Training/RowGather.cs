using BnMlNet.Engine.Threading;

namespace BnMlNet.Engine.Training;

/// <summary>
/// Gathers rows of a row-major feature array into a batch buffer in a given order, on up to <c>threads</c> threads
/// (contiguous blocks of batch rows; a copy is exact whoever makes it). Row i starts at offset + i·featureCount.
/// One instance per pass over the data.
/// </summary>
internal sealed class RowGather(float[] features, int featureCount, int threads, long offset = 0) : IPartitionedWork
{
    /// <summary>Below this many floats per batch the gather runs on the calling thread alone.</summary>
    private const int ParallelThreshold = 32768;

    private int[] _order = [];
    private float[] _destination = [];
    private int _start, _rows, _parts;

    /// <summary>Copies rows order[start .. start + rows) to rows 0 .. rows − 1 of <paramref name="destination"/>.</summary>
    public void Gather(int[] order, int start, int rows, float[] destination)
    {
        _order = order;
        _start = start;
        _rows = rows;
        _destination = destination;
        _parts = threads <= 1 || (long)rows * featureCount < ParallelThreshold ? 1 : Math.Min(threads, rows);
        WorkerTeam.Run(this, _parts);
    }

    /// <inheritdoc/>
    public void Execute(int part)
    {
        var (r0, r1) = WorkPartition.Block(_rows, _parts, part, 1);
        int f = featureCount;
        for (int r = r0; r < r1; r++)
            Array.Copy(features, offset + (long)_order[_start + r] * f, _destination, (long)r * f, f);
    }
}
