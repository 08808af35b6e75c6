using BnMlNet.Engine.Threading;

namespace BnMlNet.Engine.Layers;

/// <summary>
/// Train-mode batch norm on up to <c>threads</c> threads, as two parallel passes each way: the reductions over rows
/// cut into contiguous channel blocks (each block accumulates privately and writes its results once), then the
/// element-wise part cut into contiguous row blocks (so two threads never write the same cache line over and over).
/// Each element is computed the same way whatever its block: the results are the same bits for any thread count.
/// One reusable instance per calling thread; the spans are pinned for the duration of a call.
/// </summary>
internal sealed unsafe class BatchNormWork : IPartitionedWork
{
    /// <summary>Below this many values [rows×channels] a pass runs on the calling thread alone.</summary>
    public const int ParallelThreshold = 8192;

    /// <summary>Channel blocks start at multiples of this (16 floats: one cache line).</summary>
    private const int Granule = 16;

    [ThreadStatic] private static BatchNormWork? _forThisThread;

    private double[] _centre = new double[256];
    private Pass _pass;
    private bool _updateRunning;
    private int _batch, _channels, _parts;
    private float _epsilon, _momentum;
    private float* _out, _xhat, _mean, _variance, _rstd, _in, _gamma, _beta, _runningMean, _runningVariance;

    private enum Pass { Statistics, Normalize, GradientSums, InputGradient }

    private static BatchNormWork ForThisThread => _forThisThread ??= new BatchNormWork();

    /// <summary>
    /// <see cref="BatchNormLayer.ForwardTrain"/> on up to <paramref name="threads"/> threads, with (when
    /// <paramref name="updateRunning"/>) the running update.
    /// </summary>
    public static void ForwardTrain(
        Span<float> y, Span<float> xhat, Span<float> mean, Span<float> variance, Span<float> rstd,
        ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> runningMean, Span<float> runningVariance, bool updateRunning,
        int batch, int channels, float epsilon, float momentum, int threads)
    {
        if (!IsParallel(batch, channels, threads))
        {
            BatchNormLayer.ForwardTrain(y, xhat, mean, variance, rstd, x, gamma, beta, batch, channels, epsilon);
            if (updateRunning) BatchNormLayer.UpdateRunning(runningMean, runningVariance, mean, variance, batch, momentum);
            return;
        }
        Check(y, batch, channels); Check(xhat, batch, channels); Check(x, batch, channels);
        Check(mean, 1, channels); Check(variance, 1, channels); Check(rstd, 1, channels); Check(gamma, 1, channels); Check(beta, 1, channels);
        if (updateRunning) { Check(runningMean, 1, channels); Check(runningVariance, 1, channels); }
        var w = ForThisThread;
        if (w._centre.Length < channels) w._centre = new double[channels];
        fixed (float* py = y, ph = xhat, pm = mean, pv = variance, pr = rstd, px = x, pg = gamma, pb = beta,
            prm = runningMean, prv = runningVariance)
        {
            w._updateRunning = updateRunning;
            w._batch = batch;
            w._channels = channels;
            w._epsilon = epsilon;
            w._momentum = momentum;
            w._out = py;
            w._xhat = ph;
            w._mean = pm;
            w._variance = pv;
            w._rstd = pr;
            w._in = px;
            w._gamma = pg;
            w._beta = pb;
            w._runningMean = prm;
            w._runningVariance = prv;
            w.Run(Pass.Statistics, WorkPartition.Parts(channels, threads, Granule));
            w.Run(Pass.Normalize, Math.Min(threads, batch));
        }
    }

    /// <summary><see cref="BatchNormLayer.Backward"/> on up to <paramref name="threads"/> threads (an empty <paramref name="dx"/>: γ and β only).</summary>
    public static void Backward(
        Span<float> dx, Span<float> dGamma, Span<float> dBeta,
        ReadOnlySpan<float> dy, ReadOnlySpan<float> xhat, ReadOnlySpan<float> gamma, ReadOnlySpan<float> rstd,
        int batch, int channels, int threads)
    {
        if (!IsParallel(batch, channels, threads))
        {
            BatchNormLayer.Backward(dx, dGamma, dBeta, dy, xhat, gamma, rstd, batch, channels);
            return;
        }
        if (!dx.IsEmpty) Check(dx, batch, channels);
        Check(dy, batch, channels); Check(xhat, batch, channels);
        Check(dGamma, 1, channels); Check(dBeta, 1, channels); Check(gamma, 1, channels); Check(rstd, 1, channels);
        var w = ForThisThread;
        // Field reuse: _out = dx, _in = dy, _mean = dGamma, _variance = dBeta.
        fixed (float* pdx = dx, pdg = dGamma, pdb = dBeta, pdy = dy, ph = xhat, pg = gamma, pr = rstd)
        {
            w._batch = batch;
            w._channels = channels;
            w._out = pdx;
            w._mean = pdg;
            w._variance = pdb;
            w._in = pdy;
            w._xhat = ph;
            w._gamma = pg;
            w._rstd = pr;
            w.Run(Pass.GradientSums, WorkPartition.Parts(channels, threads, Granule));
            if (dx.IsEmpty) w.Clear();
            else w.Run(Pass.InputGradient, Math.Min(threads, batch));
        }
    }

    /// <summary>Whether a pass over [batch×channels] is split across threads (else it runs on the calling thread).</summary>
    internal static bool IsParallel(int batch, int channels, int threads)
        => threads > 1 && (long)batch * channels >= ParallelThreshold;

    private static void Check(ReadOnlySpan<float> s, int rows, int channels)
    {
        if (s.Length < (long)rows * channels) throw new ArgumentException("Batch norm: a buffer is shorter than its shape.");
    }

    private void Run(Pass pass, int parts)
    {
        _pass = pass;
        _parts = parts;
        try
        {
            WorkerTeam.Run(this, parts);
        }
        catch
        {
            Clear();
            throw;
        }
        if (pass is Pass.Normalize or Pass.InputGradient) Clear();
    }

    private void Clear() => _out = _xhat = _mean = _variance = _rstd = _in = _gamma = _beta = _runningMean = _runningVariance = null;

    /// <inheritdoc/>
    public void Execute(int part)
    {
        int n = _batch * _channels, c = _channels;
        switch (_pass)
        {
            case Pass.Statistics:
            {
                var (c0, c1) = WorkPartition.Block(c, _parts, part, Granule);
                var mean = new Span<float>(_mean, c);
                var variance = new Span<float>(_variance, c);
                BatchNormPasses.Statistics(_centre, mean, variance, new Span<float>(_rstd, c), new ReadOnlySpan<float>(_in, n),
                    _batch, c, _epsilon, c0, c1);
                if (_updateRunning)
                    BatchNormLayer.UpdateRunning(new Span<float>(_runningMean, c), new Span<float>(_runningVariance, c), mean, variance,
                        _batch, _momentum, c0, c1);
                break;
            }
            case Pass.Normalize:
            {
                var (r0, r1) = WorkPartition.Block(_batch, _parts, part, 1);
                BatchNormPasses.Normalize(new Span<float>(_out, n), new Span<float>(_xhat, n), new ReadOnlySpan<float>(_in, n),
                    _centre, new ReadOnlySpan<float>(_rstd, c), new ReadOnlySpan<float>(_gamma, c), new ReadOnlySpan<float>(_beta, c),
                    c, r0, r1);
                break;
            }
            case Pass.GradientSums:
            {
                var (c0, c1) = WorkPartition.Block(c, _parts, part, Granule);
                BatchNormPasses.GradientSums(new Span<float>(_mean, c), new Span<float>(_variance, c), new ReadOnlySpan<float>(_in, n),
                    new ReadOnlySpan<float>(_xhat, n), _batch, c, c0, c1);
                break;
            }
            default:
            {
                var (r0, r1) = WorkPartition.Block(_batch, _parts, part, 1);
                BatchNormPasses.InputGradient(new Span<float>(_out, n), new ReadOnlySpan<float>(_in, n), new ReadOnlySpan<float>(_xhat, n),
                    new ReadOnlySpan<float>(_gamma, c), new ReadOnlySpan<float>(_rstd, c), new ReadOnlySpan<float>(_mean, c),
                    new ReadOnlySpan<float>(_variance, c), _batch, c, r0, r1);
                break;
            }
        }
    }
}
