namespace BnMlNet.Engine;

// Reduce-on-plateau: the epochs after which the learning rate is reduced, and the factor on the schedule's rate.
public sealed partial class TrainingSession
{
    /// <summary>The epochs after which the rate is (or will be) reduced by <see cref="TrainingSettings.PlateauFactor"/>.</summary>
    internal IReadOnlyList<int> ReductionEpochs => _reductionEpochs;

    /// <summary>Reduce-on-plateau: every step after the epoch now completed runs at <see cref="TrainingSettings.PlateauFactor"/> times the rate before.</summary>
    internal void ReduceLearningRateFromNextEpoch()
    {
        if (_reductionEpochs.Count > 0 && _reductionEpochs[^1] >= _epochsBegun)
            throw new InvalidOperationException($"A reduction after epoch {_reductionEpochs[^1]} is already planned.");
        _reductionEpochs.Add(_epochsBegun);
    }

    /// <summary>PlateauFactor^k, k the reductions planned after epochs before <paramref name="epoch"/> (1-based), the one starting now.</summary>
    private double RateScaleFor(int epoch)
    {
        int k = 0;
        foreach (int e in _reductionEpochs) if (e < epoch) k++;
        return k == 0 ? 1.0 : Math.Pow(_settings.PlateauFactor, k);
    }
}
