using BnMlNet.Engine;
using BnMlNet.Engine.Network;

namespace BnMlNet.Tests.Embedding;

/// <summary>
/// The categorical embedding inside a network (blocks → nn.Linear(levels, d, bias=False), pass-through after → Linear →
/// BN → ReLU → Linear, optional input BN in front) against PyTorch autograd: Fixtures/torch/categorical_embedding.json,
/// written by test/fixtures/generate_torch_fixtures.py (`categorical_embedding`). Tolerance as in the other torch parity
/// tests: max|a − r| / max(1, max|r|) ≤ 1e−5.
/// </summary>
[TestClass]
public sealed class CategoricalEmbeddingTorchParityTests
{
    [TestMethod]
    [DataRow("plain")]
    [DataRow("input_bn")]
    public void ForwardAndBackwardMatchPyTorch(string name)
    {
        var c = EmbeddingTorchCase.Open("categorical_embedding.json", name);
        int d = c.Json.GetProperty("dimension").GetInt32();
        var blocks = c.Json.GetProperty("blocks").EnumerateArray().Select(b => new CategoricalBlock(b[0].GetInt32(), b[1].GetInt32())).ToArray();
        var spec = c.Spec() with
        {
            CategoricalEmbedding = new CategoricalEmbeddingSettings(CategoricalEmbedding.Learned, d, MinimumLevels: 2),
            CategoricalBlocks = blocks,
        };
        var net = new TrainableNetwork(spec, seed: 1);
        int width = blocks.Length * d + c.Inputs - blocks.Sum(b => b.Levels);
        c.LoadLayers(net, width);
        net.LoadCategoricalEmbedding(c.F("table"));

        var p = c.ForwardAndBackward(net, width, n => n.LastWorkspace!.Categorical!.Output);
        c.Near("∂E", "grad_table", p.Gradient(net.CategoricalEmbedding!.Table));
    }
}
