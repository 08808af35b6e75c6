using BnMlNet.MlNet.Trainers;

namespace BnMlNet;

public abstract partial class BatchNormMlpOptionsBase
{
    // ---- Reduce-on-plateau and the stopping rule (issue 13 goal 1) ----

    /// <summary>
    /// Reduce-on-plateau (as PyTorch's <c>ReduceLROnPlateau</c>, counted as Keras counts: this patience p reduces after p bad epochs, PyTorch's patience p − 1 does): after this many epochs in a row without a validation
    /// improvement (counted from the last improvement or the last reduction), the learning rate of every later step is
    /// multiplied by <see cref="PlateauFactor"/>, on top of <see cref="LearningRateSchedule"/>. Needs early stopping
    /// (<see cref="EarlyStoppingPatience"/> above 0, and above this, else early stopping ends training before a reduction)
    /// and a validation set (the hold-out of
    /// <see cref="ValidationFraction"/> or <c>Fit(train, validation)</c>); without one it does nothing. A refit on all
    /// rows (<see cref="RefitOnAllRows"/>) reduces the rate after the same epochs. At least 0; 0 turns it off.
    /// Default 0 (off; docs/tabular-recipe.md, round 11).
    /// </summary>
    public int PlateauPatience = RecipeDefaults.PlateauPatience;

    /// <summary>What each reduction of <see cref="PlateauPatience"/> multiplies the learning rate by, in (0, 1). Default 0.2.</summary>
    public float PlateauFactor = RecipeDefaults.PlateauFactor;

    /// <summary>
    /// The most reductions of <see cref="PlateauPatience"/>; after the last one, training stops as soon as
    /// <see cref="PlateauPatience"/> epochs in a row bring no validation improvement (early stopping may stop it
    /// sooner). At least 0; 0 sets no limit, so <see cref="EarlyStoppingPatience"/> alone ends training. Default 0.
    /// </summary>
    public int PlateauMaxReductions = RecipeDefaults.PlateauMaxReductions;

    /// <summary>
    /// Early stopping and reduce-on-plateau: an improvement must also lower the validation loss by this fraction of the
    /// best loss so far (loss &lt; best − <see cref="EarlyStoppingMinDelta"/> − this × |best|), so a slow creep does not
    /// reset the patience; unlike <see cref="EarlyStoppingMinDelta"/> it does not depend on the label's units. In [0, 1);
    /// 0 turns it off. Default 0.
    /// </summary>
    public float EarlyStoppingRelativeMinDelta = RecipeDefaults.EarlyStoppingRelativeMinDelta;

    /// <summary>
    /// Early stopping: the patience becomes max(<see cref="EarlyStoppingPatience"/>, ⌈this × the best epoch so far⌉),
    /// so a run that improves for long waits longer, and a short run stops after <see cref="EarlyStoppingPatience"/>.
    /// In [0, 1]; 0 keeps the fixed <see cref="EarlyStoppingPatience"/>. Default 0.
    /// </summary>
    public float EarlyStoppingPatienceFraction = RecipeDefaults.EarlyStoppingPatienceFraction;
}
