using BnMlNet.Engine.Threading;

namespace BnMlNet.Engine.Training;

/// <summary>A mini-batch copied into buffers the trainer owns.</summary>
internal sealed class StagedBatch(int featureCount, int threads = 1)
{
    public int Rows { get; private set; }
    public float[] Features { get; private set; } = [];
    public float[] Labels { get; private set; } = [];
    public float[] Weights { get; private set; } = [];
    public bool HasWeights { get; private set; }

    public ReadOnlySpan<float> FeatureSpan => Features.AsSpan(0, Rows * featureCount);
    public ReadOnlySpan<float> LabelSpan => Labels.AsSpan(0, Rows);
    /// <summary>The weights, or empty when the batch is unweighted.</summary>
    public ReadOnlySpan<float> WeightSpan => HasWeights ? Weights.AsSpan(0, Rows) : default;

    public void Set(in MiniBatch batch)
    {
        Rows = 0;
        HasWeights = false;
        Append(batch);
    }

    public void Append(in MiniBatch batch)
    {
        int f = featureCount, start = Rows, rows = batch.Rows;
        if (batch.Features.Length < rows * f)
            throw new ArgumentException($"A mini-batch of {rows} rows has {batch.Features.Length} feature values, expected {rows * f}.");
        if (batch.Labels.Length < rows)
            throw new ArgumentException($"A mini-batch of {rows} rows has {batch.Labels.Length} labels.");
        Ensure(start + rows);
        ParallelCopy.Copy(batch.Features.Span[..(rows * f)], Features.AsSpan(start * f), threads);
        batch.Labels.Span[..rows].CopyTo(Labels.AsSpan(start));
        if (batch.Weights is { } w)
        {
            if (w.Length < rows) throw new ArgumentException($"A mini-batch of {rows} rows has {w.Length} weights.");
            if (!HasWeights) Weights.AsSpan(0, start).Fill(1f);   // earlier rows were unweighted: weight 1
            HasWeights = true;
            w.Span[..rows].CopyTo(Weights.AsSpan(start));
        }
        else if (HasWeights)
        {
            Weights.AsSpan(start, rows).Fill(1f);
        }
        Rows = start + rows;
    }

    private void Ensure(int rows)
    {
        if (Labels.Length >= rows) return;
        int cap = Math.Max(rows, Labels.Length * 2);
        var x = new float[cap * featureCount];
        var y = new float[cap];
        var w = new float[cap];
        Features.AsSpan(0, Rows * featureCount).CopyTo(x);
        Labels.AsSpan(0, Rows).CopyTo(y);
        Weights.AsSpan(0, Rows).CopyTo(w);
        Features = x;
        Labels = y;
        Weights = w;
    }
}

/// <summary>
/// Pulls batches from a source one ahead and merges any batch of fewer than 2 rows into the batch before it
/// (a train-mode batch norm cannot normalize a single row). Double-buffered: a returned batch stays valid until the
/// next call.
/// </summary>
internal sealed class BatchStager(int featureCount, int threads = 1)
{
    private readonly StagedBatch[] _slots = [new(featureCount, threads), new(featureCount, threads)];
    private IEnumerator<MiniBatch>? _source;
    private int _pending = -1;

    public void Begin(IEnumerable<MiniBatch> batches)
    {
        _source?.Dispose();
        _source = batches.GetEnumerator();
        _pending = -1;
    }

    public bool IsActive => _source is not null;

    /// <summary>The next (merged) batch, or false at the end of the pass.</summary>
    public bool TryNext(out StagedBatch batch)
    {
        batch = null!;
        if (_source is null) return false;
        if (_pending < 0)
        {
            if (!_source.MoveNext()) { End(); return false; }
            _pending = 0;
            _slots[0].Set(_source.Current);
        }
        while (_source.MoveNext())
        {
            var next = _source.Current;
            if (next.Rows < 2 || _slots[_pending].Rows < 2)
            {
                _slots[_pending].Append(next);
                continue;
            }
            int other = 1 - _pending;
            _slots[other].Set(next);
            batch = _slots[_pending];
            _pending = other;
            return true;
        }
        batch = _slots[_pending];
        End();
        return true;
    }

    private void End()
    {
        _source?.Dispose();
        _source = null;
        _pending = -1;
    }
}
