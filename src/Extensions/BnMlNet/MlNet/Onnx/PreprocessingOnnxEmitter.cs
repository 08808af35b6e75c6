using BnMlNet.Engine.Preprocessing;
using BnMlNet.Engine;

namespace BnMlNet.MlNet.Onnx;

/// <summary>
/// Writes a <see cref="FeaturePreprocessor"/> as standard ONNX operators (opset 9), step for step as
/// <see cref="FeaturePreprocessor.Apply"/> computes it, so both give the same floats:
/// NaN → fill (<c>IsNaN</c>, <c>Where</c>); ±∞ → the training range (x − x is NaN exactly for ±∞ once NaN is gone;
/// <c>Greater</c> picks the side); z = (x − center)·inverse scale; with smooth clipping, z clamped to ±1e15 then
/// z / √(1 + (z/3)²), or a quantile map instead (<see cref="QuantileOnnxEmitter"/>); the missing indicators (<c>Gather</c> of the NaN mask, <c>Cast</c> to float) appended by <c>Concat</c>.
/// </summary>
internal static class PreprocessingOnnxEmitter
{
    private const long OnnxFloat = 1;

    public static void Emit(OnnxGraphBuilder g, FeaturePreprocessor p, string features, string output)
    {
        int n = p.InputSize;
        string isNan = g.Scratch("Pre.IsNaN");
        g.Node("IsNaN", isNan, features);
        string filled = g.Scratch("Pre.Filled");
        g.Node("Where", filled, isNan, g.Floats("Pre.Fill", p.Fill, n), features);
        string self = g.Scratch("Pre.SelfDifference");
        g.Node("Sub", self, filled, filled);
        string isInf = g.Scratch("Pre.IsInfinite");
        g.Node("IsNaN", isInf, self);
        string positive = g.Scratch("Pre.Positive");
        g.Node("Greater", positive, filled, g.Constant("Pre.Zero", 0f));
        string bound = g.Scratch("Pre.Bound");
        g.Node("Where", bound, positive, g.Floats("Pre.Maximum", p.Maximum, n), g.Floats("Pre.Minimum", p.Minimum, n));
        string bounded = g.Scratch("Pre.Bounded");
        g.Node("Where", bounded, isInf, bound, filled);
        bool indicators = p.IndicatorInputs.Count > 0;
        if (p.Quantile is { } map)
        {
            string mapped = indicators ? g.Scratch("Pre.Mapped") : output;
            QuantileOnnxEmitter.Emit(g, map, bounded, mapped);
            if (indicators) EmitIndicators(g, p, isNan, mapped, output);
            return;
        }
        string centered = g.Scratch("Pre.Centered");
        g.Node("Sub", centered, bounded, g.Floats("Pre.Center", p.Center, n));
        string scaled = !p.SmoothClip && !indicators ? output : g.Scratch("Pre.Scaled");
        g.Node("Mul", scaled, centered, g.Floats("Pre.InverseScale", p.InverseScale, n));
        string values = scaled;
        if (p.SmoothClip)
        {
            string low = g.Scratch("Pre.ClampLow");
            g.Node("Max", low, scaled, g.Constant("Pre.MinusGuard", -FeaturePreprocessor.ClipGuard));
            string clamped = g.Scratch("Pre.Clamped");
            g.Node("Min", clamped, low, g.Constant("Pre.Guard", FeaturePreprocessor.ClipGuard));
            string third = g.Scratch("Pre.Third");
            g.Node("Div", third, clamped, g.Constant("Pre.Three", 3f));
            string square = g.Scratch("Pre.Square");
            g.Node("Mul", square, third, third);
            string onePlus = g.Scratch("Pre.OnePlus");
            g.Node("Add", onePlus, g.Constant("Pre.One", 1f), square);
            string root = g.Scratch("Pre.Root");
            g.Node("Sqrt", root, onePlus);
            values = indicators ? g.Scratch("Pre.Clipped") : output;
            g.Node("Div", values, clamped, root);
        }
        if (indicators) EmitIndicators(g, p, isNan, values, output);
    }

    private static void EmitIndicators(OnnxGraphBuilder g, FeaturePreprocessor p, string isNan, string values, string output)
    {
        string picked = g.Scratch("Pre.MissingMask");
        string index = g.Context.AddInitializer(p.IndicatorInputs.Select(i => (long)i), new long[] { p.IndicatorInputs.Count }, "BatchNormMlp.Pre.IndicatorInputs");
        g.Node("Gather", picked, isNan, index).AddAttribute("axis", 1L);
        string flags = g.Scratch("Pre.Indicators");
        g.Node("Cast", flags, picked).AddAttribute("to", OnnxFloat);
        g.Node("Concat", output, values, flags).AddAttribute("axis", 1L);
    }
}
