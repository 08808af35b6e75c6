using BnMlNet.Engine;
using BnMlNet.Engine.Network;

namespace BnMlNet.Tests.Embedding;

/// <summary>
/// The periodic embedding inside a network (embedding → Linear → BN → ReLU → Linear, optional input BN in front) against
/// PyTorch autograd: Fixtures/torch/periodic_embedding.json, written by test/fixtures/generate_torch_fixtures.py
/// (`periodic_embedding`). Tolerance as in the other torch parity tests: max|a − r| / max(1, max|r|) ≤ 1e−5.
/// </summary>
[TestClass]
public sealed class PeriodicEmbeddingTorchParityTests
{
    [TestMethod]
    [DataRow("plain")]
    [DataRow("input_bn")]
    public void ForwardAndBackwardMatchPyTorch(string name)
    {
        var c = EmbeddingTorchCase.Open("periodic_embedding.json", name);
        int k = c.Json.GetProperty("frequencies").GetInt32(), d = c.Json.GetProperty("dimension").GetInt32();
        int[] slots = c.Json.GetProperty("slots").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var spec = c.Spec() with
        {
            NumericEmbedding = new NumericEmbeddingSettings(NumericEmbedding.Periodic, k, d),
            EmbeddedSlots = slots,
        };
        var net = new TrainableNetwork(spec, seed: 1);
        int width = slots.Length * d + c.Inputs - slots.Length;
        c.LoadLayers(net, width);
        net.LoadEmbedding(c.F("frequency"), c.F("embedding_weight"), c.F("embedding_bias"));

        var p = c.ForwardAndBackward(net, width, n => n.LastWorkspace!.Embedding!.Output);
        var e = net.Embedding!;
        c.Near("∂c", "grad_frequency", p.Gradient(e.Frequency));
        c.Near("∂W_emb", "grad_embedding_weight", p.Gradient(e.Weights));
        c.Near("∂b_emb", "grad_embedding_bias", p.Gradient(e.Bias));
    }
}
