namespace BnMlNet.Samples.Experiments;

/// <summary>What every experiment gets: the data, the options, where to write plots, and a progress callback.</summary>
/// <param name="Data">Train and test rows.</param>
/// <param name="Options">Mode, seed, threads.</param>
/// <param name="Folder">Output folder for the PNGs.</param>
/// <param name="Force">Overwrite existing PNGs.</param>
/// <param name="Progress">Receives one line per finished run.</param>
public sealed record ExperimentContext(ExperimentData Data, ExperimentOptions Options, string Folder, bool Force, Action<string> Progress)
{
    /// <summary>The sizes of this mode.</summary>
    public ExperimentScale Scale => Options.Scale;
    /// <summary>The seed.</summary>
    public int Seed => Options.Seed;
    /// <summary>Parallel runs.</summary>
    public int Threads => Options.Threads;
}
