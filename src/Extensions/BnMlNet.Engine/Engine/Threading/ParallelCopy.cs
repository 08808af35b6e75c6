namespace BnMlNet.Engine.Threading;

/// <summary>
/// Copies of large float buffers on up to <c>threads</c> threads, in contiguous blocks (a copy is exact whoever
/// makes it). One reusable instance per calling thread; the spans are pinned for the duration of a call.
/// </summary>
internal sealed unsafe class ParallelCopy : IPartitionedWork
{
    /// <summary>Below this many floats a copy runs on the calling thread alone.</summary>
    private const int ParallelThreshold = 32768;

    /// <summary>Blocks start at multiples of this (16 floats: one cache line).</summary>
    private const int Granule = 16;

    [ThreadStatic] private static ParallelCopy? _forThisThread;

    private float* _source, _destination;
    private int _length, _parts;

    /// <summary>Copies <paramref name="source"/> to the start of <paramref name="destination"/>.</summary>
    public static void Copy(ReadOnlySpan<float> source, Span<float> destination, int threads)
    {
        if (threads <= 1 || source.Length < ParallelThreshold || destination.Length < source.Length || source.Overlaps(destination))
        {
            source.CopyTo(destination);
            return;
        }
        var w = _forThisThread ??= new ParallelCopy();
        fixed (float* s = source, d = destination)
        {
            w._source = s;
            w._destination = d;
            w._length = source.Length;
            w._parts = WorkPartition.Parts(source.Length, threads, Granule);
            try
            {
                WorkerTeam.Run(w, w._parts);
            }
            finally
            {
                w._source = w._destination = null;
            }
        }
    }

    /// <inheritdoc/>
    public void Execute(int part)
    {
        var (start, end) = WorkPartition.Block(_length, _parts, part, Granule);
        new ReadOnlySpan<float>(_source + start, end - start).CopyTo(new Span<float>(_destination + start, end - start));
    }
}
