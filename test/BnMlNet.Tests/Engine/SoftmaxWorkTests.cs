using BnMlNet.Engine.Losses;

namespace BnMlNet.Tests.Engine;

/// <summary>
/// The multiclass loss on several threads (<see cref="SoftmaxWork"/>) against the one-thread
/// <see cref="SoftmaxCrossEntropy"/> forward and backward, bit for bit, with and without weights and label smoothing.
/// </summary>
[TestClass]
public sealed class SoftmaxWorkTests
{
    [TestMethod]
    [DataRow(false, 0f)]
    [DataRow(true, 0f)]
    [DataRow(true, 0.1f)]
    public void ForwardBackward_OnSeveralThreads_IsTheOneThreadLoss(bool weighted, float smoothing)
    {
        var random = new Random(weighted ? 71 : 72);
        foreach (var (rows, classes) in new[] { (512, 5), (257, 7), (1000, 3), (300, 2) })
        {
            int n = rows * classes;
            float[] logits = Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2 - 1) * 8)).ToArray();
            float[] labels = Enumerable.Range(0, rows).Select(_ => (float)random.Next(classes)).ToArray();
            float[] weights = weighted ? Enumerable.Range(0, rows).Select(_ => (float)random.NextDouble() * 2).ToArray() : [];
            double expected = SoftmaxCrossEntropy.Forward(logits, labels, weights, rows, classes, out double expectedSum, smoothing);
            float[] expectedGradient = new float[n];
            SoftmaxCrossEntropy.Backward(expectedGradient, logits, labels, weights, rows, classes, smoothing);
            foreach (int threads in new[] { 1, 2, 3 })
            {
                string what = $"{rows}×{classes}, {threads} threads, weighted {weighted}, smoothing {smoothing}";
                float[] gradient = new float[n];
                double loss = SoftmaxWork.ForwardBackward(gradient, logits, labels, weights, rows, classes, out double sum, smoothing, threads);
                Assert.AreEqual(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(loss), "loss, " + what);
                Assert.AreEqual(expectedSum, sum, "weight sum, " + what);
                for (int i = 0; i < n; i++)
                    Assert.AreEqual(BitConverter.SingleToInt32Bits(expectedGradient[i]), BitConverter.SingleToInt32Bits(gradient[i]), $"gradient {i}, {what}");
            }
        }
    }

    [TestMethod]
    public void ForwardBackward_OnSeveralThreads_RejectsALabelThatIsNotAClass()
    {
        float[] logits = new float[600 * 4], labels = new float[600], gradient = new float[600 * 4];
        labels[417] = 4;
        var e = Assert.ThrowsExactly<ArgumentException>(() => SoftmaxWork.ForwardBackward(gradient, logits, labels, default, 600, 4, out _, 0, 2));
        StringAssert.Contains(e.Message, "Row 417");
    }
}
