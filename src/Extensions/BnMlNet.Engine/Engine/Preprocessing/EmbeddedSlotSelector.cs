namespace BnMlNet.Engine.Preprocessing;

/// <summary>
/// Chooses which input slots a numerical embedding embeds: every slot with more than two distinct finite values in the
/// training rows. A slot with at most two values (a one-hot level, a missing indicator, any 0/1 flag, a constant) passes
/// through: an embedding of a two-valued input is an affine function of it, which the first dense layer already is.
/// One in-order pass, O(rows × slots) time and O(slots) memory, so streamed data works.
/// </summary>
public static class EmbeddedSlotSelector
{
    /// <summary>The slots of <paramref name="data"/> with more than two distinct finite values, ascending (possibly empty).</summary>
    public static int[] Select(IMiniBatchSource data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int f = data.FeatureCount;
        var first = new float[f];
        var second = new float[f];
        var seen = new byte[f];   // distinct values seen so far: 0, 1, 2, or 3 (= more than two)
        int open = f;
        foreach (var b in data.GetBatches(4096, null))
        {
            var x = b.Features.Span;
            for (int r = 0; r < b.Rows && open > 0; r++)
                for (int j = 0; j < f; j++)
                {
                    float v = x[r * f + j];
                    if (!float.IsFinite(v)) continue;
                    switch (seen[j])
                    {
                        case 0: first[j] = v; seen[j] = 1; break;
                        case 1: if (v != first[j]) { second[j] = v; seen[j] = 2; } break;
                        case 2: if (v != first[j] && v != second[j]) { seen[j] = 3; open--; } break;
                    }
                }
            if (open == 0) break;
        }
        return Enumerable.Range(0, f).Where(j => seen[j] == 3).ToArray();
    }
}
