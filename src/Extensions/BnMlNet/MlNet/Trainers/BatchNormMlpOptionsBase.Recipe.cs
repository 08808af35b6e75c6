using BnMlNet.MlNet.Trainers;

namespace BnMlNet;

public abstract partial class BatchNormMlpOptionsBase
{
    // ---- Tabular recipe ----

    /// <summary>
    /// When <c>Fit</c> gets no validation set, hold out this fraction of the usable training rows as one, drawn from
    /// <see cref="Seed"/>: cached data gets exactly round(N·f) rows; streamed data sends each row by a seeded hash of
    /// its values. The held-out rows are not trained on; they drive <see cref="EarlyStoppingPatience"/> and the best
    /// epoch kept. An explicit validation set always wins. In [0, 1); 0 turns the hold-out off. Fewer than 2 rows on
    /// either side is an error.
    /// </summary>
    public float ValidationFraction = RecipeDefaults.ValidationFraction;
}
