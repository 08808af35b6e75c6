namespace BnMlNet.Engine;

public sealed partial class TrainingSettings
{
    /// <summary>
    /// Reduce-on-plateau (as PyTorch's <c>ReduceLROnPlateau</c>, mode "min", no cooldown, counted as Keras counts: this patience p reduces after p bad epochs, PyTorch's patience p − 1 does; a session from <c>NetworkTrainer.CreateSession</c> does not apply it, only <c>NetworkTrainer.Train</c>): after this many epochs in a row
    /// without a validation improvement (counted from the last improvement or the last reduction), every later step's
    /// rate is multiplied by <see cref="PlateauFactor"/> (on top of <see cref="Schedule"/>). Needs early stopping
    /// (<see cref="EarlyStoppingPatience"/> above 0, and above this, else early stopping ends the run before a
    /// reduction) and a validation set; without one it does nothing. The epochs
    /// after which the rate was reduced are in <see cref="TrainingResult.LearningRateReductionEpochs"/>. At least 0;
    /// 0 (the default) turns it off.
    /// </summary>
    public int PlateauPatience { get; set; }

    /// <summary>Reduce-on-plateau and <see cref="LearningRateReductionEpochs"/>: the factor each reduction multiplies the rate by, in (0, 1). Default 0.2.</summary>
    public float PlateauFactor { get; set; } = 0.2f;

    /// <summary>
    /// Reduce-on-plateau: the most reductions; after the last one the run stops as soon as <see cref="PlateauPatience"/>
    /// epochs in a row bring no improvement (early stopping may end it sooner). At least 0; 0 (the default) sets no
    /// limit, so only <see cref="EarlyStoppingPatience"/> ends the run.
    /// </summary>
    public int PlateauMaxReductions { get; set; }

    /// <summary>
    /// Fixed reductions: the rate of every step after each listed epoch (1-based, strictly increasing) is multiplied by
    /// <see cref="PlateauFactor"/> (on top of <see cref="Schedule"/>; as PyTorch's <c>MultiStepLR</c> with the milestones
    /// at those epochs' ends). No validation set needed: it replays a reduce-on-plateau run's
    /// <see cref="TrainingResult.LearningRateReductionEpochs"/>, e.g. in a refit on all rows. Not with
    /// <see cref="PlateauPatience"/> &gt; 0. Null or empty (the default): none.
    /// </summary>
    public IReadOnlyList<int>? LearningRateReductionEpochs { get; set; }

    /// <summary>
    /// Early stopping and reduce-on-plateau: an improvement must also lower the validation loss by this fraction of the
    /// best loss so far (loss &lt; best − <see cref="EarlyStoppingMinDelta"/> − this·|best|), so a slow creep does not
    /// reset the patience. Scale-free (the same in label and standardized units). In [0, 1); 0 (the default) turns it off.
    /// </summary>
    public float EarlyStoppingRelativeMinDelta { get; set; }

    /// <summary>
    /// Early stopping: the patience grows with the run, max(<see cref="EarlyStoppingPatience"/>, ⌈this · best epoch⌉),
    /// so a run that improves for long is given longer, a short one stops sooner when
    /// <see cref="EarlyStoppingPatience"/> is small. In [0, 1]; 0 (the default) keeps <see cref="EarlyStoppingPatience"/>.
    /// </summary>
    public float EarlyStoppingPatienceFraction { get; set; }

    private void ValidatePlateau()
    {
        SettingRules.PlateauPatience.Check(PlateauPatience, nameof(PlateauPatience));
        SettingRules.PlateauFactor.Check(PlateauFactor, nameof(PlateauFactor));
        SettingRules.PlateauMaxReductions.Check(PlateauMaxReductions, nameof(PlateauMaxReductions));
        SettingRules.EarlyStoppingRelativeMinDelta.Check(EarlyStoppingRelativeMinDelta, nameof(EarlyStoppingRelativeMinDelta));
        SettingRules.EarlyStoppingPatienceFraction.Check(EarlyStoppingPatienceFraction, nameof(EarlyStoppingPatienceFraction));
        SettingRules.CheckPlateau(PlateauPatience, EarlyStoppingPatience, nameof(PlateauPatience), nameof(EarlyStoppingPatience));
        if (LearningRateReductionEpochs is { Count: > 0 } epochs)
        {
            if (PlateauPatience > 0)
                throw new ArgumentException($"{nameof(LearningRateReductionEpochs)} fixes the epochs of the reductions; {nameof(PlateauPatience)} finds them from the validation loss. " +
                    $"Set one of them only ({nameof(PlateauPatience)} = 0 or {nameof(LearningRateReductionEpochs)} = null).", nameof(LearningRateReductionEpochs));
            SettingRules.CheckReductionEpochs(epochs, nameof(LearningRateReductionEpochs));
        }
    }
}
