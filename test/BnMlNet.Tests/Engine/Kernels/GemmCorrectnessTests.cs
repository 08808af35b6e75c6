using BnMlNet.Engine.Kernels;

namespace BnMlNet.Tests.Engine.Kernels;

/// <summary>Every micro-kernel against a double-precision reference on many shapes.</summary>
[TestClass]
public sealed class GemmCorrectnessTests
{
    /// <summary>
    /// Shapes around the register tiles (6×16, 12×32), the cache blocks (MC = 144, KC ≤ 256, NC = 4096), the
    /// direct-path threshold, primes and 1, plus the training shapes.
    /// </summary>
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (1, 17, 33), (1, 256, 784), (5, 1, 40), (2, 3, 4), (6, 16, 8), (7, 17, 9), (12, 32, 100),
        (13, 31, 97), (32, 32, 32), (37, 41, 43), (5, 16, 1000), (61, 18, 257), (145, 33, 13), (11, 33, 513),
        (143, 47, 641), (289, 20, 7), (7, 4097, 9), (128, 10, 256), (64, 96, 320), (97, 101, 103),
    ];

    [TestMethod]
    [DataRow(nameof(GemmKernelKind.Portable))]
    [DataRow(nameof(GemmKernelKind.Avx2))]
    [DataRow(nameof(GemmKernelKind.Avx512))]
    public void KernelMatchesReference(string kernelName)
    {
        GemmKernelKind kernel = GemmCase.RequireKernel(kernelName);
        var random = new Random(1 + (int)kernel);
        foreach ((int m, int n, int k) in Shapes)
        {
            for (int variant = 0; variant < 8; variant++)
            {
                bool tA = (variant & 1) != 0, tB = (variant & 2) != 0, acc = (variant & 4) != 0;
                var gemmCase = new GemmCase(random, tA, tB, m, n, k, acc, pad: variant % 3 * 2);
                gemmCase.AssertMatchesReference(gemmCase.Run(threads: 1, kernel));
            }
        }
    }

    [TestMethod]
    public void RandomShapesMatchReference()
    {
        var random = new Random(3);
        GemmKernelKind[] kernels = [.. Enum.GetValues<GemmKernelKind>().Where(GemmKernels.IsSupported)];
        for (int t = 0; t < 60; t++)
        {
            int m = random.Next(1, 80), n = random.Next(1, 80), k = random.Next(1, 400);
            bool tA = random.Next(2) == 1, tB = random.Next(2) == 1, acc = random.Next(2) == 1;
            var gemmCase = new GemmCase(random, tA, tB, m, n, k, acc, pad: random.Next(0, 5));
            gemmCase.AssertMatchesReference(gemmCase.Run(threads: 1 + (t % 3), kernels[t % kernels.Length]));
        }
    }

    [TestMethod]
    public void PublicEntryPointMatchesReference()
    {
        var random = new Random(4);
        var gemmCase = new GemmCase(random, transposeA: false, transposeB: true, 40, 50, 300, accumulate: false, pad: 3);
        float[] c = (float[])gemmCase.InitialC.Clone();
        Gemm.Multiply(false, true, 40, 50, 300, gemmCase.A, gemmCase.Lda, gemmCase.B, gemmCase.Ldb, c, gemmCase.Ldc, threads: 2);
        gemmCase.AssertMatchesReference(c);
    }
}
