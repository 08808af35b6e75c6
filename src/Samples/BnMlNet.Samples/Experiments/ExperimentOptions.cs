namespace BnMlNet.Samples.Experiments;

/// <summary>Which Fashion-MNIST copy the experiments use.</summary>
public enum ExperimentDatasetChoice
{
    /// <summary>The full Debian set when installed, else the data/ subset.</summary>
    Auto,
    /// <summary>The full Debian set (60,000 + 10,000 images); an error when absent.</summary>
    Full,
    /// <summary>The 6,000 + 1,000 subset shipped in data/.</summary>
    Subset,
}

/// <summary>Everything one <c>experiments</c> run needs besides the data.</summary>
/// <param name="Quick">Quick (CI) sizes instead of the thorough ones.</param>
/// <param name="Seed">Seed of sampling, initialization and shuffling.</param>
/// <param name="Threads">Training runs in parallel (each on one thread).</param>
/// <param name="Dataset">Which Fashion-MNIST copy.</param>
/// <param name="Experiments">Experiment numbers to run, in the order given (all of them ascending when --only is absent).</param>
/// <param name="CommandLine">The command line, for the report.</param>
/// <param name="Seeds">How many seeds every experiment runs over: <paramref name="Seed"/>, <paramref name="Seed"/> + 1, ….</param>
public sealed record ExperimentOptions(bool Quick, int Seed, int Threads, ExperimentDatasetChoice Dataset,
    IReadOnlyList<int> Experiments, string CommandLine, int Seeds = 3)
{
    /// <summary>The seeds every experiment runs with, in order.</summary>
    public IReadOnlyList<int> SeedList => Enumerable.Range(0, Seeds).Select(i => Seed + i).ToArray();

    /// <summary>The sizes of this mode.</summary>
    public ExperimentScale Scale => Quick ? ExperimentScale.Quick : ExperimentScale.Thorough;
}
