namespace BnMlNet.Engine.Kernels;

/// <summary>One validated GEMM call with its buffers pinned, passed by reference to every work item.</summary>
internal readonly unsafe struct GemmProblem
{
    /// <summary>Creates the problem description.</summary>
    public GemmProblem(
        GemmKernelKind kernel, bool transposeA, bool transposeB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        Kernel = kernel;
        TransposeA = transposeA;
        TransposeB = transposeB;
        M = m;
        N = n;
        K = k;
        A = a;
        Lda = lda;
        B = b;
        Ldb = ldb;
        C = c;
        Ldc = ldc;
        Accumulate = accumulate;
    }

    /// <summary>The micro-kernel of the packed path (the direct path uses AVX2+FMA unless it is Portable).</summary>
    public GemmKernelKind Kernel { get; }

    /// <summary>A is stored k×m.</summary>
    public bool TransposeA { get; }

    /// <summary>B is stored n×k.</summary>
    public bool TransposeB { get; }

    /// <summary>Rows of C.</summary>
    public int M { get; }

    /// <summary>Columns of C.</summary>
    public int N { get; }

    /// <summary>Depth of the product.</summary>
    public int K { get; }

    /// <summary>Start of A.</summary>
    public float* A { get; }

    /// <summary>Leading dimension of A.</summary>
    public int Lda { get; }

    /// <summary>Start of B.</summary>
    public float* B { get; }

    /// <summary>Leading dimension of B.</summary>
    public int Ldb { get; }

    /// <summary>Start of C.</summary>
    public float* C { get; }

    /// <summary>Leading dimension of C.</summary>
    public int Ldc { get; }

    /// <summary>Add to C instead of overwriting it.</summary>
    public bool Accumulate { get; }
}
