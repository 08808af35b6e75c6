using BnMlNet.Engine.Kernels;

namespace BnMlNet.Tests.Engine.Kernels;

/// <summary>Empty products, empty outputs and argument checks.</summary>
[TestClass]
public sealed class GemmEdgeCaseTests
{
    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void EmptySumZeroesCOrLeavesItWhenAccumulating(bool accumulate)
    {
        float[] c = [1, 2, 9, 3, 4, 9];
        Gemm.Multiply(false, false, 2, 2, 0, [], 0, [], 2, c, 3, accumulate);
        float[] expected = accumulate ? [1, 2, 9, 3, 4, 9] : [0, 0, 9, 0, 0, 9];
        CollectionAssert.AreEqual(expected, c);
    }

    [TestMethod]
    public void EmptyOutputTouchesNothing()
    {
        float[] c = [5];
        Gemm.Multiply(false, false, 0, 3, 4, [], 4, new float[12], 3, [], 3);
        Gemm.Multiply(true, true, 3, 0, 4, new float[12], 3, [], 4, [], 0);
        Gemm.Multiply(false, false, 1, 0, 2, new float[2], 2, [], 0, c, 0);
        Assert.AreEqual(5f, c[0]);
    }

    [TestMethod]
    public void MatrixVectorProduct()
    {
        // [1 2 3] · [[1 0], [0 1], [1 1]] = [4 5]; and with B stored transposed.
        float[] a = [1, 2, 3];
        float[] c = new float[2];
        Gemm.Multiply(false, false, 1, 2, 3, a, 3, [1, 0, 0, 1, 1, 1], 2, c, 2);
        CollectionAssert.AreEqual(new float[] { 4, 5 }, c);
        Gemm.Multiply(false, true, 1, 2, 3, a, 3, [1, 0, 1, 0, 1, 1], 3, c, 2, accumulate: true);
        CollectionAssert.AreEqual(new float[] { 8, 10 }, c);
    }

    [TestMethod]
    public void ShortBuffersAndSmallLeadingDimensionsThrow()
    {
        Assert.ThrowsExactly<ArgumentException>(() =>
            Gemm.Multiply(false, false, 2, 2, 2, new float[3], 2, new float[4], 2, new float[4], 2));
        Assert.ThrowsExactly<ArgumentException>(() =>
            Gemm.Multiply(false, true, 2, 2, 2, new float[4], 2, new float[4], 2, new float[4], 3));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            Gemm.Multiply(true, false, 2, 2, 2, new float[4], 1, new float[4], 2, new float[4], 2));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            Gemm.Multiply(false, false, -1, 2, 2, new float[4], 2, new float[4], 2, new float[4], 2));
    }
}
