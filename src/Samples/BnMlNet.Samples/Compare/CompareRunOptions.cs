namespace BnMlNet.Samples.Compare;

/// <summary>Settings of one compare run, as the report records them.</summary>
/// <param name="Epochs">BN-MLP epochs.</param>
/// <param name="Quick">Smaller data and fewer trees/iterations, for tests and smoke runs.</param>
/// <param name="Seed">Seed of the MLContext, the train/test and validation splits and the BN-MLP.</param>
/// <param name="Threads">Threads for the trainers that take a count (null: each trainer's default).</param>
/// <param name="ScoringCalls">Single-row PredictionEngine calls timed per trainer (after warm-up).</param>
/// <param name="ValidationFraction">Part of the training data held out as the BN-MLP's validation set.</param>
public sealed record CompareRunOptions(int Epochs, bool Quick, int Seed, int? Threads, int ScoringCalls, double ValidationFraction = 0.15)
{
    /// <summary>Fraction of rows in the test set (binary and regression; Fashion-MNIST has its own test split).</summary>
    public const double TestFraction = 0.2;

    /// <summary>Single-row calls before timing starts.</summary>
    public int WarmupCalls => Math.Min(50, ScoringCalls);
}
