using BnMlNet.Engine.Threading;

namespace BnMlNet.Engine.Kernels;

/// <summary>
/// The packed path of one GEMM call as <see cref="IPartitionedWork"/>: item i computes the i-th strip of C (columns
/// or rows, cut at multiples of the micro-tile). One reusable instance per calling thread, so a call allocates nothing.
/// </summary>
internal sealed class GemmWork : IPartitionedWork
{
    [ThreadStatic] private static GemmWork? _forThisThread;

    private GemmProblem _problem;
    private bool _splitColumns;
    private int _granule, _tiles, _items;

    /// <summary>This thread's instance.</summary>
    public static GemmWork ForThisThread => _forThisThread ??= new GemmWork();

    /// <summary>Describes the call (its buffers must stay pinned until <see cref="WorkerTeam.Run"/> returns).</summary>
    public void Set(in GemmProblem problem, bool splitColumns, int granule, int tiles, int items)
    {
        _problem = problem;
        _splitColumns = splitColumns;
        _granule = granule;
        _tiles = tiles;
        _items = items;
    }

    /// <summary>Forgets the call's buffers.</summary>
    public void Clear() => _problem = default;

    /// <inheritdoc/>
    public void Execute(int part)
    {
        int total = _splitColumns ? _problem.N : _problem.M;
        int start = (int)((long)_tiles * part / _items) * _granule;
        int end = Math.Min(total, (int)((long)_tiles * (part + 1) / _items) * _granule);
        if (_splitColumns)
        {
            GemmPacked.Run(_problem, 0, _problem.M, start, end);
        }
        else
        {
            GemmPacked.Run(_problem, start, end, 0, _problem.N);
        }
    }
}
