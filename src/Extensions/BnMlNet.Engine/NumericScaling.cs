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
}
