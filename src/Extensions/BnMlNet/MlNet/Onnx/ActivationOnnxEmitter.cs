namespace BnMlNet.MlNet.Onnx;

/// <summary>
/// Writes one activation as standard ONNX operators, matching the engine's definitions
/// (<see cref="Activation"/>): the operators exist from opset 6 (Erf from opset 9).
/// </summary>
internal static class ActivationOnnxEmitter
{
    /// <summary>True when the activation needs no node (the identity).</summary>
    public static bool IsIdentity(Activation activation) => activation == Activation.Identity;

    /// <summary>output = f(input). Not to be called for <see cref="Activation.Identity"/>.</summary>
    public static void Emit(OnnxGraphBuilder graph, Activation activation, float leakyReluSlope, string input, string output, string tag)
    {
        switch (activation)
        {
            case Activation.Relu:
                graph.Node("Relu", output, input);
                break;
            case Activation.LeakyRelu: // x > 0 ? x : α·x
                graph.Node("LeakyRelu", output, input).AddAttribute("alpha", leakyReluSlope);
                break;
            case Activation.Tanh:
                graph.Node("Tanh", output, input);
                break;
            case Activation.Sigmoid:
                graph.Node("Sigmoid", output, input);
                break;
            case Activation.Elu: // x > 0 ? x : α·(eˣ − 1), α = 1
                graph.Node("Elu", output, input).AddAttribute("alpha", 1.0);
                break;
            case Activation.Softplus: // ln(1 + eˣ)
                graph.Node("Softplus", output, input);
                break;
            case Activation.Silu: // x·σ(x)
            {
                string sigmoid = graph.Scratch($"{tag}.Silu.Sigmoid");
                graph.Node("Sigmoid", sigmoid, input);
                graph.Node("Mul", output, input, sigmoid);
                break;
            }
            case Activation.Gelu: // 0.5·x·(1 + erf(x/√2)), the exact form: Div, Erf, Add, Mul, Mul
            {
                string scaled = graph.Scratch($"{tag}.Gelu.Div");
                string erf = graph.Scratch($"{tag}.Gelu.Erf");
                string onePlus = graph.Scratch($"{tag}.Gelu.Add");
                string times = graph.Scratch($"{tag}.Gelu.Mul");
                graph.Node("Div", scaled, input, graph.Constant($"{tag}.Gelu.Sqrt2", MathF.Sqrt(2f)));
                graph.Node("Erf", erf, scaled);
                graph.Node("Add", onePlus, erf, graph.Constant($"{tag}.Gelu.One", 1f));
                graph.Node("Mul", times, input, onePlus);
                graph.Node("Mul", output, times, graph.Constant($"{tag}.Gelu.Half", 0.5f));
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "No ONNX form for this activation.");
        }
    }
}
