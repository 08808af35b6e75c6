namespace BnMlNet.Engine.Threading;

/// <summary>
/// A piece of work cut into a fixed number of independent parts (see <see cref="WorkerTeam.Run"/>). Every part must
/// write its own outputs only, and compute them the same way whichever thread runs it, so that results never depend
/// on the thread count.
/// </summary>
internal interface IPartitionedWork
{
    /// <summary>Runs part <paramref name="part"/> (0 ≤ part &lt; the part count given to <see cref="WorkerTeam.Run"/>).</summary>
    void Execute(int part);
}
