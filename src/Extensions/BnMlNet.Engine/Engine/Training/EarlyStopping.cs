namespace BnMlNet.Engine.Training;

/// <summary>
/// Stops when the validation loss has not improved for <c>patience</c> epochs; an improvement means
/// loss &lt; best − minDelta.
/// </summary>
internal sealed class EarlyStopping(int patience, double minDelta)
{
    private int _epochsWithoutImprovement;

    public double BestLoss { get; private set; } = double.PositiveInfinity;
    public int BestEpoch { get; private set; }

    /// <summary>Records an epoch's validation loss; returns true when it is a new best.</summary>
    public bool Observe(int epoch, double validationLoss)
    {
        if (validationLoss < BestLoss - minDelta)
        {
            BestLoss = validationLoss;
            BestEpoch = epoch;
            _epochsWithoutImprovement = 0;
            return true;
        }
        _epochsWithoutImprovement++;
        return false;
    }

    /// <summary>Whether patience has run out.</summary>
    public bool ShouldStop => _epochsWithoutImprovement >= patience;
}
