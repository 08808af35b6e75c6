namespace BnMlNet.MlNet.Data;

/// <summary>An append-only float list over one contiguous array, growing by doubling.</summary>
internal sealed class GrowableFloats(int initialCapacity)
{
    private float[] _items = new float[Math.Max(initialCapacity, 16)];

    /// <summary>Rows appended so far (values for <see cref="Add(float)"/>, values for spans).</summary>
    public int Count { get; private set; }

    public void Add(float value)
    {
        Ensure(1);
        _items[Count++] = value;
    }

    public void Add(ReadOnlySpan<float> values)
    {
        Ensure(values.Length);
        values.CopyTo(_items.AsSpan(Count));
        Count += values.Length;
    }

    public float[] ToArray() => _items.AsSpan(0, Count).ToArray();

    private void Ensure(int extra)
    {
        long needed = (long)Count + extra;
        if (needed <= _items.Length) return;
        if (needed > Array.MaxLength)
            throw new InvalidOperationException($"The training data needs {needed:N0} floats in memory, more than one array can hold.");
        long size = Math.Max(needed, Math.Min((long)_items.Length * 2, Array.MaxLength));
        Array.Resize(ref _items, (int)size);
    }
}
