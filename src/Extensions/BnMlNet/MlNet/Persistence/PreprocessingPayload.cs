using BnMlNet.Engine.Preprocessing;
using BnMlNet.Engine;

namespace BnMlNet.MlNet.Persistence;

/// <summary>The preprocessing block of payload format version 2 (layout in <see cref="ModelPayloadFormat"/>).</summary>
internal static class PreprocessingPayload
{
    public static void Write(BinaryWriter w, FeaturePreprocessor? p)
    {
        if (p?.Quantile is not null)
            throw new NotSupportedException("NumericScaling.Quantile is not yet carried by the model zip (it needs payload version 7, not built yet); train with NumericScaling.Robust or None to save the model.");
        w.Write(p is not null);
        if (p is null) return;
        w.Write(p.InputSize);
        w.Write(p.SmoothClip);
        foreach (var values in new[] { p.Fill, p.Minimum, p.Maximum, p.Center, p.InverseScale })
        {
            w.Write(values.Count);
            foreach (float v in values) w.Write(v);
        }
        w.Write(p.IndicatorInputs.Count);
        foreach (int i in p.IndicatorInputs) w.Write(i);
    }

    /// <summary>Reads the block; <paramref name="damaged"/> makes the reader's "model is damaged" exception.</summary>
    public static FeaturePreprocessor? Read(BinaryReader r, Func<string, InvalidDataException> damaged)
    {
        if (!r.ReadBoolean()) return null;
        int n = r.ReadInt32();
        if (n < 1 || n > ModelPayloadFormat.MaxLayerWidth) throw damaged($"the preprocessing input size {n} is out of range");
        bool clip = r.ReadBoolean();
        var arrays = new float[5][];
        string[] names = ["fill", "minimum", "maximum", "center", "inverse scale"];
        for (int a = 0; a < 5; a++)
        {
            int count = r.ReadInt32();
            if (count != n) throw damaged($"the preprocessing {names[a]} holds {count} values where its input size says {n}");
            Remaining(r, (long)count * sizeof(float), names[a], damaged);
            arrays[a] = new float[count];
            for (int i = 0; i < count; i++) arrays[a][i] = r.ReadSingle();
        }
        int k = r.ReadInt32();
        if (k < 0 || k > n) throw damaged($"the preprocessing declares {k} missing indicators for {n} inputs");
        Remaining(r, (long)k * sizeof(int), "indicators", damaged);
        var indicators = new int[k];
        for (int i = 0; i < k; i++) indicators[i] = r.ReadInt32();
        return new FeaturePreprocessor(arrays[0], arrays[1], arrays[2], arrays[3], arrays[4], indicators, clip);
    }

    private static void Remaining(BinaryReader r, long bytes, string what, Func<string, InvalidDataException> damaged)
    {
        if (bytes > r.BaseStream.Length - r.BaseStream.Position)
            throw damaged($"the preprocessing {what} declares {bytes} bytes but only {r.BaseStream.Length - r.BaseStream.Position} remain");
    }
}
