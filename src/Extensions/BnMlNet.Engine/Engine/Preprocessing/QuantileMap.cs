namespace BnMlNet.Engine.Preprocessing;

/// <summary>
/// The per-feature map of <see cref="NumericScaling.Quantile"/>: for feature j a piecewise-linear function through its
/// knots (x, y), x strictly ascending, constant (the end knot's y) outside the knots' range; a single knot is a
/// constant. Immutable, thread-safe, and <see cref="Map"/> allocates nothing.
/// </summary>
public sealed class QuantileMap
{
    /// <summary>|y| of a fitted knot is at most this: Φ⁻¹(1 − 1e-7), the clip of scikit-learn's normal output.</summary>
    public const double OutputBound = 5.199337582192817;

    private readonly int[] _start;   // feature j's knots are [_start[j], _start[j + 1])
    private readonly float[] _x, _y;

    /// <summary>Creates the map from one knot list per feature; validates that each has ≥ 1 knot, finite values and strictly ascending x.</summary>
    public QuantileMap(IReadOnlyList<IReadOnlyList<(float X, float Y)>> knots)
    {
        ArgumentNullException.ThrowIfNull(knots);
        if (knots.Count < 1) throw new ArgumentException("The quantile map needs at least one feature.", nameof(knots));
        _start = new int[knots.Count + 1];
        for (int j = 0; j < knots.Count; j++)
        {
            var k = knots[j] ?? throw new ArgumentException($"Feature {j} has no knot list.", nameof(knots));
            if (k.Count < 1) throw new ArgumentException($"Feature {j} has no knots; it needs at least one.", nameof(knots));
            for (int i = 0; i < k.Count; i++)
            {
                if (!float.IsFinite(k[i].X) || !float.IsFinite(k[i].Y))
                    throw new ArgumentException($"Feature {j} knot {i} is ({k[i].X}, {k[i].Y}), not finite.", nameof(knots));
                if (i > 0 && !(k[i].X > k[i - 1].X))
                    throw new ArgumentException($"Feature {j} knot {i} has x = {k[i].X} after {k[i - 1].X}; knot x must strictly ascend.", nameof(knots));
            }
            _start[j + 1] = _start[j] + k.Count;
        }
        _x = new float[_start[^1]];
        _y = new float[_start[^1]];
        for (int j = 0, at = 0; j < knots.Count; j++)
            foreach (var (x, y) in knots[j]) { _x[at] = x; _y[at++] = y; }
    }

    /// <summary>Features mapped.</summary>
    public int FeatureCount => _start.Length - 1;

    /// <summary>Feature <paramref name="j"/>'s knots, ascending in x.</summary>
    public IReadOnlyList<(float X, float Y)> Knots(int j)
    {
        if ((uint)j >= (uint)FeatureCount) throw new ArgumentOutOfRangeException(nameof(j), j, $"Feature index must be in [0, {FeatureCount}).");
        var list = new (float, float)[_start[j + 1] - _start[j]];
        for (int i = 0; i < list.Length; i++) list[i] = (_x[_start[j] + i], _y[_start[j] + i]);
        return list;
    }

    /// <summary>The map of feature <paramref name="j"/> at finite <paramref name="x"/> (interpolated in double, rounded once).</summary>
    public float Map(int j, float x)
    {
        int lo = _start[j], hi = _start[j + 1] - 1;
        if (!(x > _x[lo])) return _y[lo];
        if (x >= _x[hi]) return _y[hi];
        while (hi - lo > 1)   // invariant: _x[lo] < x < _x[hi]... or x == _x[lo] after a move
        {
            int mid = (lo + hi) >>> 1;
            if (_x[mid] <= x) lo = mid; else hi = mid;
        }
        double t = ((double)x - _x[lo]) / ((double)_x[hi] - _x[lo]);
        return (float)(_y[lo] + t * ((double)_y[hi] - _y[lo]));
    }

    /// <summary>
    /// The knots of one feature from its sorted finite sample values (rows = the sample's row count): scikit-learn's
    /// <c>QuantileTransformer(output_distribution='normal')</c> with n_quantiles = clamp(rows/30, 10, 1000) (at most the
    /// value count): x_i the type-7 quantile at p_i = i/(q − 1), y_i = Φ⁻¹(p_i) clipped to ±<see cref="OutputBound"/>.
    /// A run of equal x becomes one knot whose y is Φ⁻¹ of the run's middle p (scikit-learn's average of the forward and
    /// the reversed interpolation). A feature with at most two distinct values is not quantile-mapped: its knots are
    /// (low, 0), (high, 1) (0/1 flags and one-hot slots pass unchanged), a constant gets (value, 0), no value (0, 0).
    /// </summary>
    public static (float X, float Y)[] Fit(ReadOnlySpan<float> sorted, int rows)
    {
        if (sorted.Length == 0) return [(0f, 0f)];
        float low = sorted[0], high = sorted[^1];
        if (low == high) return [(low, 0f)];
        bool twoValued = true;
        foreach (float v in sorted) if (v != low && v != high) { twoValued = false; break; }
        if (twoValued) return [(low, 0f), (high, 1f)];
        int q = Math.Min(Math.Clamp(rows / 30, 10, 1000), sorted.Length);
        var xs = new float[q];
        for (int i = 0; i < q; i++) xs[i] = TypeSevenQuantile(sorted, (double)i / (q - 1));
        var knots = new List<(float, float)>(q);
        for (int a = 0; a < q;)
        {
            int b = a;
            while (b + 1 < q && xs[b + 1] == xs[a]) b++;
            double p = ((double)a / (q - 1) + (double)b / (q - 1)) / 2;
            knots.Add((xs[a], (float)Math.Clamp(NormalQuantile.Inverse(p), -OutputBound, OutputBound)));
            a = b + 1;
        }
        return [.. knots];
    }

    private static float TypeSevenQuantile(ReadOnlySpan<float> sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return (float)(sorted[lo] + (h - lo) * ((double)sorted[hi] - sorted[lo]));
    }
}
