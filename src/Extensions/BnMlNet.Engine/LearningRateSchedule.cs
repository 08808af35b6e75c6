namespace BnMlNet;

/// <summary>How the learning rate changes over training.</summary>
public enum LearningRateSchedule
{
    /// <summary>The same rate throughout.</summary>
    Constant = 0,
    /// <summary>Multiplied by a factor every fixed number of epochs.</summary>
    Step = 1,
    /// <summary>Cosine annealing from the base rate to zero over all steps.</summary>
    Cosine = 2,
    /// <summary>One-cycle (Smith 2018): cosine warm-up to the base rate, then cosine annealing far below it.</summary>
    OneCycle = 3,
    /// <summary>
    /// The base rate for the first three quarters of the steps, then linear decay towards zero over the last quarter
    /// (a "stable, then decay" schedule without warm-up): the decay's low-rate finish at little cost in total step size.
    /// </summary>
    StableDecay = 4,
}
