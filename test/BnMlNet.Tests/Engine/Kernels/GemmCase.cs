namespace BnMlNet.Tests.Engine.Kernels;

/// <summary>Random operands and a double-precision triple-loop reference for the GEMM tests.</summary>
internal sealed class GemmCase
{
    public GemmCase(Random random, bool transposeA, bool transposeB, int m, int n, int k, bool accumulate, int pad)
    {
        TransposeA = transposeA;
        TransposeB = transposeB;
        M = m;
        N = n;
        K = k;
        Accumulate = accumulate;
        int aCols = transposeA ? m : k, aRows = transposeA ? k : m;
        int bCols = transposeB ? k : n, bRows = transposeB ? n : k;
        Lda = aCols + pad;
        Ldb = bCols + pad;
        Ldc = n + pad;
        A = Fill(random, Length(aRows, aCols, Lda));
        B = Fill(random, Length(bRows, bCols, Ldb));
        InitialC = Fill(random, Length(m, n, Ldc));
    }

    public bool TransposeA { get; }
    public bool TransposeB { get; }
    public int M { get; }
    public int N { get; }
    public int K { get; }
    public bool Accumulate { get; }
    public int Lda { get; }
    public int Ldb { get; }
    public int Ldc { get; }
    public float[] A { get; }
    public float[] B { get; }
    public float[] InitialC { get; }

    public override string ToString() =>
        $"tA={TransposeA} tB={TransposeB} m={M} n={N} k={K} acc={Accumulate} lda={Lda} ldb={Ldb} ldc={Ldc}";

    /// <summary>Runs the kernel on a copy of the initial C and returns it.</summary>
    public float[] Run(int threads, BnMlNet.Engine.Kernels.GemmKernelKind kernel)
    {
        float[] c = (float[])InitialC.Clone();
        BnMlNet.Engine.Kernels.GemmDriver.Multiply(
            TransposeA, TransposeB, M, N, K, A, Lda, B, Ldb, c, Ldc, Accumulate, threads, kernel);
        return c;
    }

    /// <summary>
    /// Checks every element against the double-precision sum. The bound is 1e-5·√k times Σ|a·b| (+|C₀|): far above
    /// float rounding of a k-term sum, far below any wrong or missing term. Padding between rows must be untouched.
    /// </summary>
    public void AssertMatchesReference(float[] c)
    {
        for (int i = 0; i < M; i++)
        {
            for (int j = 0; j < N; j++)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < K; p++)
                {
                    double term = (double)GetA(i, p) * GetB(p, j);
                    sum += term;
                    magnitude += Math.Abs(term);
                }

                double c0 = InitialC[i * Ldc + j];
                double expected = Accumulate ? c0 + sum : sum;
                double bound = 1e-5 * Math.Sqrt(K + 1) * (magnitude + (Accumulate ? Math.Abs(c0) : 0)) + 1e-7;
                double actual = c[i * Ldc + j];
                if (!(Math.Abs(actual - expected) <= bound))
                {
                    Assert.Fail($"{this}: C[{i},{j}] = {actual}, expected {expected} (±{bound}).");
                }
            }

            for (int j = N; j < Ldc && i * Ldc + j < c.Length; j++)
            {
                Assert.AreEqual(InitialC[i * Ldc + j], c[i * Ldc + j], $"{this}: padding C[{i},{j}] was written.");
            }
        }
    }

    /// <summary>Parses a kernel name from a DataRow, or marks the test inconclusive when this CPU lacks it.</summary>
    public static BnMlNet.Engine.Kernels.GemmKernelKind RequireKernel(string name)
    {
        var kind = Enum.Parse<BnMlNet.Engine.Kernels.GemmKernelKind>(name);
        if (!BnMlNet.Engine.Kernels.GemmKernels.IsSupported(kind))
        {
            Assert.Inconclusive($"This CPU cannot run the {kind} kernel.");
        }

        return kind;
    }

    private float GetA(int i, int p) => TransposeA ? A[p * Lda + i] : A[i * Lda + p];

    private float GetB(int p, int j) => TransposeB ? B[j * Ldb + p] : B[p * Ldb + j];

    private static int Length(int rows, int cols, int ld) => rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols;

    private static float[] Fill(Random random, int length)
    {
        var data = new float[length];
        for (int i = 0; i < length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
        return data;
    }
}
