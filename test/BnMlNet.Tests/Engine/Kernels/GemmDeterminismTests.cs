using BnMlNet.Engine.Kernels;

namespace BnMlNet.Tests.Engine.Kernels;

/// <summary>Results must be bit-identical whatever the thread count (and hence the work partition).</summary>
[TestClass]
public sealed class GemmDeterminismTests
{
    private static readonly (int M, int N, int K)[] Shapes =
        [(128, 256, 784), (256, 784, 128), (150, 37, 333), (23, 300, 641), (97, 45, 5)];

    [TestMethod]
    [DataRow(nameof(GemmKernelKind.Portable))]
    [DataRow(nameof(GemmKernelKind.Avx2))]
    [DataRow(nameof(GemmKernelKind.Avx512))]
    public void ThreadCountDoesNotChangeAnyBit(string kernelName)
    {
        GemmKernelKind kernel = GemmCase.RequireKernel(kernelName);
        var random = new Random(10 + (int)kernel);
        foreach (GemmCase gemmCase in Cases(random))
        {
            float[] single = gemmCase.Run(threads: 1, kernel);
            foreach (int threads in new[] { 2, 3, 5 })
            {
                AssertBitIdentical(single, gemmCase.Run(threads, kernel), $"{gemmCase} threads={threads}");
            }
        }
    }

    /// <summary>The AVX-512 and AVX2 kernels do the same fused operations per element, so they agree to the bit.</summary>
    [TestMethod]
    public void Avx512AndAvx2KernelsAgreeToTheBit()
    {
        GemmCase.RequireKernel(nameof(GemmKernelKind.Avx512));
        var random = new Random(12);
        foreach (GemmCase gemmCase in Cases(random))
        {
            AssertBitIdentical(
                gemmCase.Run(threads: 1, GemmKernelKind.Avx2), gemmCase.Run(threads: 2, GemmKernelKind.Avx512), gemmCase.ToString());
        }
    }

    private static IEnumerable<GemmCase> Cases(Random random)
    {
        foreach ((int m, int n, int k) in Shapes)
        {
            for (int variant = 0; variant < 8; variant++)
            {
                bool tA = (variant & 1) != 0, tB = (variant & 2) != 0, acc = (variant & 4) != 0;
                yield return new GemmCase(random, tA, tB, m, n, k, acc, pad: variant % 2);
            }
        }
    }

    private static void AssertBitIdentical(float[] expected, float[] actual, string context)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{context}: element {i} is {actual[i]:R}, expected {expected[i]:R}.");
            }
        }
    }
}
