using System.Globalization;

namespace BnMlNet.Samples.Experiments;

/// <summary>Invariant-culture number formatting for the tables and the report.</summary>
public static class Format
{
    /// <summary>Fixed decimals, or "n/a" for NaN.</summary>
    public static string Fixed(double value, int decimals) =>
        double.IsNaN(value) ? "n/a" : value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>Scientific notation with 2 significant decimals (1.23e-09).</summary>
    public static string Sci(double value) =>
        double.IsNaN(value) ? "n/a" : value.ToString("0.00e+00", CultureInfo.InvariantCulture);

    /// <summary>A learning rate, short form (0.001, 3e-5).</summary>
    public static string Rate(double value) =>
        value < 1e-3 ? value.ToString("0.##e0", CultureInfo.InvariantCulture) : value.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>A percentage with one decimal.</summary>
    public static string Percent(double share) => double.IsNaN(share) ? "n/a" : (100 * share).ToString("F1", CultureInfo.InvariantCulture) + "%";

    /// <summary>Percentage points between two accuracies, signed (+1.2 pt).</summary>
    public static string Points(double difference) =>
        (100 * difference).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " pt";

    /// <summary>Invariant ToString for interpolation.</summary>
    public static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
