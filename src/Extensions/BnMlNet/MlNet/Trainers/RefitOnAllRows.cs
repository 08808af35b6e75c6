using BnMlNet.Engine;

namespace BnMlNet.MlNet.Trainers;

/// <summary>
/// The refit after early stopping (<see cref="BatchNormMlpOptionsBase.RefitOnAllRows"/>): when the validation set was
/// held out of the training rows (<see cref="BatchNormMlpOptionsBase.ValidationFraction"/>, no explicit validation
/// set), the hold-out only chose the epoch count E (the epoch of the model kept); the model returned is trained again,
/// from the same seed, on every training row for exactly E epochs.
/// </summary>
internal static class RefitOnAllRows
{
    /// <summary>
    /// Whether the fit that gave <paramref name="first"/> is followed by a refit on all rows: asked for (true), or
    /// automatic (null) and <paramref name="smallTable"/> (<see cref="SmallTableRule.IsSmall"/>); only after a hold-out.
    /// </summary>
    public static bool Applies(BatchNormMlpOptionsBase o, bool smallTable, bool explicitValidation, TrainingResult first) =>
        (o.RefitOnAllRows ?? smallTable) && !explicitValidation && first.HeldOutValidation && first.BestEpoch >= 1;

    /// <summary>
    /// The refit's settings: those of the first fit (<paramref name="first"/>: the same seed, batch size, learning rate,
    /// threads and schedule kind), with the hold-out and early stopping off, no step budget and exactly
    /// <paramref name="epochs"/> epochs (so a decaying schedule spans those epochs); the rate is reduced after the
    /// same epochs as the first fit's reduce-on-plateau did (<paramref name="reductionEpochs"/>, those before
    /// <paramref name="epochs"/>), with reduce-on-plateau itself off (the refit has no validation set).
    /// </summary>
    public static TrainingSettings Settings(TrainingSettings first, BatchNormMlpOptionsBase o, int epochs, long rowsOfFirstFit, NetworkSpec spec,
        IReadOnlyList<int>? reductionEpochs = null)
    {
        var s = EngineSettings.Training(o, first.Seed, rowsOfFirstFit, spec);
        s.BatchSize = first.BatchSize;
        s.LearningRate = first.LearningRate;
        s.Threads = first.Threads;
        s.Epochs = epochs;
        s.StepBudget = 0;
        s.ValidationFraction = 0;
        s.EarlyStoppingPatience = 0;
        s.PlateauPatience = 0;
        s.PlateauMaxReductions = 0;
        var replay = reductionEpochs?.Where(r => r < epochs).ToArray();
        s.LearningRateReductionEpochs = replay is { Length: > 0 } ? replay : null;
        return s;
    }
}
