using BnMlNet.Engine.Network;
using BnMlNet.Engine.Threading;

namespace BnMlNet.Engine.Layers;

/// <summary>
/// <see cref="PeriodicEmbeddingLayer"/>'s passes on the <see cref="WorkerTeam"/>: the forward pass cut into row blocks
/// (rows are independent), the backward pass into feature blocks (each feature sums its own rows in order), so the
/// bits never depend on the thread count. One reusable instance per calling thread; x is pinned during a call.
/// </summary>
internal sealed unsafe class PeriodicEmbeddingWork : IPartitionedWork
{
    /// <summary>Below this many multiply-adds (rows·m·2k·d) a pass runs on the calling thread alone.</summary>
    public const long ParallelThreshold = 1 << 16;

    [ThreadStatic] private static PeriodicEmbeddingWork? _forThisThread;

    private bool _backward, _hasDx;
    private int _rows, _parts;
    private EmbeddingState? _state;
    private EmbeddingBuffers? _buffers;
    private float* _x, _dx;

    private static PeriodicEmbeddingWork ForThisThread => _forThisThread ??= new PeriodicEmbeddingWork();

    private static int PartsFor(EmbeddingState s, int rows, int granules, int threads)
    {
        long work = (long)rows * s.Slots.Length * 2 * s.Frequencies * s.Dimension;
        return work < ParallelThreshold ? 1 : WorkPartition.Parts(granules, threads, 1);
    }

    /// <summary>E and v of <paramref name="b"/> from x [rows×InputSize], on up to <paramref name="threads"/> threads.</summary>
    public static void Forward(EmbeddingState s, EmbeddingBuffers b, ParameterBuffer p, ReadOnlySpan<float> x, int rows, int threads)
    {
        int parts = PartsFor(s, rows, rows, threads);
        if (parts == 1)
        {
            PeriodicEmbeddingLayer.Forward(b.Output, b.Periodic, x, p.Value(s.Frequency), p.Value(s.Weights), p.Value(s.Bias),
                s.Slots, s.PassThrough, 0, rows, s.InputSize, s.Frequencies, s.Dimension);
            return;
        }
        fixed (float* px = x) Run(s, b, p, px, null, rows, parts, backward: false);
    }

    /// <summary>
    /// Gradients of c, W, b (overwritten in <paramref name="p"/>) and, when <paramref name="dx"/> is not empty, ∂L/∂x,
    /// from ∂L/∂E in <paramref name="b"/>.
    /// </summary>
    public static void Backward(EmbeddingState s, EmbeddingBuffers b, ParameterBuffer p, ReadOnlySpan<float> x, Span<float> dx, int rows, int threads)
    {
        int parts = PartsFor(s, rows, s.Slots.Length, threads);
        if (parts == 1)
        {
            BackwardSlots(s, b, p, x, dx, rows, 0, s.Slots.Length);
            if (!dx.IsEmpty)
                PeriodicEmbeddingLayer.BackwardPassThrough(dx, b.OutputGradient, s.PassThrough, s.Slots.Length * s.Dimension, rows, s.InputSize);
            return;
        }
        fixed (float* px = x, pdx = dx)
            Run(s, b, p, px, dx.IsEmpty ? null : pdx, rows, parts, backward: true);
        if (!dx.IsEmpty)
            PeriodicEmbeddingLayer.BackwardPassThrough(dx, b.OutputGradient, s.PassThrough, s.Slots.Length * s.Dimension, rows, s.InputSize);
    }

    private static void BackwardSlots(EmbeddingState s, EmbeddingBuffers b, ParameterBuffer p, ReadOnlySpan<float> x, Span<float> dx, int rows, int start, int end)
        => PeriodicEmbeddingLayer.Backward(dx, p.Gradient(s.Frequency), p.Gradient(s.Weights), p.Gradient(s.Bias),
            b.OutputGradient, b.Output, b.Periodic, x, p.Value(s.Frequency), p.Value(s.Weights), s.Slots, s.PassThrough.Length,
            start, end, rows, s.InputSize, s.Frequencies, s.Dimension);

    private static void Run(EmbeddingState s, EmbeddingBuffers b, ParameterBuffer p, float* x, float* dx, int rows, int parts, bool backward)
    {
        var w = ForThisThread;
        w._state = s;
        w._buffers = b;
        w._parameters = p;
        w._x = x;
        w._dx = dx;
        w._hasDx = dx != null;
        w._rows = rows;
        w._parts = parts;
        w._backward = backward;
        try
        {
            WorkerTeam.Run(w, parts);
        }
        finally
        {
            w._x = w._dx = null;
            w._state = null;
            w._buffers = null;
            w._parameters = null;
        }
    }

    private ParameterBuffer? _parameters;

    /// <inheritdoc/>
    public void Execute(int part)
    {
        var s = _state!;
        var x = new ReadOnlySpan<float>(_x, _rows * s.InputSize);
        if (_backward)
        {
            var (start, end) = WorkPartition.Block(s.Slots.Length, _parts, part, 1);
            if (end <= start) return;
            var dx = _hasDx ? new Span<float>(_dx, _rows * s.InputSize) : default;
            BackwardSlots(s, _buffers!, _parameters!, x, dx, _rows, start, end);
            return;
        }
        var (r0, r1) = WorkPartition.Block(_rows, _parts, part, 1);
        if (r1 <= r0) return;
        var p = _parameters!;
        PeriodicEmbeddingLayer.Forward(_buffers!.Output, _buffers.Periodic, x, p.Value(s.Frequency), p.Value(s.Weights), p.Value(s.Bias),
            s.Slots, s.PassThrough, r0, r1, s.InputSize, s.Frequencies, s.Dimension);
    }
}
