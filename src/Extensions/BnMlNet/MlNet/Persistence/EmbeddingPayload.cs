using BnMlNet.Engine;

namespace BnMlNet.MlNet.Persistence;

/// <summary>The numerical-embedding block of payload format versions 5 and 6 (layout in <see cref="ModelPayloadFormat"/>).</summary>
internal static class EmbeddingPayload
{
    /// <summary>Embedding kinds as stored (0 is reserved for "none" so a zeroed block is not mistaken for one).</summary>
    private const int PeriodicKind = 1;

    public static void Write(BinaryWriter w, PeriodicEmbeddingParameters? e)
    {
        w.Write(e is not null);
        if (e is null) return;
        w.Write(PeriodicKind);
        w.Write(e.InputSize);
        w.Write(e.Frequencies);
        w.Write(e.Dimension);
        w.Write(e.Slots.Count);
        foreach (int s in e.Slots) w.Write(s);
        foreach (var values in new[] { e.Frequency, e.Weights, e.Bias })
        {
            w.Write(values.Count);
            foreach (float v in values) w.Write(v);
        }
    }

    /// <summary>Reads the block; <paramref name="damaged"/> makes the reader's "model is damaged" exception.</summary>
    public static PeriodicEmbeddingParameters? Read(BinaryReader r, Func<string, InvalidDataException> damaged)
    {
        if (!r.ReadBoolean()) return null;
        int kind = r.ReadInt32();
        if (kind != PeriodicKind) throw damaged($"the embedding kind {kind} is not known");
        int inputSize = r.ReadInt32(), k = r.ReadInt32(), d = r.ReadInt32(), m = r.ReadInt32();
        if (inputSize < 1 || inputSize > ModelPayloadFormat.MaxLayerWidth) throw damaged($"the embedding input size {inputSize} is out of range");
        if (!SettingRules.EmbeddingFrequencies.Contains(k) || !SettingRules.EmbeddingDimension.Contains(d))
            throw damaged($"the embedding shape (k = {k}, d = {d}) is out of range");
        if (m < 1 || m > inputSize) throw damaged($"the embedding declares {m} embedded slots for {inputSize} inputs");
        Remaining(r, (long)m * sizeof(int), "slots", damaged);
        var slots = new int[m];
        for (int i = 0; i < m; i++) slots[i] = r.ReadInt32();
        long[] expected = [(long)m * k, (long)m * 2 * k * d, (long)m * d];
        string[] names = ["frequency", "weights", "bias"];
        var arrays = new float[3][];
        for (int a = 0; a < 3; a++)
        {
            int count = r.ReadInt32();
            if (count != expected[a]) throw damaged($"the embedding {names[a]} holds {count} values where its shape says {expected[a]}");
            Remaining(r, (long)count * sizeof(float), names[a], damaged);
            arrays[a] = new float[count];
            for (int i = 0; i < count; i++) arrays[a][i] = r.ReadSingle();
        }
        // The constructor checks the slots (ascending, in range) and finiteness; its ArgumentException becomes "damaged".
        return new PeriodicEmbeddingParameters(inputSize, slots, k, d, arrays[0], arrays[1], arrays[2]);
    }

    private static void Remaining(BinaryReader r, long bytes, string what, Func<string, InvalidDataException> damaged)
    {
        if (bytes > r.BaseStream.Length - r.BaseStream.Position)
            throw damaged($"the embedding {what} declares {bytes} bytes but only {r.BaseStream.Length - r.BaseStream.Position} remain");
    }
}
