namespace BnMlNet;

/// <summary>How the model scales each numeric feature before the network (statistics learned from the training data, frozen).</summary>
public enum NumericScaling
{
    /// <summary>The features enter the network as they are.</summary>
    None = 0,
    /// <summary>
    /// Robust scaling then smooth clipping: z = (x − median)/IQR, then z/√(1 + (z/3)²), which is about z near 0 and
    /// tends to ±3 far out. A zero IQR falls back to (max − min)/2 of the sample, a constant feature to 1.
    /// </summary>
    Robust = 1,
    /// <summary>
    /// Quantile scaling to a normal shape (scikit-learn's <c>QuantileTransformer(output_distribution='normal')</c>, the
    /// rtdl choice), fitted on the same bounded training sample as <see cref="Robust"/>: per feature n_quantiles =
    /// clamp(rows/30, 10, 1000) knots (x_i, Φ⁻¹(i/(q − 1))), outputs clipped to ±5.2 (Φ⁻¹(1e-7)), piecewise linear
    /// between the knots (in the normal space; scikit-learn interpolates in the uniform space, then applies Φ⁻¹) and
    /// constant outside them. Tied knots (a zero-inflated column) become one knot at the middle of the run's
    /// probabilities, including a run at the sample's minimum or maximum (scikit-learn maps those to ∓5.2). Features
    /// with at most two distinct sample values (0/1 flags, one-hot slots) map low → 0, high → 1, so one-hot slots pass
    /// unchanged; a constant maps to 0. NaN takes the training median first, then the map; missing indicators are
    /// 0/1 and never mapped. Saved as model payload version 7; exported to ONNX. Not the default: measured in round 16 of docs/tabular-recipe.md
    /// (mean change −0.0020 over seeds 42 and 1 on the 15 bench tables, housing −0.031).
    /// </summary>
    Quantile = 2,
}
