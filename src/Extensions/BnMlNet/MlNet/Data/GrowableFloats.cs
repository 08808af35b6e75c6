namespace BnMlNet.MlNet.Data;

/// <summary>An append-only float list over one contiguous array, growing by doubling up to a fixed maximum.</summary>
internal sealed class GrowableFloats
{
    private readonly long _maxCount;
    private float[] _items;

    /// <param name="initialCapacity">Values to reserve up front (an exact row count avoids any copy in <see cref="ToArray"/>).</param>
    /// <param name="maxCount">The most values this list may ever hold; growth never reserves more.</param>
    public GrowableFloats(long initialCapacity, long maxCount = long.MaxValue)
    {
        _maxCount = Math.Min(maxCount, Array.MaxLength);
        _items = new float[Math.Clamp(initialCapacity, 0, _maxCount)];
    }

    /// <summary>Values appended so far.</summary>
    public int Count { get; private set; }

    /// <summary>Appends one value; false (nothing appended) when that would pass the maximum.</summary>
    public bool TryAdd(float value)
    {
        if (!Ensure(1)) return false;
        _items[Count++] = value;
        return true;
    }

    /// <summary>Appends the values; false (nothing appended) when that would pass the maximum.</summary>
    public bool TryAdd(ReadOnlySpan<float> values)
    {
        if (!Ensure(values.Length)) return false;
        values.CopyTo(_items.AsSpan(Count));
        Count += values.Length;
        return true;
    }

    /// <summary>The values; the backing array itself when it is exactly full (no copy).</summary>
    public float[] ToArray() => Count == _items.Length ? _items : _items.AsSpan(0, Count).ToArray();

    private bool Ensure(int extra)
    {
        long needed = (long)Count + extra;
        if (needed <= _items.Length) return true;
        if (needed > _maxCount) return false;
        long size = Math.Min(Math.Max(needed, Math.Max(16L, (long)_items.Length * 2)), _maxCount);
        Array.Resize(ref _items, (int)size);
        return true;
    }
}
