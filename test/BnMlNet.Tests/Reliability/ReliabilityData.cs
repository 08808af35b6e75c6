using Microsoft.ML;
using Microsoft.ML.Data;

namespace BnMlNet.Tests.Reliability;

/// <summary>Rows with a 3-slot feature vector and all three label kinds (Class is the text of a class).</summary>
public sealed class VectorRow
{
    [VectorType(3)] public float[] Features { get; set; } = new float[3];
    public bool Label { get; set; }
    public float Target { get; set; }
    public string Class { get; set; } = "";
    public float Weight { get; set; } = 1;
}

/// <summary>Deterministic small data sets and helpers shared by the reliability tests.</summary>
internal static class ReliabilityData
{
    /// <summary>A learnable problem: Label = x0 + x1 − x2 &gt; 0, Target = 2·x0 − x1 + 0.5·x2, three classes by thresholds.</summary>
    public static List<VectorRow> Rows(int count, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        var rows = new List<VectorRow>(count);
        for (int i = 0; i < count; i++)
        {
            float a = (float)(random.NextDouble() * 2 - 1), b = (float)(random.NextDouble() * 2 - 1), c = (float)(random.NextDouble() * 2 - 1);
            float s = a + b - c;
            rows.Add(new VectorRow
            {
                Features = [a * scale, b * scale, c * scale],
                Label = s > 0,
                Target = 2 * a - b + 0.5f * c,
                Class = s < -0.5f ? "low" : s < 0.5f ? "mid" : "high",
            });
        }
        return rows;
    }

    /// <summary>Collects every message the MLContext logs.</summary>
    public static List<string> CaptureLog(MLContext ml)
    {
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        return messages;
    }

    /// <summary>Every weight, bias, γ, β and running statistic of the model, in a fixed order, as raw bits.</summary>
    public static int[] AllBits(BatchNormMlpModelParameters model)
    {
        var bits = new List<int>();
        void Add(IEnumerable<float>? values)
        {
            if (values is null) return;
            foreach (float v in values) bits.Add(BitConverter.SingleToInt32Bits(v));
        }
        void AddBn(BatchNormParameters? bn)
        {
            if (bn is null) return;
            Add(bn.Gamma); Add(bn.Beta); Add(bn.RunningMean); Add(bn.RunningVariance);
        }
        AddBn(model.InputBatchNorm);
        foreach (var layer in model.Layers)
        {
            Add(layer.Weights); Add(layer.Bias); AddBn(layer.BatchNorm);
        }
        return bits.ToArray();
    }

    /// <summary>True when every stored parameter of the model is finite.</summary>
    public static bool AllFinite(BatchNormMlpModelParameters model) =>
        AllBits(model).All(b => float.IsFinite(BitConverter.Int32BitsToSingle(b)));
}
