using System.Runtime.Intrinsics.X86;
using BnMlNet.Engine.Kernels;
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

    /// <summary>How many rows ahead <see cref="CopyRows"/> prefetches.</summary>
    private const int Ahead = 8;

    private int[] _order = [];
    private float[] _destination = [];
    private int _start, _rows, _parts;

    /// <summary>Copies rows order[start .. start + rows) to rows 0 .. rows − 1 of <paramref name="destination"/>.</summary>
    public void Gather(int[] order, int start, int rows, float[] destination)
    {
        if ((long)rows * featureCount > destination.Length || start < 0 || (long)start + rows > order.Length)
            throw new ArgumentException("Row gather: the batch does not fit its buffer or its order.");
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
        if (ReferencePaths.Enabled)
        {
            for (int r = r0; r < r1; r++)
                Array.Copy(features, offset + (long)_order[_start + r] * featureCount, _destination, (long)r * featureCount, featureCount);
            return;
        }
        CopyRows(r0, r1);
    }

    /// <summary>
    /// The rows [r0, r1) of the batch, each a plain memory copy, with the rows <see cref="Ahead"/> places later asked
    /// into the cache first (the rows are scattered over the whole array, so each one is otherwise a cache miss).
    /// </summary>
    private unsafe void CopyRows(int r0, int r1)
    {
        int f = featureCount;
        long bytes = (long)f * sizeof(float);
        fixed (float* src = features, dst = _destination)
        fixed (int* order = _order)
        {
            int* o = order + _start;
            for (int r = r0; r < r1; r++)
            {
                if (Sse.IsSupported && r + Ahead < r1)
                {
                    byte* next = (byte*)(src + offset + (long)o[r + Ahead] * f);
                    for (long b = 0; b < bytes; b += 64) Sse.Prefetch0(next + b);
                    Sse.Prefetch0(next + bytes - 1);
                }
                Buffer.MemoryCopy(src + offset + (long)o[r] * f, dst + (long)r * f, bytes, bytes);
            }
        }
    }
}
