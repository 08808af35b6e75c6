using BnMlNet.Engine;

namespace BnMlNet.MlNet.Onnx;

/// <summary>
/// Writes an ensemble's combination (<see cref="EnsembleCombination"/>) as standard operators that exist from opset 9:
/// the wide output [N, k·C] is reshaped to [N, k, C] and reduced over the member axis, in the same log-sum-exp forms
/// as the engine, so a saturated member stays finite.
/// </summary>
internal static class EnsembleOnnxEmitter
{
    /// <summary>Combines <paramref name="wide"/> (the members' raw outputs) into <paramref name="output"/> ([N, C]).</summary>
    public static void Emit(OnnxGraphBuilder graph, InferenceNetwork network, string wide, string output)
    {
        int k = network.EnsembleSize, c = network.OutputSize;
        string shape = graph.Context.AddInitializer(new long[] { -1, k, c }, new long[] { 3 }, "BatchNormMlp.Ensemble.Shape");
        string members = graph.Scratch("Ensemble.Members");
        graph.Node("Reshape", members, wide, shape);
        string logK = graph.Constant("Ensemble.LogK", MathF.Log(k));
        switch (network.Combination)
        {
            case EnsembleCombination.Mean:
                Reduce(graph, "ReduceMean", members, output);
                break;
            case EnsembleCombination.LogMeanExp:
            {
                string lse = graph.Scratch("Ensemble.LogSumExp");
                Reduce(graph, "ReduceLogSumExp", members, lse);
                graph.Node("Sub", output, lse, logK);
                break;
            }
            case EnsembleCombination.BinaryLogit:
            {
                // logit(mean σ(z)) = LSE(−softplus(−z)) − LSE(−softplus(z))
                string negZ = graph.Scratch("Ensemble.NegZ");
                graph.Node("Neg", negZ, members);
                string logP = NegSoftplus(graph, negZ, "LogP");
                string logQ = NegSoftplus(graph, members, "LogQ");
                string lseP = graph.Scratch("Ensemble.LseP"), lseQ = graph.Scratch("Ensemble.LseQ");
                Reduce(graph, "ReduceLogSumExp", logP, lseP);
                Reduce(graph, "ReduceLogSumExp", logQ, lseQ);
                graph.Node("Sub", output, lseP, lseQ);
                break;
            }
            default:
            {
                string logSoftmax = graph.Scratch("Ensemble.LogSoftmax");
                graph.Node("LogSoftmax", logSoftmax, members).AddAttribute("axis", 2L);
                string lse = graph.Scratch("Ensemble.LogSumExp");
                Reduce(graph, "ReduceLogSumExp", logSoftmax, lse);
                graph.Node("Sub", output, lse, logK);
                break;
            }
        }
    }

    private static string NegSoftplus(OnnxGraphBuilder graph, string input, string tag)
    {
        string softplus = graph.Scratch($"Ensemble.{tag}.Softplus");
        graph.Node("Softplus", softplus, input);
        string result = graph.Scratch($"Ensemble.{tag}");
        graph.Node("Neg", result, softplus);
        return result;
    }

    private static void Reduce(OnnxGraphBuilder graph, string op, string input, string output)
    {
        var node = graph.Node(op, output, input);
        node.AddAttribute("axes", new long[] { 1 });
        node.AddAttribute("keepdims", 0L);
    }
}
