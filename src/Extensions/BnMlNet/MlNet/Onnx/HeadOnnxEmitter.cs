namespace BnMlNet.MlNet.Onnx;

/// <summary>
/// Writes the task heads after the network body, into the output variables ML.NET's scorer asked for.
/// </summary>
/// <remarks>
/// The scorers decide the outputs and their order:
/// binary (ML.NET's calibrated-binary wrapper) asks for [PredictedLabel, Score, Probability] and itself thresholds
/// Score into PredictedLabel (a <c>Binarizer</c> at the transformer's threshold, 0 by default, then a Cast), so the
/// head writes Score (the logit) and Probability (its sigmoid) only;
/// multiclass asks for [PredictedLabel, Score]: Score is the softmax of the logits, PredictedLabel the arg-max as an
/// ML.NET key (1-based, UInt32), as ML.NET's own multiclass exports write it. A MapKeyToValue after the trainer
/// exports itself and turns the key back into the label's value;
/// regression asks for [Score], the value.
/// </remarks>
internal static class HeadOnnxEmitter
{
    /// <summary>Binary: the body wrote Score (the logit); Probability = σ(Score).</summary>
    public static void Binary(OnnxGraphBuilder graph, string score, string probability) =>
        graph.Node("Sigmoid", probability, score);

    /// <summary>Score = softmax of the logits over the classes (axis 1 of [N, K]).</summary>
    public static void Softmax(OnnxGraphBuilder graph, string logits, string score) =>
        graph.Node("Softmax", score, logits).AddAttribute("axis", 1L);

    /// <summary>
    /// Multiclass: Score = softmax over the classes; PredictedLabel = 1 + arg-max of Score as UInt32. The arg-max is taken
    /// over the probabilities, not the logits, and ONNX's ArgMax keeps the first index on ties: both as ML.NET's scorer.
    /// </summary>
    public static void Multiclass(OnnxGraphBuilder graph, string logits, string predictedLabel, string score)
    {
        Softmax(graph, logits, score);
        string argMax = graph.Scratch("Head.ArgMax");
        string key = graph.Scratch("Head.Key");
        var node = graph.Node("ArgMax", argMax, score);
        node.AddAttribute("axis", 1L);
        node.AddAttribute("keepdims", 1L);
        graph.Node("Add", key, argMax, graph.Constant("Head.KeyOffset", 1L));
        graph.Node("Cast", predictedLabel, key).AddAttribute("to", typeof(uint));
    }
}
