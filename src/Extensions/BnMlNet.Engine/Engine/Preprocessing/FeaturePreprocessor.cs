namespace BnMlNet.Engine.Preprocessing;

/// <summary>
/// The frozen per-feature preprocessing a model applies before its network, learned from the training data.
/// For input j, in this order:
/// <list type="number">
/// <item>NaN (missing) becomes <see cref="Fill"/>[j], the training median; when j is in <see cref="IndicatorInputs"/>,
/// an extra 0/1 input "j was missing" is appended after the features.</item>
/// <item>+∞ becomes <see cref="Maximum"/>[j] and −∞ <see cref="Minimum"/>[j], the finite range of the training sample.</item>
/// <item>z = (x − <see cref="Center"/>[j]) · <see cref="InverseScale"/>[j] (identity when nothing is scaled).</item>
/// <item>With <see cref="SmoothClip"/>: z is clamped to ±1e15 (so its square cannot overflow), then z/√(1 + (z/3)²).</item>
/// <item>With a <see cref="Quantile"/> map, steps 3–4 are replaced by the map of the filled, bounded x.</item>
/// </list>
/// Outputs: the <see cref="InputSize"/> transformed features, then one indicator per <see cref="IndicatorInputs"/> entry.
/// Every output is finite for every input, NaN and ±∞ included. Immutable and thread-safe.
/// </summary>
public sealed partial class FeaturePreprocessor
{
    /// <summary>|z| is clamped to this before smooth clipping.</summary>
    public const float ClipGuard = 1e15f;

    /// <summary>Creates the preprocessor from copies of the given values; validates lengths and finiteness.</summary>
    public FeaturePreprocessor(IReadOnlyList<float> fill, IReadOnlyList<float> minimum, IReadOnlyList<float> maximum,
        IReadOnlyList<float> center, IReadOnlyList<float> inverseScale, IReadOnlyList<int> indicatorInputs, bool smoothClip,
        QuantileMap? quantile = null)
    {
        ArgumentNullException.ThrowIfNull(fill);
        int n = fill.Count;
        if (n < 1) throw new ArgumentException("The preprocessor needs at least one input.", nameof(fill));
        Check(minimum, n, nameof(minimum));
        Check(maximum, n, nameof(maximum));
        Check(center, n, nameof(center));
        Check(inverseScale, n, nameof(inverseScale));
        Check(fill, n, nameof(fill));
        ArgumentNullException.ThrowIfNull(indicatorInputs);
        for (int i = 0; i < indicatorInputs.Count; i++)
            if (indicatorInputs[i] < 0 || indicatorInputs[i] >= n || (i > 0 && indicatorInputs[i] <= indicatorInputs[i - 1]))
                throw new ArgumentException($"Indicator input {i} is {indicatorInputs[i]}; indicators must be ascending inputs in [0, {n}).", nameof(indicatorInputs));
        Fill = Array.AsReadOnly(fill.ToArray());
        Minimum = Array.AsReadOnly(minimum.ToArray());
        Maximum = Array.AsReadOnly(maximum.ToArray());
        Center = Array.AsReadOnly(center.ToArray());
        InverseScale = Array.AsReadOnly(inverseScale.ToArray());
        IndicatorInputs = Array.AsReadOnly(indicatorInputs.ToArray());
        SmoothClip = smoothClip;
        if (quantile is not null && quantile.FeatureCount != n)
            throw new ArgumentException($"The quantile map has {quantile.FeatureCount} features, expected {n}.", nameof(quantile));
        if (quantile is not null && smoothClip)
            throw new ArgumentException("A quantile map replaces steps 3–4; smooth clipping cannot be combined with it.", nameof(smoothClip));
        Quantile = quantile;
        _fill = fill.ToArray(); _min = minimum.ToArray(); _max = maximum.ToArray(); _center = center.ToArray(); _inv = inverseScale.ToArray();
        _indicators = indicatorInputs.ToArray();
        _indicatorOf = new int[n];
        Array.Fill(_indicatorOf, -1);
        for (int k = 0; k < _indicators.Length; k++) _indicatorOf[_indicators[k]] = k;
        _zeroRow = new float[OutputSize];
        Apply(new float[n], _zeroRow);
    }

    /// <summary>How many running standard deviations ±∞ is clipped to by <see cref="FromInputBatchNorm"/>.</summary>
    public const float InfinityClipDeviations = 4f;

    /// <summary>
    /// The non-finite rule of a model saved without preprocessing that has an input batch norm: NaN becomes the
    /// feature's training mean (the running mean μ), +∞ becomes μ + 4σ and −∞ μ − 4σ (σ = √running variance); finite
    /// values pass unchanged, bit for bit (center 0, scale 1, no smooth clipping, no indicators).
    /// </summary>
    public static FeaturePreprocessor FromInputBatchNorm(BatchNormParameters inputBatchNorm)
    {
        ArgumentNullException.ThrowIfNull(inputBatchNorm);
        int n = inputBatchNorm.Size;
        var mean = inputBatchNorm.RunningMean;
        var low = new float[n];
        var high = new float[n];
        for (int j = 0; j < n; j++)
        {
            double spread = InfinityClipDeviations * Math.Sqrt(Math.Max(0.0, inputBatchNorm.RunningVariance[j]));
            low[j] = (float)Math.Max(-float.MaxValue, mean[j] - spread);
            high[j] = (float)Math.Min(float.MaxValue, mean[j] + spread);
        }
        return new FeaturePreprocessor(mean, low, high, new float[n], Enumerable.Repeat(1f, n).ToArray(), [], smoothClip: false);
    }

    private readonly float[] _fill, _min, _max, _center, _inv;
    private readonly int[] _indicators;
    private readonly int[] _indicatorOf;   // input j → its indicator's position among the indicators, or −1
    private readonly float[] _zeroRow;     // Apply of the all-zero row: the start of ApplySparse

    private static void Check(IReadOnlyList<float> values, int n, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Count != n) throw new ArgumentException($"{name} has {values.Count} values, expected {n}.", name);
        for (int i = 0; i < n; i++)
            if (!float.IsFinite(values[i])) throw new ArgumentException($"{name}[{i}] is {values[i]}, not finite.", name);
    }

    /// <summary>Raw features per row.</summary>
    public int InputSize => Fill.Count;
    /// <summary>Values per row after preprocessing: the features plus one indicator per <see cref="IndicatorInputs"/>.</summary>
    public int OutputSize => Fill.Count + IndicatorInputs.Count;
    /// <summary>The value a missing (NaN) feature takes: the training median.</summary>
    public IReadOnlyList<float> Fill { get; }
    /// <summary>What −∞ becomes: the smallest finite training value in the sample.</summary>
    public IReadOnlyList<float> Minimum { get; }
    /// <summary>What +∞ becomes: the largest finite training value in the sample.</summary>
    public IReadOnlyList<float> Maximum { get; }
    /// <summary>Subtracted before scaling (the median under robust scaling, else 0).</summary>
    public IReadOnlyList<float> Center { get; }
    /// <summary>Multiplied after centering (1/IQR or its fallback under robust scaling, else 1).</summary>
    public IReadOnlyList<float> InverseScale { get; }
    /// <summary>The inputs (ascending) that get a missing-indicator output: those with a NaN in the training data.</summary>
    public IReadOnlyList<int> IndicatorInputs { get; }
    /// <summary>Whether z/√(1 + (z/3)²) follows the scaling.</summary>
    public bool SmoothClip { get; }
    /// <summary>Under <see cref="NumericScaling.Quantile"/>: the map that replaces steps 3–4 (applied to the filled, bounded x); else null.</summary>
    public QuantileMap? Quantile { get; }

    /// <summary>Preprocesses one row: <paramref name="output"/> gets <see cref="OutputSize"/> values.</summary>
    public void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        int n = _fill.Length;
        if (input.Length < n) throw new ArgumentException($"Expected {n} features, got {input.Length}.", nameof(input));
        if (output.Length < OutputSize) throw new ArgumentException($"Expected room for {OutputSize} values.", nameof(output));
        for (int k = 0; k < _indicators.Length; k++) output[n + k] = float.IsNaN(input[_indicators[k]]) ? 1f : 0f;
        for (int j = 0; j < n; j++) output[j] = Transform(j, input[j]);
    }

    /// <summary>Steps 1–4 for input j (the indicator aside).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private float Transform(int j, float x)
    {
        if (float.IsNaN(x)) x = _fill[j];
        else if (float.IsPositiveInfinity(x)) x = _max[j];
        else if (float.IsNegativeInfinity(x)) x = _min[j];
        if (Quantile is not null) return Quantile.Map(j, x);
        float z = (x - _center[j]) * _inv[j];
        if (SmoothClip)
        {
            z = Math.Clamp(z, -ClipGuard, ClipGuard);
            float t = z / 3f;
            z /= MathF.Sqrt(1f + t * t);
        }
        return z;
    }

    /// <summary>
    /// <see cref="Apply"/> of a sparse row: inputs[<paramref name="indices"/>[i]] = <paramref name="values"/>[i]
    /// (indices ascending, every other input 0), with the same result, bit for bit, as Apply of the row made dense.
    /// Costs one copy of <see cref="OutputSize"/> values plus the formula for the listed inputs only: the outputs of
    /// the zero inputs are computed once, when the preprocessor is built. Allocation-free.
    /// </summary>
    /// <param name="indices">The positions of the listed values, ascending, each in [0, <see cref="InputSize"/>).</param>
    /// <param name="values">The listed values (any float, NaN and ±∞ included).</param>
    /// <param name="output">Receives <see cref="OutputSize"/> values.</param>
    public void ApplySparse(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, Span<float> output)
    {
        int n = _fill.Length;
        if (indices.Length != values.Length) throw new ArgumentException($"{indices.Length} indices for {values.Length} values.", nameof(indices));
        if (output.Length < OutputSize) throw new ArgumentException($"Expected room for {OutputSize} values.", nameof(output));
        _zeroRow.CopyTo(output);
        for (int i = 0; i < indices.Length; i++)
        {
            int j = indices[i];
            if ((uint)j >= (uint)n) throw new ArgumentException($"Index {i} is {j}, outside [0, {n}).", nameof(indices));
            float x = values[i];
            output[j] = Transform(j, x);
            if (float.IsNaN(x) && _indicatorOf[j] >= 0) output[n + _indicatorOf[j]] = 1f;
        }
    }

    /// <summary>
    /// Preprocesses <paramref name="rows"/> rows of <paramref name="data"/> in place; only when <see cref="OutputSize"/>
    /// = <see cref="InputSize"/> (no indicators). Each value is read before it is written, so the results are those of
    /// <see cref="ApplyRows"/>, bit for bit.
    /// </summary>
    public void ApplyRowsInPlace(Span<float> data, int rows)
    {
        if (OutputSize != InputSize) throw new InvalidOperationException("Rows with missing indicators grow; they cannot be preprocessed in place.");
        int n = InputSize;
        if (data.Length < (long)rows * n) throw new ArgumentException($"Expected {rows} rows of {n} features.", nameof(data));
        bool vector = RowVectorsEnabled && Quantile is null;
        for (int r = 0; r < rows; r++)
        {
            var row = data.Slice(r * n, n);
            if (vector) TransformRow(row, row);
            else Apply(row, row);
        }
    }

    /// <summary>Preprocesses <paramref name="rows"/> rows, row-major.</summary>
    public void ApplyRows(ReadOnlySpan<float> input, Span<float> output, int rows)
    {
        int n = InputSize, m = OutputSize;
        if (input.Length < (long)rows * n) throw new ArgumentException($"Expected {rows} rows of {n} features.", nameof(input));
        if (output.Length < (long)rows * m) throw new ArgumentException($"Expected room for {rows} rows of {m} values.", nameof(output));
        if (!RowVectorsEnabled || Quantile is not null)
        {
            for (int r = 0; r < rows; r++) Apply(input.Slice(r * n, n), output.Slice(r * m, m));
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            var x = input.Slice(r * n, n);
            var o = output.Slice(r * m, m);
            for (int k = 0; k < _indicators.Length; k++) o[n + k] = float.IsNaN(x[_indicators[k]]) ? 1f : 0f;
            TransformRow(x, o);
        }
    }
}
