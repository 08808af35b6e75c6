using System.Globalization;
using System.Text.RegularExpressions;

namespace BnMlNet.Samples.Experiments;

/// <summary>One figure over seeds: the mean and the spread, which is half the range (max − min) / 2.</summary>
/// <param name="Mean">Mean over the seeds.</param>
/// <param name="HalfRange">(max − min) / 2 over the seeds; 0 for one seed.</param>
/// <param name="Count">Seeds that gave a number.</param>
public readonly record struct SeedSpread(double Mean, double HalfRange, int Count)
{
    /// <summary>Mean and half-range of <paramref name="values"/>; NaN values are left out (NaN mean when none remains).</summary>
    public static SeedSpread Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var v = values.Where(x => !double.IsNaN(x)).ToArray();
        return v.Length == 0 ? new SeedSpread(double.NaN, double.NaN, 0) : new SeedSpread(v.Average(), (v.Max() - v.Min()) / 2, v.Length);
    }

    /// <summary><c>mean ± spread</c> with fixed decimals.</summary>
    public string Text(int decimals) => double.IsNaN(Mean) ? "n/a" : $"{Format.Fixed(Mean, decimals)} ± {Format.Fixed(HalfRange, decimals)}";
}

/// <summary>
/// Combines the same table from several seeds cell by cell: a numeric cell becomes <c>mean ± spread</c> (half the range)
/// with the decimals it was written with, text that is the same in every seed stays, and text that differs is listed per seed.
/// </summary>
public static partial class SeedTables
{
    [GeneratedRegex(@"^(?<num>[+-]?[0-9][0-9,]*(?:\.(?<dec>[0-9]+))?(?<exp>e[+-]?[0-9]+)?)(?<suffix>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberCell();

    /// <summary>A cell's number and what follows it (" pt", "%", " of 8"), or null when it does not start with a number.</summary>
    public static (double Value, int Decimals, bool Scientific, string Suffix)? Parse(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var m = NumberCell().Match(cell.Trim());
        if (!m.Success) return null;
        string num = m.Groups["num"].Value.Replace(",", "", StringComparison.Ordinal);
        if (!double.TryParse(num, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return null;
        return (v, m.Groups["dec"].Length, m.Groups["exp"].Success, m.Groups["suffix"].Value);
    }

    /// <summary>One cell from the same cell of every seed.</summary>
    public static string Cell(IReadOnlyList<string> perSeed)
    {
        ArgumentNullException.ThrowIfNull(perSeed);
        if (perSeed.Distinct().Count() == 1) return perSeed[0];
        var parsed = perSeed.Select(Parse).ToList();
        var numbers = parsed.Where(p => p is not null).Select(p => p!.Value).ToList();
        if (numbers.Count == 0 || numbers.Select(n => n.Suffix).Distinct().Count() != 1)
            return string.Join(" / ", perSeed);   // text that differs between seeds: each seed's, in seed order
        var spread = SeedSpread.Of(numbers.Select(n => n.Value));
        string suffix = numbers[0].Suffix;
        bool sci = numbers.Any(n => n.Scientific);
        int decimals = numbers.Max(n => n.Decimals);
        string text = sci ? $"{Format.Sci(spread.Mean)} ± {Format.Sci(spread.HalfRange)}"
            : decimals == 0 ? $"{Format.Fixed(spread.Mean, 1)} ± {Format.Fixed(spread.HalfRange, 1)}"
            : spread.Text(decimals);
        if (suffix.Length > 0 && suffix[0] is ' ' or '%') text += suffix;
        else if (suffix.Length > 0) text += " " + suffix;
        var other = perSeed.Where((_, i) => parsed[i] is null).ToList();
        if (other.Count > 0) text += $" ({string.Join(", ", other.Distinct())} in {other.Count} of {perSeed.Count} seeds)";
        return text;
    }

    /// <summary>Combines the i-th table of every seed; the seeds' tables must have the same shape (else the first seed's is returned with a note).</summary>
    public static ResultTable Combine(IReadOnlyList<ResultTable> perSeed)
    {
        ArgumentNullException.ThrowIfNull(perSeed);
        if (perSeed.Count == 0) throw new ArgumentException("No table to combine.", nameof(perSeed));
        var first = perSeed[0];
        if (perSeed.Count == 1) return first;
        bool sameShape = perSeed.All(t => t.Headers.SequenceEqual(first.Headers) && t.Rows.Count == first.Rows.Count);
        if (!sameShape)
        {
            var copy = new ResultTable(first.Caption + " (first seed only: the seeds' tables differ in shape)", [.. first.Headers]);
            foreach (var row in first.Rows) copy.Add(row);
            return copy;
        }
        var table = new ResultTable($"{first.Caption}; mean ± spread (half the range) over {perSeed.Count} seeds", [.. first.Headers]);
        for (int r = 0; r < first.Rows.Count; r++)
        {
            var cells = new string[first.Headers.Count];
            for (int c = 0; c < cells.Length; c++) cells[c] = Cell(perSeed.Select(t => t.Rows[r][c]).ToList());
            table.Add(cells);
        }
        return table;
    }
}
