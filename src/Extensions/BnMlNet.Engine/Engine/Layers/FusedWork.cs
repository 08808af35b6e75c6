using BnMlNet.Engine.Kernels;
using BnMlNet.Engine.Threading;

namespace BnMlNet.Engine.Layers;

/// <summary>
/// The fused batch norm → ReLU → dropout block (<see cref="FusedPasses"/>) on up to <c>threads</c> threads, two parallel
/// passes each way. Forward: the statistics over rows cut into channel blocks, then one pass over row blocks in which
/// each block draws its own stretch of the dropout mask (from the generator jumped ahead to the block's first value,
/// <see cref="XoshiroJump"/>) and normalizes, rectifies and drops its rows. Backward: the masked ReLU gradient and
/// ∂γ, ∂β summed over all rows in channel blocks (each block writes its g block-major and its sums once, so two threads
/// never share a cache line), then batch norm's input gradient over row blocks. Every value, and the generator's state
/// afterwards, is the same bits as the whole-batch passes give: same operations per element, sums over rows in row order,
/// the same draws. One reusable instance per calling thread; the spans are pinned for the duration of a call.
/// </summary>
internal sealed unsafe class FusedWork : IPartitionedWork
{
    /// <summary>Channel blocks start at multiples of this (16 floats: one cache line).</summary>
    private const int Granule = 16;

    [ThreadStatic] private static FusedWork? _forThisThread;

    private double[] _centre = new double[256];
    private Xoshiro256[] _generators = [];
    private Xoshiro256? _rng;
    private Pass _pass;
    private bool _updateRunning, _drop;
    private int _batch, _channels, _parts, _blocks;
    private float _epsilon, _momentum, _rate;
    private float* _y, _xhat, _a, _dropped, _mask, _x, _mean, _variance, _rstd, _gamma, _beta, _runningMean, _runningVariance;
    private float* _g, _dz, _dGamma, _dBeta, _dy;

    private enum Pass { Statistics, Rows, Sums, InputGradient }

    private static FusedWork ForThisThread => _forThisThread ??= new FusedWork();

    /// <summary>
    /// Batch statistics of x [batch×channels] (and the running update when <paramref name="updateRunning"/>), then
    /// x̂, y = x̂·γ + β, a = max(y, 0) and, with <paramref name="rng"/>, the mask (drawn in row order) and dropped = a·mask:
    /// the same bits as <see cref="BatchNormPasses.Statistics"/> and <see cref="FusedPasses.NormalizeReluDropout"/> on one
    /// thread, and <paramref name="rng"/> ends in the same state.
    /// </summary>
    public static void Forward(Span<float> y, Span<float> xhat, Span<float> a, Span<float> dropped, Span<float> mask,
        ReadOnlySpan<float> x, Span<float> mean, Span<float> variance, Span<float> rstd, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> runningMean, Span<float> runningVariance, bool updateRunning, int batch, int channels, float epsilon, float momentum,
        Xoshiro256? rng, float rate, int threads)
    {
        long n = (long)batch * channels;
        bool drop = rng is not null;
        if (y.Length < n || xhat.Length < n || a.Length < n || x.Length < n || (drop && (mask.Length < n || dropped.Length < n))
            || mean.Length < channels || variance.Length < channels || rstd.Length < channels || gamma.Length < channels || beta.Length < channels
            || (updateRunning && (runningMean.Length < channels || runningVariance.Length < channels)))
            throw new ArgumentException("Fused batch norm/ReLU/dropout forward: a buffer is shorter than its shape.");
        var w = ForThisThread;
        if (w._centre.Length < channels) w._centre = new double[channels];
        fixed (float* py = y, ph = xhat, pa = a, pd = dropped, pm = mask, px = x, pmean = mean, pv = variance, pr = rstd,
            pg = gamma, pb = beta, prm = runningMean, prv = runningVariance)
        {
            w._y = py; w._xhat = ph; w._a = pa; w._dropped = pd; w._mask = pm; w._x = px;
            w._mean = pmean; w._variance = pv; w._rstd = pr; w._gamma = pg; w._beta = pb; w._runningMean = prm; w._runningVariance = prv;
            w._updateRunning = updateRunning;
            w._batch = batch;
            w._channels = channels;
            w._epsilon = epsilon;
            w._momentum = momentum;
            w._rate = rate;
            w._drop = drop;
            w._rng = rng;
            try
            {
                w.Run(Pass.Statistics, WorkPartition.Parts(channels, threads, Granule));
                int rowParts = Math.Max(1, Math.Min(threads, batch));
                if (drop && w._generators.Length < rowParts)
                    w._generators = Enumerable.Range(0, rowParts).Select(_ => new Xoshiro256(0)).ToArray();
                w.Run(Pass.Rows, rowParts);
                if (drop) rng!.SetToJumped(w._generators[rowParts - 1], 0);   // the last block ended past the whole batch's draws
            }
            finally
            {
                w.Clear();
            }
        }
    }

    /// <summary>
    /// ∂L/∂(batch norm's input) <paramref name="dz"/> and ∂γ, ∂β of the fused block from ∂L/∂(its output)
    /// <paramref name="dy"/>: the same bits as <see cref="FusedPasses.MaskReluGradientSums"/> then
    /// <see cref="BatchNormPasses.InputGradient"/>. <paramref name="g"/> is scratch of batch·channels floats.
    /// </summary>
    public static void Backward(Span<float> dz, Span<float> g, Span<float> dGamma, Span<float> dBeta, ReadOnlySpan<float> dy,
        ReadOnlySpan<float> mask, ReadOnlySpan<float> bnOutput, ReadOnlySpan<float> xhat, ReadOnlySpan<float> gamma, ReadOnlySpan<float> rstd,
        int batch, int channels, int threads)
    {
        long n = (long)batch * channels;
        bool masked = !mask.IsEmpty;
        if (dz.Length < n || g.Length < n || dy.Length < n || bnOutput.Length < n || xhat.Length < n || (masked && mask.Length < n)
            || dGamma.Length < channels || dBeta.Length < channels || gamma.Length < channels || rstd.Length < channels)
            throw new ArgumentException("Fused ReLU/batch norm backward: a buffer is shorter than its shape.");
        var w = ForThisThread;
        fixed (float* pdz = dz, pg = g, pdg = dGamma, pdb = dBeta, pdy = dy, pm = mask, px = bnOutput, ph = xhat, pga = gamma, pr = rstd)
        {
            w._dz = pdz; w._g = pg; w._dGamma = pdg; w._dBeta = pdb; w._dy = pdy; w._mask = pm; w._x = px; w._xhat = ph;
            w._gamma = pga; w._rstd = pr;
            w._drop = masked;
            w._batch = batch;
            w._channels = channels;
            try
            {
                w._blocks = WorkPartition.Parts(channels, threads, Granule);
                w.Run(Pass.Sums, w._blocks);
                w.Run(Pass.InputGradient, Math.Max(1, Math.Min(threads, batch)));
            }
            finally
            {
                w.Clear();
            }
        }
    }

    private void Run(Pass pass, int parts)
    {
        _pass = pass;
        _parts = parts;
        WorkerTeam.Run(this, parts);
    }

    private void Clear()
    {
        _y = _xhat = _a = _dropped = _mask = _x = _mean = _variance = _rstd = _gamma = _beta = _runningMean = _runningVariance = null;
        _g = _dz = _dGamma = _dBeta = _dy = null;
        _rng = null;
    }

    /// <inheritdoc/>
    public void Execute(int part)
    {
        int c = _channels, n = _batch * c;
        switch (_pass)
        {
            case Pass.Statistics:
            {
                var (c0, c1) = WorkPartition.Block(c, _parts, part, Granule);
                var mean = new Span<float>(_mean, c);
                var variance = new Span<float>(_variance, c);
                BatchNormPasses.Statistics(_centre, mean, variance, new Span<float>(_rstd, c), new ReadOnlySpan<float>(_x, n),
                    _batch, c, _epsilon, c0, c1);
                if (_updateRunning)
                    BatchNormLayer.UpdateRunning(new Span<float>(_runningMean, c), new Span<float>(_runningVariance, c), mean, variance,
                        _batch, _momentum, c0, c1);
                break;
            }
            case Pass.Rows:
            {
                var (r0, r1) = WorkPartition.Block(_batch, _parts, part, 1);
                if (r1 <= r0) break;
                var mask = _drop ? new Span<float>(_mask, n) : default;
                if (_drop)
                {
                    var generator = _generators[part];
                    generator.SetToJumped(_rng!, (long)r0 * c);
                    generator.FillMask(mask[(r0 * c)..(r1 * c)], _rate, 1f / (1f - _rate));
                }
                FusedPasses.NormalizeReluDropoutRows(new Span<float>(_y, n), new Span<float>(_xhat, n), new Span<float>(_a, n),
                    _drop ? new Span<float>(_dropped, n) : default, mask, new ReadOnlySpan<float>(_x, n), _centre,
                    new ReadOnlySpan<float>(_rstd, c), new ReadOnlySpan<float>(_gamma, c), new ReadOnlySpan<float>(_beta, c), c, r0, r1, _drop);
                break;
            }
            case Pass.Sums:
            {
                var (c0, c1) = WorkPartition.Block(c, _parts, part, Granule);
                int w = c1 - c0;
                if (w == 0) break;
                Span<float> sums = w <= 512 ? stackalloc float[2 * w] : new float[2 * w];
                FusedPasses.MaskReluGradientSumsBlock(new Span<float>(_g + (long)_batch * c0, _batch * w), sums[..w], sums[w..],
                    new ReadOnlySpan<float>(_dy, n), _drop ? new ReadOnlySpan<float>(_mask, n) : default, new ReadOnlySpan<float>(_x, n),
                    new ReadOnlySpan<float>(_xhat, n), _batch, c, c0, c1);
                sums[..w].CopyTo(new Span<float>(_dGamma + c0, w));
                sums[w..].CopyTo(new Span<float>(_dBeta + c0, w));
                break;
            }
            default:
            {
                var (r0, r1) = WorkPartition.Block(_batch, _parts, part, 1);
                BatchNormPasses.InputGradientBlocks(new Span<float>(_dz, n), new ReadOnlySpan<float>(_g, n), new ReadOnlySpan<float>(_xhat, n),
                    new ReadOnlySpan<float>(_gamma, c), new ReadOnlySpan<float>(_rstd, c), new ReadOnlySpan<float>(_dGamma, c),
                    new ReadOnlySpan<float>(_dBeta, c), _batch, c, _blocks, Granule, r0, r1);
                break;
            }
        }
    }
}
