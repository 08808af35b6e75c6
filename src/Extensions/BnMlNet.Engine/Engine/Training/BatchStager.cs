using BnMlNet.Engine.Threading;

namespace BnMlNet.Engine.Training;

/// <summary>
/// A mini-batch the trainer reads: copied into buffers it owns, or adopted (its memory referenced, no copy) when the
/// source keeps each batch's memory valid until the batch after next has been drawn.
/// </summary>
internal sealed class StagedBatch(int featureCount, int threads = 1)
{
    private ReadOnlyMemory<float> _x, _y, _w;
    private bool _adopted;

    public int Rows { get; private set; }
    public float[] Features { get; private set; } = [];
    public float[] Labels { get; private set; } = [];
    public float[] Weights { get; private set; } = [];
    public bool HasWeights { get; private set; }

    public ReadOnlySpan<float> FeatureSpan => _adopted ? _x.Span : Features.AsSpan(0, Rows * featureCount);
    public ReadOnlySpan<float> LabelSpan => _adopted ? _y.Span : Labels.AsSpan(0, Rows);
    /// <summary>The weights, or empty when the batch is unweighted.</summary>
    public ReadOnlySpan<float> WeightSpan => !HasWeights ? default : _adopted ? _w.Span : Weights.AsSpan(0, Rows);

    /// <summary>References the batch's memory without copying it (the source must keep it valid; see <see cref="BatchStager"/>).</summary>
    public void Adopt(in MiniBatch batch)
    {
        int rows = batch.Rows;
        Check(batch);
        _x = batch.Features[..(rows * featureCount)];
        _y = batch.Labels[..rows];
        _w = batch.Weights is { } w ? w[..rows] : default;
        HasWeights = batch.Weights is not null;
        Rows = rows;
        _adopted = true;
    }

    public void Set(in MiniBatch batch)
    {
        _adopted = false;
        Rows = 0;
        HasWeights = false;
        Append(batch);
    }

    public void Append(in MiniBatch batch)
    {
        if (_adopted)
        {
            // A batch of fewer than 2 rows is merged into this adopted one: copy it first (the adopted memory is
            // still valid: the source has drawn only the one batch after it).
            var adopted = new MiniBatch(Rows, _x, _y, HasWeights ? _w : (ReadOnlyMemory<float>?)null);
            Set(adopted);
        }
        Check(batch);
        int f = featureCount, start = Rows, rows = batch.Rows;
        Ensure(start + rows);
        ParallelCopy.Copy(batch.Features.Span[..(rows * f)], Features.AsSpan(start * f), threads);
        batch.Labels.Span[..rows].CopyTo(Labels.AsSpan(start));
        if (batch.Weights is { } w)
        {
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

    private void Check(in MiniBatch batch)
    {
        int rows = batch.Rows;
        if (batch.Features.Length < rows * featureCount)
            throw new ArgumentException($"A mini-batch of {rows} rows has {batch.Features.Length} feature values, expected {rows * featureCount}.");
        if (batch.Labels.Length < rows)
            throw new ArgumentException($"A mini-batch of {rows} rows has {batch.Labels.Length} labels.");
        if (batch.Weights is { } w && w.Length < rows) throw new ArgumentException($"A mini-batch of {rows} rows has {w.Length} weights.");
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
/// next call. A source begun with <c>adopt</c> promises that each batch's memory stays valid until the batch after
/// next has been drawn (<see cref="DenseDataset"/>'s passes do); its batches are then referenced, not copied.
/// </summary>
internal sealed class BatchStager(int featureCount, int threads = 1)
{
    private readonly StagedBatch[] _slots = [new(featureCount, threads), new(featureCount, threads)];
    private IEnumerator<MiniBatch>? _source;
    private int _pending = -1;
    private bool _adopt;

    public void Begin(IEnumerable<MiniBatch> batches, bool adopt = false)
    {
        _source?.Dispose();
        _source = batches.GetEnumerator();
        _pending = -1;
        _adopt = adopt;
    }

    private void Take(StagedBatch slot, in MiniBatch batch)
    {
        if (_adopt) slot.Adopt(batch);
        else slot.Set(batch);
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
            Take(_slots[0], _source.Current);
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
            Take(_slots[other], next);
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
