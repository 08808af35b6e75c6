using BnMlNet.Engine.Threading;

namespace BnMlNet.Engine.Kernels;

/// <summary>
/// The parts of one <see cref="GroupedGemm"/> call: (group, strip) pairs, where a strip is a range of micro-tiles of
/// that group's C (cut along its longer side, as <see cref="GemmDriver"/> cuts one product) and a direct-path group is
/// one strip. Work item i of <see cref="Items"/> runs a contiguous range of parts. One reusable instance per calling
/// thread, so a call allocates nothing.
/// </summary>
internal sealed unsafe class GroupedGemmWork : IPartitionedWork
{
    [ThreadStatic] private static GroupedGemmWork? _forThisThread;

    private GemmProblem _problem;
    private int _groups, _aStride, _bStride, _cStride;
    private bool _direct, _splitColumns;
    private int _granule, _tiles, _strips, _parts;

    /// <summary>This thread's instance.</summary>
    public static GroupedGemmWork ForThisThread => _forThisThread ??= new GroupedGemmWork();

    /// <summary>Work items of the current call: min(threads, parts).</summary>
    public int Items { get; private set; }

    /// <summary>Describes the call (its buffers stay pinned until the call returns) and cuts it into parts.</summary>
    public void Set(in GemmProblem problem, int groups, int aStride, int bStride, int cStride, int threads)
    {
        _problem = problem;
        _groups = groups;
        _aStride = aStride;
        _bStride = bStride;
        _cStride = cStride;
        // The same path rule as GemmDriver: from the shape alone, never from the thread count.
        _direct = problem.M == 1 || problem.N == 1 || (long)problem.M * problem.N * problem.K < GemmBlocking.DirectThreshold;
        _splitColumns = problem.N >= problem.M;
        _granule = _splitColumns ? GemmKernels.TileColumns(problem.Kernel) : GemmKernels.TileRows(problem.Kernel);
        _tiles = ((_splitColumns ? problem.N : problem.M) + _granule - 1) / _granule;
        int t = Math.Max(threads, 1);
        // Enough strips per group that every thread gets work even when there are fewer groups than threads.
        _strips = _direct ? 1 : Math.Min(_tiles, (t + groups - 1) / groups);
        _parts = groups * _strips;
        Items = Math.Min(t, _parts);
    }

    /// <summary>Forgets the call's buffers.</summary>
    public void Clear() => _problem = default;

    /// <inheritdoc/>
    public void Execute(int item)
    {
        int items = Math.Max(Items, 1);
        int first = (int)((long)_parts * item / items), end = (int)((long)_parts * (item + 1) / items);
        for (int part = first; part < end; part++) RunPart(part / _strips, part % _strips);
    }

    private void RunPart(int group, int strip)
    {
        var q = _problem;
        float* a = q.A + (long)group * _aStride, b = q.B + (long)group * _bStride, c = q.C + (long)group * _cStride;
        if (_direct)
        {
            bool simd = q.Kernel != GemmKernelKind.Portable;
            GemmDirect.Run(simd, q.TransposeA, q.TransposeB, q.M, q.N, q.K, a, q.Lda, b, q.Ldb, c, q.Ldc, q.Accumulate);
            return;
        }
        var g = new GemmProblem(q.Kernel, q.TransposeA, q.TransposeB, q.M, q.N, q.K, a, q.Lda, b, q.Ldb, c, q.Ldc, q.Accumulate);
        int total = _splitColumns ? q.N : q.M;
        int start = (int)((long)_tiles * strip / _strips) * _granule;
        int stop = Math.Min(total, (int)((long)_tiles * (strip + 1) / _strips) * _granule);
        if (start >= stop) return;
        if (_splitColumns) GemmPacked.Run(g, 0, q.M, start, stop);
        else GemmPacked.Run(g, start, stop, 0, q.N);
    }
}
