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
}
