using BnMlNet.Engine.Threading;

namespace BnMlNet.Engine.Layers;

/// <summary>
/// <see cref="Activations.Forward"/> and <see cref="Activations.Backward"/> cut into contiguous element blocks, one per
/// thread (element-wise: each element gets the same bits whatever its block). One reusable instance per calling
/// thread; the spans are pinned for the duration of a call.
/// </summary>
internal sealed unsafe class ActivationWork : IPartitionedWork
{
    /// <summary>Below this many elements a pass runs on the calling thread alone.</summary>
    public const int ParallelThreshold = 16384;

    /// <summary>Blocks start at multiples of this (16 floats: one cache line).</summary>
    private const int Granule = 16;

    [ThreadStatic] private static ActivationWork? _forThisThread;

    private bool _backward;
    private Activation _activation;
    private float _slope;
    private int _length, _parts;
    private float* _out, _dy, _x, _y;

    private static ActivationWork ForThisThread => _forThisThread ??= new ActivationWork();

    /// <summary><see cref="Activations.Forward"/> on up to <paramref name="threads"/> threads.</summary>
    public static void Forward(Span<float> y, ReadOnlySpan<float> x, Activation activation, float leakySlope, int threads)
    {
        int parts = PartsFor(x.Length, threads, activation);
        if (parts == 1 || y.Length < x.Length)
        {
            Activations.Forward(y, x, activation, leakySlope);
            return;
        }
        var w = ForThisThread;
        fixed (float* py = y, px = x)
        {
            w._backward = false;
            w._activation = activation;
            w._slope = leakySlope;
            w._length = x.Length;
            w._parts = parts;
            w._out = py;
            w._x = px;
            w.RunAndClear();
        }
    }

    /// <summary><see cref="Activations.Backward"/> on up to <paramref name="threads"/> threads.</summary>
    public static void Backward(Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        Activation activation, float leakySlope, int threads)
    {
        int n = dy.Length;
        int parts = PartsFor(n, threads, activation);
        if (parts == 1 || dx.Length < n || x.Length < n || y.Length < n)
        {
            Activations.Backward(dx, dy, x, y, activation, leakySlope);
            return;
        }
        var w = ForThisThread;
        fixed (float* pdx = dx, pdy = dy, px = x, py = y)
        {
            w._backward = true;
            w._activation = activation;
            w._slope = leakySlope;
            w._length = n;
            w._parts = parts;
            w._out = pdx;
            w._dy = pdy;
            w._x = px;
            w._y = py;
            w.RunAndClear();
        }
    }

    private static int PartsFor(int length, int threads, Activation activation)
    {
        // The identity is a copy at most; the transcendental ones cost far more per element than ReLU.
        if (activation == Activation.Identity) return 1;
        int threshold = activation is Activation.Relu or Activation.LeakyRelu ? ParallelThreshold : ParallelThreshold / 8;
        return length < threshold ? 1 : WorkPartition.Parts(length, threads, Granule);
    }

    private void RunAndClear()
    {
        try
        {
            WorkerTeam.Run(this, _parts);
        }
        finally
        {
            _out = _dy = _x = _y = null;
        }
    }

    /// <inheritdoc/>
    public void Execute(int part)
    {
        var (start, end) = WorkPartition.Block(_length, _parts, part, Granule);
        int len = end - start;
        if (len <= 0) return;
        if (_backward)
        {
            Activations.Backward(new Span<float>(_out + start, len), new ReadOnlySpan<float>(_dy + start, len),
                new ReadOnlySpan<float>(_x + start, len), new ReadOnlySpan<float>(_y + start, len), _activation, _slope);
            return;
        }
        Activations.Forward(new Span<float>(_out + start, len), new ReadOnlySpan<float>(_x + start, len), _activation, _slope);
    }
}
