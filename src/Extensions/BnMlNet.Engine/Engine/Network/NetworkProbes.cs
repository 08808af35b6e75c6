namespace BnMlNet.Engine.Network;

/// <summary>
/// What the research API (<see cref="Research.SessionProbes.GetActivationInputs"/>) and precise batch norm
/// (<see cref="Training.PopulationStatistics"/>) read out of a network's last forward pass. Nothing here changes the
/// network.
/// </summary>
internal static class NetworkProbes
{
    /// <summary>The values entering block <paramref name="layer"/>'s activation in the last forward pass, [rows×width].</summary>
    public static ReadOnlySpan<float> ActivationInput(this TrainableNetwork network, int layer)
    {
        var ws = network.LastWorkspace ?? throw new InvalidOperationException("No forward pass has run.");
        var L = network.Layers[layer];
        var b = ws.Layers[layer];
        var src = L.Placement == BatchNormPlacement.BeforeActivation ? b.BatchNorm!.Output : b.Z;
        return src.AsSpan(0, network.LastRows * L.OutputSize);
    }

    /// <summary>The input of block <paramref name="layer"/>'s batch norm in the last forward pass (−1: the input batch norm's input is x itself).</summary>
    public static ReadOnlySpan<float> BatchNormInput(this TrainableNetwork network, int layer)
    {
        var ws = network.LastWorkspace ?? throw new InvalidOperationException("No forward pass has run.");
        var L = network.Layers[layer];
        var b = ws.Layers[layer];
        var src = L.Placement == BatchNormPlacement.BeforeActivation ? b.Z : b.Activation;
        return src.AsSpan(0, network.LastRows * L.OutputSize);
    }

    /// <summary>The batch norm's normalized values x̂ from the last batch-statistics forward pass, [rows×width].</summary>
    public static ReadOnlySpan<float> NormalizedValues(this TrainableNetwork network, int layer)
    {
        var ws = network.LastWorkspace ?? throw new InvalidOperationException("No forward pass has run.");
        return ws.Layers[layer].BatchNorm!.Xhat.AsSpan(0, network.LastRows * network.Layers[layer].OutputSize);
    }
}
