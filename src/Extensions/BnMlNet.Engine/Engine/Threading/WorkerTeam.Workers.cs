using System.Diagnostics;

namespace BnMlNet.Engine.Threading;

// The worker threads: started on demand, each spins for a short while after a piece of work, then blocks until woken.
internal sealed partial class WorkerTeam
{
    /// <summary>Starts workers until there are <paramref name="count"/>; they wait for generations after <paramref name="generation"/>.</summary>
    private void Start(int count, long generation)
    {
        for (int i = _workerCount; i < count; i++)
        {
            int participant = i + 1;
            var thread = new Thread(() => WorkerLoop(generation, participant)) { IsBackground = true, Name = "BnMlNet worker" };
            thread.Start();
        }
        Volatile.Write(ref _workerCount, count);
    }

    private void WorkerLoop(long seen, int participant)
    {
        while (true)
        {
            seen = WaitForNext(seen);
            Participate(seen, participant);
        }
    }

    /// <summary>Spins for <see cref="SpinTicks"/>, then blocks, until a generation other than <paramref name="seen"/> is posted.</summary>
    private long WaitForNext(long seen)
    {
        long deadline = Stopwatch.GetTimestamp() + SpinTicks;
        while (true)
        {
            long generation = Volatile.Read(ref _hot.Generation);
            if (generation != seen && generation != SettingUp) return generation;
            if (Stopwatch.GetTimestamp() < deadline)
            {
                Thread.SpinWait(4);
                continue;
            }
            Interlocked.Increment(ref _sleepers);
            if (Volatile.Read(ref _hot.Generation) == seen) _wake.Wait();
            Interlocked.Decrement(ref _sleepers);
            deadline = Stopwatch.GetTimestamp() + SpinTicks;
        }
    }
}
