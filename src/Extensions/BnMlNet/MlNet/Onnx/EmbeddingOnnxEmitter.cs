using BnMlNet.Engine;

namespace BnMlNet.MlNet.Onnx;

/// <summary>
/// Writes a <see cref="PeriodicEmbeddingParameters"/> as standard ONNX operators (opset 9), in the engine's order of
/// float operations: <c>Gather</c> the m embedded slots → <c>Reshape</c> [N, m, 1] → <c>Mul</c> by the [m×k] products
/// float(2π)·c (the same float products the engine forms) → <c>Cos</c>, <c>Sin</c> → <c>Concat</c> [N, m, 2k] →
/// <c>Reshape</c> [N, m, 1, 2k] → <c>MatMul</c> with W [m, 2k, d] (broadcast over N) → <c>Reshape</c> [N, m, d] →
/// <c>Add</c> b [m, d] → <c>Relu</c> → <c>Reshape</c> [N, m·d], then <c>Concat</c> with the <c>Gather</c>ed
/// pass-through slots. The sums inside MatMul may be ordered differently from the engine's: agreement is to float
/// rounding (the parity tests allow 1e-4).
/// </summary>
internal static class EmbeddingOnnxEmitter
{
    public static void Emit(OnnxGraphBuilder g, PeriodicEmbeddingParameters e, string input, string output)
    {
        int m = e.Slots.Count, k = e.Frequencies, d = e.Dimension;
        string Longs(string name, IEnumerable<long> values, int count) => g.Context.AddInitializer(values, new long[] { count }, $"BatchNormMlp.Emb.{name}");
        string picked = g.Scratch("Emb.Picked");
        g.Node("Gather", picked, input, Longs("Slots", e.Slots.Select(s => (long)s), m)).AddAttribute("axis", 1L);
        string column = g.Scratch("Emb.Column");
        g.Node("Reshape", column, picked, Longs("ShapeColumn", [-1L, m, 1L], 3));
        var scaled = e.Frequency.Select(c => PeriodicEmbeddingParameters.TwoPi * c).ToArray();
        string angle = g.Scratch("Emb.Angle");
        g.Node("Mul", angle, column, g.Floats("Emb.TwoPiFrequency", scaled, m, k));
        string cos = g.Scratch("Emb.Cos"), sin = g.Scratch("Emb.Sin"), periodic = g.Scratch("Emb.Periodic");
        g.Node("Cos", cos, angle);
        g.Node("Sin", sin, angle);
        g.Node("Concat", periodic, cos, sin).AddAttribute("axis", 2L);
        string rows = g.Scratch("Emb.Rows");
        g.Node("Reshape", rows, periodic, Longs("ShapeRows", [-1L, m, 1L, 2L * k], 4));
        string product = g.Scratch("Emb.Product");
        g.Node("MatMul", product, rows, g.Floats("Emb.Weights", e.Weights, m, 2 * k, d));
        string blocks = g.Scratch("Emb.Blocks");
        g.Node("Reshape", blocks, product, Longs("ShapeBlocks", [-1L, m, d], 3));
        string biased = g.Scratch("Emb.Biased"), active = g.Scratch("Emb.Active");
        g.Node("Add", biased, blocks, g.Floats("Emb.Bias", e.Bias, m, d));
        g.Node("Relu", active, biased);
        if (e.PassThroughSlots.Count == 0)
        {
            g.Node("Reshape", output, active, Longs("ShapeFlat", [-1L, (long)m * d], 2));
            return;
        }
        string flat = g.Scratch("Emb.Flat"), passed = g.Scratch("Emb.PassThrough");
        g.Node("Reshape", flat, active, Longs("ShapeFlat", [-1L, (long)m * d], 2));
        g.Node("Gather", passed, input, Longs("PassThroughSlots", e.PassThroughSlots.Select(s => (long)s), e.PassThroughSlots.Count)).AddAttribute("axis", 1L);
        g.Node("Concat", output, flat, passed).AddAttribute("axis", 1L);
    }
}
