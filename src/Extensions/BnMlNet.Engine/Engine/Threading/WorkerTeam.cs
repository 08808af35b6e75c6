using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace BnMlNet.Engine.Threading;

/// <summary>
/// A small process-wide team of persistent worker threads that runs the parts of an <see cref="IPartitionedWork"/>
/// together with the calling thread. Workers are started on demand, up to one fewer than the part count asked for
/// and one fewer than the processors. Workers spin for a short while after each piece
/// of work (a training step posts work every few tens of microseconds), then block until woken.
/// </summary>
/// <remarks>
/// <para>One caller at a time uses the team; a second concurrent caller, or a part that itself posts work, runs its parts
/// alone on its own thread.</para>
/// <para>Part p goes to participant p mod P first (the caller is participant 0), so that the same thread keeps touching
/// the same block of data from one call to the next; a participant that is done takes over parts nobody has started.
/// Who runs a part never changes its result: with parts that compute every element the same way (see
/// <see cref="IPartitionedWork"/>), results are the same bits for any thread count.</para>
/// </remarks>
internal sealed partial class WorkerTeam
{
    private static readonly long SpinTicks = Stopwatch.Frequency / 20000;   // 50 µs

    /// <summary>The generation value while the caller writes the next job's fields: no participant may start.</summary>
    private const long SettingUp = -1;
    private static readonly Lazy<WorkerTeam> LazyShared = new(() => new WorkerTeam(Math.Clamp(Environment.ProcessorCount, 1, 64) - 1));

    private readonly int _maxWorkers;

    /// <summary>longs per claim slot: one cache line each.</summary>
    private const int Stride = 8;

    private int _workerCount;
    private readonly SemaphoreSlim _wake = new(0);
    private HotCounters _hot;
    private long[] _claims = new long[64 * Stride];
    private IPartitionedWork? _work;
    private int _parts;
    private Exception? _error;
    private int _busy;
    private int _sleepers;

    private WorkerTeam(int maxWorkers) => _maxWorkers = maxWorkers;

    /// <summary>
    /// Runs parts 0 .. <paramref name="parts"/> − 1 of <paramref name="work"/> on the calling thread and the shared
    /// team, and returns once all have finished. The first exception a part throws is rethrown here.
    /// </summary>
    public static void Run(IPartitionedWork work, int parts)
    {
        if (parts <= 1)
        {
            if (parts == 1) work.Execute(0);
            return;
        }
        if (Probe.Enabled)
        {
            Probe.RunMeasured(work, parts);
            return;
        }
        var team = LazyShared.Value;
        if (team._maxWorkers == 0 || Interlocked.CompareExchange(ref team._busy, 1, 0) != 0)
        {
            RunAlone(work, parts);
            return;
        }
        try
        {
            team.RunExclusive(work, parts);
        }
        finally
        {
            Volatile.Write(ref team._busy, 0);
        }
    }

    /// <summary>
    /// Runs every part on the calling thread, with the team's semantics: a part that throws does not stop the
    /// others, and the first exception is rethrown once all have run.
    /// </summary>
    private static void RunAlone(IPartitionedWork work, int parts)
    {
        Exception? first = null;
        for (int p = 0; p < parts; p++)
        {
            try { work.Execute(p); }
            catch (Exception e) { first ??= e; }
        }
        if (first is not null) ExceptionDispatchInfo.Throw(first);
    }

    private void RunExclusive(IPartitionedWork work, int parts)
    {
        long generation = Volatile.Read(ref _hot.Generation) + 1;
        int wanted = Math.Min(parts - 1, _maxWorkers);
        if (_workerCount < wanted) Start(wanted, generation - 1);
        // Before the fields change, withdraw the finished generation: a participant that wakes late for it must not
        // read this call's part count or work under the old generation number (see Participate's second check).
        Interlocked.Exchange(ref _hot.Generation, SettingUp);
        if (_claims.Length < parts * Stride)
        {
            // Claims hold generations; a new array of zeros is "unclaimed" for every generation ≥ 1.
            _claims = new long[parts * Stride];
        }
        _work = work;
        _parts = parts;
        _error = null;
        Volatile.Write(ref _hot.Done, 0);
        Interlocked.Exchange(ref _hot.Generation, generation);   // publishes the fields above (full fence)
        int sleepers = Volatile.Read(ref _sleepers);
        if (sleepers > 0) _wake.Release(Math.Min(sleepers, parts - 1));
        Participate(generation, 0);
        var spin = new SpinWait();
        while (Volatile.Read(ref _hot.Done) < parts) spin.SpinOnce(sleep1Threshold: -1);
        _work = null;
        if (_error is { } e) ExceptionDispatchInfo.Throw(e);
    }

    /// <summary>Runs this participant's own parts of <paramref name="generation"/>, then any part nobody has claimed.</summary>
    private void Participate(long generation, int participant)
    {
        // Read the job's fields between two checks of the generation (a sequence lock): the caller withdraws the
        // generation (SettingUp) before it writes the next job's fields, so fields read while the generation stayed
        // the same all belong to that generation.
        if (Volatile.Read(ref _hot.Generation) != generation) return;
        int parts = Volatile.Read(ref _parts);
        long[] claims = Volatile.Read(ref _claims);
        var work = Volatile.Read(ref _work);
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _hot.Generation) != generation || work is null || claims.Length < parts * Stride) return;
        int team = Math.Min(Volatile.Read(ref _workerCount) + 1, parts);
        if (participant >= team) return;   // a worker started for a wider call earlier: not needed now
        for (int p = participant; p < parts; p += team) TryRun(work, claims, p, generation);
        for (int p = 0; p < parts; p++) TryRun(work, claims, p, generation);
    }

    private void TryRun(IPartitionedWork work, long[] claims, int part, long generation)
    {
        ref long claim = ref claims[part * Stride];
        long seen = Volatile.Read(ref claim);
        // Claims only grow; a claim by a participant that woke up late for an older generation stays below this one.
        if (seen >= generation || Interlocked.CompareExchange(ref claim, generation, seen) != seen) return;
        // Claimed while this generation may already have been replaced (a late participant): then run nothing.
        if (Volatile.Read(ref _hot.Generation) != generation) return;
        // This generation cannot finish before this part is counted, so _work is still this generation's.
        try
        {
            work.Execute(part);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _error, e, null);
        }
        Interlocked.Increment(ref _hot.Done);
    }

    /// <summary>The two counters every participant touches, each on its own cache line.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct HotCounters
    {
        /// <summary>The number of the piece of work posted last (0: none yet).</summary>
        [FieldOffset(64)] public long Generation;

        /// <summary>Parts of the current generation that have finished.</summary>
        [FieldOffset(128)] public int Done;
    }
}
