using BnMlNet.Engine.Preprocessing;
using BnMlNet.Engine;

namespace BnMlNet.MlNet.Persistence;

/// <summary>The preprocessing block of payload format version 2, with the quantile block from version 7 (layout in <see cref="ModelPayloadFormat"/>).</summary>
internal static class PreprocessingPayload
{
    /// <summary>Writes the block; <paramref name="withQuantile"/> (version 7) appends the quantile block.</summary>
    public static void Write(BinaryWriter w, FeaturePreprocessor? p, bool withQuantile)
    {
        if ((p?.Quantile is not null) != withQuantile) throw new InvalidOperationException("The payload version does not match the preprocessing's quantile map.");
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
        if (p.Quantile is not { } map) return;
        for (int j = 0; j < map.FeatureCount; j++)
        {
            var knots = map.Knots(j);
            w.Write(knots.Count);
            foreach (var (x, _) in knots) w.Write(x);
            foreach (var (_, y) in knots) w.Write(y);
        }
    }

    /// <summary>Reads the block; <paramref name="damaged"/> makes the reader's "model is damaged" exception.</summary>
    public static FeaturePreprocessor? Read(BinaryReader r, Func<string, InvalidDataException> damaged, bool withQuantile)
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
        QuantileMap? map = null;
        if (withQuantile)
        {
            var knots = new (float X, float Y)[n][];
            for (int j = 0; j < n; j++)
            {
                Remaining(r, sizeof(int), "quantile knot count", damaged);
                int c = r.ReadInt32();
                if (c < 1) throw damaged($"the quantile map declares {c} knots for input {j}");
                Remaining(r, 2L * c * sizeof(float), "quantile knots", damaged);
                knots[j] = new (float, float)[c];
                for (int i = 0; i < c; i++) knots[j][i].X = r.ReadSingle();
                for (int i = 0; i < c; i++) knots[j][i].Y = r.ReadSingle();
            }
            try { map = new QuantileMap(knots); }
            catch (ArgumentException e) { throw damaged($"the quantile map is invalid: {e.Message}"); }
        }
        try { return new FeaturePreprocessor(arrays[0], arrays[1], arrays[2], arrays[3], arrays[4], indicators, clip, map); }
        catch (ArgumentException e) when (map is not null) { throw damaged($"the preprocessing is invalid: {e.Message}"); }
    }

    private static void Remaining(BinaryReader r, long bytes, string what, Func<string, InvalidDataException> damaged)
    {
        if (bytes > r.BaseStream.Length - r.BaseStream.Position)
            throw damaged($"the preprocessing {what} declares {bytes} bytes but only {r.BaseStream.Length - r.BaseStream.Position} remain");
    }
}
