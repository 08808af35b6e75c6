using BnMlNet.Engine.Preprocessing;

namespace BnMlNet.MlNet.Onnx;

/// <summary>
/// Writes a <see cref="QuantileMap"/> as standard ONNX operators (opset 9): per feature j with knots (x_i, y_i) and
/// slopes s_i, f(x) = y_0 + Σ_i s_i·clip(x − x_i, 0, x_{i+1} − x_i), every feature padded to the same K segments (a
/// padded segment has width 0 and slope 0). <c>Reshape</c> [N, n, 1] → <c>Sub</c> X [n, K] → <c>Max</c> 0 →
/// <c>Min</c> widths [n, K] → <c>Reshape</c> [N, n, 1, K] → <c>MatMul</c> slopes [n, K, 1] → <c>Reshape</c> [N, n]
/// → <c>Add</c> y_0. Equal to <see cref="QuantileMap.Map"/> up to float rounding of the sum (not bit for bit).
/// The intermediate is N·n·K floats (K ≤ 999).
/// </summary>
internal static class QuantileOnnxEmitter
{
    public static void Emit(OnnxGraphBuilder g, QuantileMap map, string input, string output)
    {
        int n = map.FeatureCount;
        int k = Math.Max(1, Enumerable.Range(0, n).Max(j => map.Knots(j).Count - 1));
        var start = new float[n * k];
        var width = new float[n * k];
        var slope = new float[n * k];
        var first = new float[n];
        for (int j = 0; j < n; j++)
        {
            var knots = map.Knots(j);
            first[j] = knots[0].Y;
            for (int i = 0; i < k; i++)
            {
                int at = j * k + i;
                if (i + 1 < knots.Count)
                {
                    start[at] = knots[i].X;
                    double w = (double)knots[i + 1].X - knots[i].X;
                    width[at] = (float)w;
                    slope[at] = (float)(((double)knots[i + 1].Y - knots[i].Y) / w);
                }
                else start[at] = knots[^1].X;   // width 0, slope 0: contributes nothing
            }
        }
        string Longs(string name, long[] values) => g.Context.AddInitializer(values, new long[] { values.Length }, $"BatchNormMlp.Pre.Quantile.{name}");
        string column = g.Scratch("Pre.Quantile.Column");
        g.Node("Reshape", column, input, Longs("ShapeColumn", [-1L, n, 1L]));
        string shifted = g.Scratch("Pre.Quantile.Shifted");
        g.Node("Sub", shifted, column, g.Floats("Pre.Quantile.Start", start, n, k));
        string low = g.Scratch("Pre.Quantile.Low");
        g.Node("Max", low, shifted, g.Constant("Pre.Quantile.Zero", 0f));
        string clipped = g.Scratch("Pre.Quantile.Clipped");
        g.Node("Min", clipped, low, g.Floats("Pre.Quantile.Width", width, n, k));
        string rows = g.Scratch("Pre.Quantile.Rows");
        g.Node("Reshape", rows, clipped, Longs("ShapeRows", [-1L, n, 1L, k]));
        string summed = g.Scratch("Pre.Quantile.Summed");
        g.Node("MatMul", summed, rows, g.Floats("Pre.Quantile.Slope", slope, n, k, 1));
        string flat = g.Scratch("Pre.Quantile.Flat");
        g.Node("Reshape", flat, summed, Longs("ShapeFlat", [-1L, n]));
        g.Node("Add", output, flat, g.Floats("Pre.Quantile.First", first, n));
    }
}
