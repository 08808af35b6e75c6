using BnMlNet.Engine.Layers;

namespace BnMlNet.Engine;

/// <summary>
/// The learned, frozen periodic (PLR) embedding of a trained network (see <see cref="NumericEmbedding.Periodic"/>).
/// For embedded feature i (input slot <see cref="Slots"/>[i]) with value x:
/// a_f = (2π·c_if)·x, v = [cos a, sin a] (k cosines, then k sines), h_i = ReLU(b_i + Σ_q v_q·W_i[q, ·]) ∈ ℝᵈ.
/// The output row is h_0 … h_(m−1), then the pass-through slots (every slot not in <see cref="Slots"/>) in input order;
/// it is the first dense layer's input. Scoring evaluates cos/sin with <c>MathF</c> (older models reproduce bit for bit);
/// training uses the vectorized <c>PeriodicSinCos</c> (within 1e-7 of double precision), so a newly trained model's
/// scores differ from its training-time forward pass by at most that much per cos/sin value. Immutable; every number is readable.
/// </summary>
public sealed class PeriodicEmbeddingParameters
{
    /// <summary>float(2π): every path (engine, ONNX export, PyTorch fixture) forms the angle as (TwoPi·c)·x in float.</summary>
    public const float TwoPi = 6.2831855f;

    private readonly float[] _frequency, _weights, _bias;
    private readonly int[] _slots, _passThrough;

    /// <summary>Validates shapes and finiteness, throwing <see cref="ArgumentException"/> naming what is wrong.</summary>
    /// <param name="inputSize">Features per row entering the embedding.</param>
    /// <param name="slots">The embedded slots, strictly ascending, each in [0, inputSize).</param>
    /// <param name="frequencies">k, frequencies per feature.</param>
    /// <param name="dimension">d, output dimensions per feature.</param>
    /// <param name="frequency">c [m×k], feature-major.</param>
    /// <param name="weights">W [m×2k×d]: feature i, row q (cosines first), column o at (i·2k + q)·d + o.</param>
    /// <param name="bias">b [m×d].</param>
    public PeriodicEmbeddingParameters(int inputSize, IReadOnlyList<int> slots, int frequencies, int dimension,
        IReadOnlyList<float> frequency, IReadOnlyList<float> weights, IReadOnlyList<float> bias)
    {
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(frequency);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(bias);
        SettingRules.InputSize.Check(inputSize, nameof(inputSize));
        SettingRules.EmbeddingFrequencies.Check(frequencies, nameof(frequencies));
        SettingRules.EmbeddingDimension.Check(dimension, nameof(dimension));
        _slots = slots.ToArray();
        CheckSlots(_slots, inputSize);
        int m = _slots.Length;
        CheckValues(frequency, m * frequencies, "frequency");
        CheckValues(weights, m * 2 * frequencies * dimension, "weights");
        CheckValues(bias, m * dimension, "bias");
        InputSize = inputSize;
        Frequencies = frequencies;
        Dimension = dimension;
        _frequency = frequency.ToArray();
        _weights = weights.ToArray();
        _bias = bias.ToArray();
        _passThrough = PassThroughOf(_slots, inputSize);
    }

    /// <summary>Throws unless <paramref name="slots"/> is strictly ascending within [0, <paramref name="inputSize"/>) and not empty.</summary>
    internal static void CheckSlots(IReadOnlyList<int> slots, int inputSize)
    {
        if (slots.Count == 0) throw new ArgumentException("The embedding needs at least one embedded slot.", nameof(slots));
        for (int i = 0; i < slots.Count; i++)
            if (slots[i] < 0 || slots[i] >= inputSize || (i > 0 && slots[i] <= slots[i - 1]))
                throw new ArgumentException($"Embedded slot {i} is {slots[i]}; slots must be strictly ascending in [0, {inputSize}).", nameof(slots));
    }

    /// <summary>The slots of [0, inputSize) not in <paramref name="slots"/>, ascending.</summary>
    internal static int[] PassThroughOf(IReadOnlyList<int> slots, int inputSize)
    {
        var set = new HashSet<int>(slots);
        return Enumerable.Range(0, inputSize).Where(j => !set.Contains(j)).ToArray();
    }

    private static void CheckValues(IReadOnlyList<float> values, int expected, string what)
    {
        if (values.Count != expected) throw new ArgumentException($"The embedding's {what} has {values.Count} values, expected {expected}.", what);
        for (int i = 0; i < values.Count; i++)
            if (!float.IsFinite(values[i])) throw new ArgumentException($"The embedding's {what}: value {i} is {values[i]}, not finite.", what);
    }

    /// <summary>Features per row entering the embedding.</summary>
    public int InputSize { get; }
    /// <summary>k, frequencies per embedded feature.</summary>
    public int Frequencies { get; }
    /// <summary>d, output dimensions per embedded feature.</summary>
    public int Dimension { get; }
    /// <summary>The embedded input slots, ascending.</summary>
    public IReadOnlyList<int> Slots => _slots;
    /// <summary>The slots passed through unchanged, ascending (after the embedded blocks in the output).</summary>
    public IReadOnlyList<int> PassThroughSlots => _passThrough;
    /// <summary>c [m×k].</summary>
    public IReadOnlyList<float> Frequency => _frequency;
    /// <summary>W [m×2k×d].</summary>
    public IReadOnlyList<float> Weights => _weights;
    /// <summary>b [m×d].</summary>
    public IReadOnlyList<float> Bias => _bias;
    /// <summary>Values per output row: m·d + the pass-through count.</summary>
    public int OutputSize => _slots.Length * Dimension + _passThrough.Length;

    /// <summary>Embeds one row: <paramref name="features"/> [InputSize] → <paramref name="output"/> [OutputSize]. Allocation-free.</summary>
    public void Apply(ReadOnlySpan<float> features, Span<float> output)
    {
        if (features.Length < InputSize) throw new ArgumentException($"Expected {InputSize} features, got {features.Length}.", nameof(features));
        if (output.Length < OutputSize) throw new ArgumentException($"Expected room for {OutputSize} values, got {output.Length}.", nameof(output));
        ApplyRows(features, output, 1);
    }

    /// <summary>Embeds <paramref name="rows"/> rows, row-major (no checks; the frozen network's scoring path).</summary>
    internal void ApplyRows(ReadOnlySpan<float> features, Span<float> output, int rows)
    {
        int k = Frequencies, d = Dimension, m = _slots.Length, outputSize = OutputSize;
        Span<float> v = stackalloc float[2 * k];
        for (int r = 0; r < rows; r++)
        {
            var x = features.Slice(r * InputSize, InputSize);
            var e = output.Slice(r * outputSize, outputSize);
            for (int i = 0; i < m; i++)
                PeriodicEmbeddingLayer.EmbedValue(x[_slots[i]], _frequency.AsSpan(i * k, k), _weights.AsSpan(i * 2 * k * d, 2 * k * d),
                    _bias.AsSpan(i * d, d), v, e.Slice(i * d, d));
            for (int p = 0; p < _passThrough.Length; p++) e[m * d + p] = x[_passThrough[p]];
        }
    }
}
