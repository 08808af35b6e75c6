namespace BnMlNet.MlNet.Scoring;

/// <summary>
/// Applies a model's <see cref="NonFiniteScoring"/> to one row before anything else touches it: under a throwing
/// policy, the first refused NaN or ±∞ is an <see cref="InvalidOperationException"/> naming the column, the slot and
/// the value. A no-op (one branch) under <see cref="NonFiniteScoring.Impute"/>.
/// </summary>
internal static class NonFiniteScoringCheck
{
    /// <summary>Throws at the first value in <paramref name="values"/> that <paramref name="policy"/> refuses.</summary>
    public static void Check(ReadOnlySpan<float> values, NonFiniteScoring policy, string column) =>
        Check(default, values, policy, column);

    /// <summary>
    /// The same for a sparse row: <paramref name="values"/> are the listed values at slots <paramref name="indices"/>
    /// (the implicit zeros are finite). Empty <paramref name="indices"/> means a dense row (slot = position).
    /// </summary>
    public static void Check(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, NonFiniteScoring policy, string column)
    {
        if (policy == NonFiniteScoring.Impute) return;
        bool nan = (policy & NonFiniteScoring.ThrowOnNaN) != 0, infinity = (policy & NonFiniteScoring.ThrowOnInfinity) != 0;
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (float.IsFinite(v)) continue;
            if (float.IsNaN(v) ? nan : infinity) throw Refused(column, indices.IsEmpty ? i : indices[i], v, policy);
        }
    }

    /// <summary>How a value is named in the message: NaN, +∞ or −∞.</summary>
    public static string Name(float value) => float.IsNaN(value) ? "NaN" : value > 0 ? "+∞" : "−∞";

    private static InvalidOperationException Refused(string column, int slot, float value, NonFiniteScoring policy)
    {
        string expected = policy == NonFiniteScoring.Throw ? "a finite value"
            : (policy & NonFiniteScoring.ThrowOnNaN) != 0 ? "a value that is not NaN (±∞ would be clipped)"
            : "a value that is not ±∞ (NaN would be imputed)";
        return new InvalidOperationException(
            $"Feature column '{column}' slot {slot} is {Name(value)}, but this model was trained with " +
            $"{nameof(NonFiniteScoring)} = {policy}, so it expects {expected} there. Replace such values before scoring " +
            $"(for example with ReplaceMissingValues), or train with NonFiniteScoring = Impute to have them imputed " +
            $"(BatchNormMlpModelParameters.WithNonFiniteScoring gives such a copy for Predict).");
    }
}
