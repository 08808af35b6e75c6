using BnMlNet.Engine.Threading;

namespace BnMlNet.Engine.Losses;

/// <summary>
/// <see cref="SoftmaxCrossEntropy"/>'s loss and gradient on up to <c>threads</c> threads, in contiguous row blocks: each
/// row's loss (into a buffer) and gradient are computed as on one thread, and the losses are then summed on the calling
/// thread in row order, so the mean and every gradient are the same bits for any thread count. Its exponentials are
/// most of a multiclass step's serial work at the default recipe's widths. One reusable instance per calling thread.
/// </summary>
internal sealed unsafe class SoftmaxWork : IPartitionedWork
{
    /// <summary>Below this many logits (rows × classes) the loss runs on the calling thread alone.</summary>
    public const int ParallelThreshold = 1024;

    [ThreadStatic] private static SoftmaxWork? _forThisThread;

    private double[] _rowLoss = [];
    private float* _dLogits, _logits, _labels, _weights;
    private int _batch, _classes, _parts, _weightCount;
    private float _smoothing;
    private double _weightSum;

    /// <summary>
    /// The loss as <see cref="SoftmaxCrossEntropy.Forward"/> returns it and, into <paramref name="dLogits"/>, the
    /// gradient of <see cref="SoftmaxCrossEntropy.Backward"/>.
    /// </summary>
    public static double ForwardBackward(Span<float> dLogits, ReadOnlySpan<float> logits, ReadOnlySpan<float> labels,
        ReadOnlySpan<float> weights, int batch, int classes, out double weightSum, float smoothing, int threads)
    {
        long n = (long)batch * classes;
        if (threads <= 1 || n < ParallelThreshold)
        {
            double loss = SoftmaxCrossEntropy.Forward(logits, labels, weights, batch, classes, out weightSum, smoothing);
            SoftmaxCrossEntropy.Backward(dLogits, logits, labels, weights, batch, classes, smoothing);
            return loss;
        }
        if (logits.Length < n || dLogits.Length < n || labels.Length < batch || (!weights.IsEmpty && weights.Length < batch))
            throw new ArgumentException("Softmax cross-entropy: a buffer is shorter than its shape.");
        weightSum = LossReduction.WeightSum(weights, batch);
        var w = _forThisThread ??= new SoftmaxWork();
        if (w._rowLoss.Length < batch) w._rowLoss = new double[batch];
        fixed (float* pd = dLogits, pz = logits, py = labels, pw = weights)
        {
            w._dLogits = pd;
            w._logits = pz;
            w._labels = py;
            w._weights = pw;
            w._weightCount = weights.Length;
            w._batch = batch;
            w._classes = classes;
            w._smoothing = smoothing;
            w._weightSum = weightSum;
            w._parts = Math.Min(threads, batch);
            try
            {
                WorkerTeam.Run(w, w._parts);
            }
            finally
            {
                w._dLogits = w._logits = w._labels = w._weights = null;
            }
        }
        if (weightSum <= 0) return 0;
        double total = 0;
        for (int i = 0; i < batch; i++)
        {
            double l = w._rowLoss[i];
            total += weights.IsEmpty ? l : weights[i] * l;
        }
        return total / weightSum;
    }

    /// <inheritdoc/>
    public void Execute(int part)
    {
        var (r0, r1) = WorkPartition.Block(_batch, _parts, part, 1);
        int n = _batch * _classes;
        var logits = new ReadOnlySpan<float>(_logits, n);
        var labels = new ReadOnlySpan<float>(_labels, _batch);
        var weights = new ReadOnlySpan<float>(_weights, _weightCount);
        if (_weightSum > 0)
            for (int i = r0; i < r1; i++) _rowLoss[i] = SoftmaxCrossEntropy.RowLoss(logits, labels, i, _classes, _smoothing);
        SoftmaxCrossEntropy.BackwardRows(new Span<float>(_dLogits, n), logits, labels, weights, _weightSum, _classes, _smoothing, r0, r1);
    }
}
