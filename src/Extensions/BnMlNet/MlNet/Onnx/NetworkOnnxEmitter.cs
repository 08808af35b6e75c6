using BnMlNet.Engine;

namespace BnMlNet.MlNet.Onnx;

/// <summary>
/// Writes the network body, features → raw outputs (logits or value), as standard ONNX operators.
/// </summary>
/// <remarks>
/// Unfolded (the default): the input batch norm, then per block <c>Gemm</c> (W as an [Out×In] initializer with
/// transB = 1, the bias or zeros as C), then <c>BatchNormalization</c> and the activation in the block's order. Each
/// <c>BatchNormalization</c> takes γ, β and the frozen running mean and variance as initializers, with the model's
/// ε; ONNX normalizes with the variance exactly as given, which is what the engine's inference does.
/// Folded: the engine's own folding (<see cref="FoldedLayer.Fold"/>), one <c>Gemm</c> and one activation per block.
/// </remarks>
internal static class NetworkOnnxEmitter
{
    /// <summary>One operation of the chain: writes <c>output</c> from <c>input</c> (possibly through several nodes).</summary>
    private readonly record struct Step(string Name, Action<string, string> Emit);

    /// <summary>Emits the body; its last node writes <paramref name="output"/>.</summary>
    public static void Emit(OnnxGraphBuilder graph, InferenceNetwork network, bool fold, string features, string output)
    {
        var steps = fold ? FoldedSteps(graph, network) : UnfoldedSteps(graph, network);
        if (network.Embedding is { } embedding)   // guard → input BN → guard → embedding → guard, as the engine scores
        {
            var front = new List<Step>();
            if (network.InputBatchNorm is { } bn)
            {
                front.Add(BatchNorm(graph, bn, "Input.BatchNorm"));
                front.Add(Guard(graph, network.InputGuard, "Input.GuardAfterBatchNorm"));
            }
            front.Add(new Step("Embedding", (input, result) => EmbeddingOnnxEmitter.Emit(graph, embedding, input, result)));
            front.Add(Guard(graph, network.InputGuard, "Embedding.Guard"));
            steps.InsertRange(0, front);
        }
        steps.Insert(0, Guard(graph, network.InputGuard));
        if (network.EnsembleSize > 1)   // the members' wide output, then their combination
            steps.Add(new Step("Ensemble", (input, result) => EnsembleOnnxEmitter.Emit(graph, network, input, result)));
        string current = features;
        for (int i = 0; i < steps.Count; i++)
        {
            string next = i == steps.Count - 1 ? output : graph.Scratch(steps[i].Name);
            steps[i].Emit(current, next);
            current = next;
        }
    }

    private static List<Step> UnfoldedSteps(OnnxGraphBuilder graph, InferenceNetwork network)
    {
        var steps = new List<Step>();
        if (network.InputBatchNorm is { } inputBn && network.Embedding is null)
            steps.Add(BatchNorm(graph, inputBn, "Input.BatchNorm"));
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            string tag = $"L{l}";
            steps.Add(Gemm(graph, layer.Weights, layer.Bias, layer.InputSize, layer.OutputSize, tag));
            if (layer.Placement == BatchNormPlacement.BeforeActivation)
                steps.Add(BatchNorm(graph, layer.BatchNorm!, $"{tag}.BatchNorm"));
            if (!ActivationOnnxEmitter.IsIdentity(layer.Activation))
                steps.Add(Activate(graph, layer.Activation, network.LeakyReluSlope, tag));
            if (layer.Placement == BatchNormPlacement.AfterActivation)
                steps.Add(BatchNorm(graph, layer.BatchNorm!, $"{tag}.BatchNorm"));
        }
        return steps;
    }

    private static List<Step> FoldedSteps(OnnxGraphBuilder graph, InferenceNetwork network)
    {
        var steps = new List<Step>();
        var folded = FoldedLayer.Fold(network.Layers, network.Embedding is null ? network.InputBatchNorm : null, out var outputAffine);
        for (int l = 0; l < folded.Length; l++)
        {
            var layer = folded[l];
            string tag = $"L{l}";
            steps.Add(Gemm(graph, layer.Weights, layer.Bias, layer.InputSize, layer.OutputSize, tag));
            if (!ActivationOnnxEmitter.IsIdentity(layer.Activation))
                steps.Add(Activate(graph, layer.Activation, network.LeakyReluSlope, tag));
        }
        if (outputAffine is { } affine) // a batch norm after the last activation: y = s·x + t
        {
            int n = affine.Scale.Length;
            steps.Add(new Step("Output.Scale", (input, output) =>
                graph.Node("Mul", output, input, graph.Floats("Output.Scale", affine.Scale, n))));
            steps.Add(new Step("Output.Shift", (input, output) =>
                graph.Node("Add", output, input, graph.Floats("Output.Shift", affine.Shift, n))));
        }
        return steps;
    }

    /// <summary>Clamps the features to ±<see cref="InferenceNetwork.InputGuard"/>, as the engine does, so ±float.MaxValue cannot overflow.</summary>
    private static Step Guard(OnnxGraphBuilder graph, float bound, string tag = "Input.Guard") =>
        new(tag, (input, output) =>
        {
            string low = graph.Scratch($"{tag}Low");
            bool first = tag == "Input.Guard";   // the first guard keeps its names from before the embedding
            graph.Node("Max", low, input, graph.Constant(first ? "Input.MinusGuard" : $"{tag}.Minus", -bound));
            graph.Node("Min", output, low, graph.Constant(first ? "Input.Guard" : $"{tag}.Plus", bound));
        });

    /// <summary>y = x·Wᵀ + b. Gemm's C is required before opset 11, so a bias-free layer gets zeros.</summary>
    private static Step Gemm(OnnxGraphBuilder graph, IReadOnlyList<float> weights, IReadOnlyList<float>? bias, int inputSize, int outputSize, string tag) =>
        new($"{tag}.Gemm", (input, output) =>
        {
            string w = graph.Floats($"{tag}.Weights", weights, outputSize, inputSize);
            string b = graph.Floats(bias is null ? $"{tag}.ZeroBias" : $"{tag}.Bias", bias ?? new float[outputSize], outputSize);
            graph.Node("Gemm", output, input, w, b).AddAttribute("transB", 1L);
        });

    /// <summary>y = γ·(x − μ)/√(σ² + ε) + β with the frozen running statistics.</summary>
    private static Step BatchNorm(OnnxGraphBuilder graph, BatchNormParameters bn, string tag) =>
        new(tag, (input, output) =>
        {
            int n = bn.Size;
            string gamma = graph.Floats($"{tag}.Gamma", bn.Gamma, n);
            string beta = graph.Floats($"{tag}.Beta", bn.Beta, n);
            string mean = graph.Floats($"{tag}.RunningMean", bn.RunningMean, n);
            string variance = graph.Floats($"{tag}.RunningVariance", bn.RunningVariance, n);
            graph.Node("BatchNormalization", output, input, gamma, beta, mean, variance).AddAttribute("epsilon", (double)bn.Epsilon);
        });

    private static Step Activate(OnnxGraphBuilder graph, Activation activation, float leakyReluSlope, string tag) =>
        new($"{tag}.{activation}", (input, output) => ActivationOnnxEmitter.Emit(graph, activation, leakyReluSlope, input, output, tag));
}
