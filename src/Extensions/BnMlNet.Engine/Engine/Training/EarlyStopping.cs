namespace BnMlNet.Engine.Training;

/// <summary>
/// Watches the validation loss after each epoch: early stopping, and the reduce-on-plateau schedule
/// (<see cref="TrainingSettings.PlateauPatience"/>). An improvement means loss &lt; best − minDelta − relativeMinDelta·|best|
/// (with both deltas 0: loss &lt; best; the first finite loss always improves on the initial +∞).
/// </summary>
/// <remarks>
/// Early stopping: stop once <c>max(patience, ⌈patienceFraction · best epoch⌉)</c> epochs in a row brought no improvement.
/// Plateau (on when <c>plateauPatience</c> &gt; 0): once <c>plateauPatience</c> epochs in a row since the last improvement
/// or the last reduction brought none, the rate is reduced (<see cref="ReduceNow"/>) and that count restarts; with
/// <c>maxReductions</c> &gt; 0 no more than that many reductions are made, and the run stops when, after the last one,
/// <c>plateauPatience</c> epochs in a row bring no improvement (or early stopping fires first).
/// </remarks>
internal sealed class EarlyStopping(int patience, double minDelta, double relativeMinDelta = 0, float patienceFraction = 0,
    int plateauPatience = 0, int maxReductions = 0)
{
    private int _epochsWithoutImprovement;
    private int _epochsSinceChange;

    public double BestLoss { get; private set; } = double.PositiveInfinity;
    public int BestEpoch { get; private set; }
    /// <summary>Reductions made so far.</summary>
    public int Reductions { get; private set; }
    /// <summary>Whether the last <see cref="Observe"/> asks for the rate to be reduced from the next epoch on.</summary>
    public bool ReduceNow { get; private set; }

    /// <summary>The value a loss must be below to count as an improvement.</summary>
    private double Threshold =>
        double.IsPositiveInfinity(BestLoss) ? double.PositiveInfinity
        : relativeMinDelta == 0 ? BestLoss - minDelta
        : BestLoss - minDelta - relativeMinDelta * Math.Abs(BestLoss);

    /// <summary>
    /// The patience in force: <c>max(patience, ⌈patienceFraction · best epoch⌉)</c>. The product is taken in float, the
    /// option's own type, so 0.2 · 30 gives 6 (in double the float 0.2 is 0.2000000030, and the ceiling would give 7).
    /// </summary>
    public int Patience => patienceFraction == 0 ? patience : Math.Max(patience, (int)MathF.Ceiling(patienceFraction * BestEpoch));

    /// <summary>Records an epoch's validation loss; returns true when it is a new best.</summary>
    public bool Observe(int epoch, double validationLoss)
    {
        ReduceNow = false;
        if (validationLoss < Threshold)
        {
            BestLoss = validationLoss;
            BestEpoch = epoch;
            _epochsWithoutImprovement = 0;
            _epochsSinceChange = 0;
            return true;
        }
        _epochsWithoutImprovement++;
        _epochsSinceChange++;
        if (plateauPatience > 0 && _epochsSinceChange >= plateauPatience && (maxReductions == 0 || Reductions < maxReductions))
        {
            Reductions++;
            _epochsSinceChange = 0;
            ReduceNow = true;
        }
        return false;
    }

    /// <summary>Whether patience has run out (early stopping's, or the plateau's after its last reduction).</summary>
    public bool ShouldStop =>
        _epochsWithoutImprovement >= Patience
        || (plateauPatience > 0 && maxReductions > 0 && Reductions == maxReductions && _epochsSinceChange >= plateauPatience);
}
