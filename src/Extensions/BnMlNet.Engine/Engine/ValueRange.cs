using System.Globalization;

namespace BnMlNet.Engine;

/// <summary>
/// The values a numeric setting allows: an interval whose ends are included or not. NaN is never allowed; an
/// infinite end is never included, so a range unbounded above allows finite values only. One instance per setting
/// lives in <see cref="SettingRules"/>; the engine's own checks and the ML.NET options' checks both read it.
/// </summary>
/// <param name="Minimum">The lower end (may be <see cref="double.NegativeInfinity"/>).</param>
/// <param name="MinimumIncluded">Whether <paramref name="Minimum"/> itself is allowed.</param>
/// <param name="Maximum">The upper end (may be <see cref="double.PositiveInfinity"/>).</param>
/// <param name="MaximumIncluded">Whether <paramref name="Maximum"/> itself is allowed.</param>
/// <param name="IsInteger">Whether the setting is a whole number (changes only how the range is written).</param>
/// <param name="Reason">Why the range is what it is, added to the error message; null when obvious.</param>
public sealed record ValueRange(double Minimum, bool MinimumIncluded, double Maximum, bool MaximumIncluded,
    bool IsInteger = false, string? Reason = null)
{
    /// <summary>Whole numbers ≥ <paramref name="minimum"/>.</summary>
    /// <param name="minimum">The smallest allowed value.</param>
    /// <param name="reason">Why, for the error message.</param>
    /// <returns>The range.</returns>
    public static ValueRange IntegerAtLeast(int minimum, string? reason = null) =>
        new(minimum, true, double.PositiveInfinity, false, IsInteger: true, reason);

    /// <summary>Finite numbers ≥ <paramref name="minimum"/>.</summary>
    /// <param name="minimum">The smallest allowed value.</param>
    /// <returns>The range.</returns>
    public static ValueRange FiniteAtLeast(double minimum) => new(minimum, true, double.PositiveInfinity, false);

    /// <summary>Finite numbers &gt; <paramref name="minimum"/>.</summary>
    /// <param name="minimum">The largest value that is not allowed.</param>
    /// <returns>The range.</returns>
    public static ValueRange FiniteAbove(double minimum) => new(minimum, false, double.PositiveInfinity, false);

    /// <summary>Whether <paramref name="value"/> is allowed.</summary>
    /// <param name="value">The value to test.</param>
    /// <returns>True when it lies in the range.</returns>
    public bool Contains(double value) =>
        !double.IsNaN(value)
        && (MinimumIncluded && !double.IsInfinity(Minimum) ? value >= Minimum : value > Minimum)
        && (MaximumIncluded && !double.IsInfinity(Maximum) ? value <= Maximum : value < Maximum);

    /// <summary>The range in words, e.g. "in [0, 1)", "at least 2", "a finite number ≥ 0".</summary>
    /// <returns>The text the error messages use.</returns>
    public string Describe()
    {
        string min = Format(Minimum), max = Format(Maximum);
        if (double.IsPositiveInfinity(Maximum))
        {
            if (IsInteger) return MinimumIncluded ? $"at least {min}" : $"greater than {min}";
            return MinimumIncluded ? $"a finite number ≥ {min}" : $"a finite number > {min}";
        }
        return $"in {(MinimumIncluded ? "[" : "(")}{min}, {max}{(MaximumIncluded ? "]" : ")")}";
    }

    /// <summary>Throws when <paramref name="value"/> is outside the range, naming the setting and the range.</summary>
    /// <param name="value">The value given.</param>
    /// <param name="name">The setting's name as the caller knows it (an ML.NET option name, or an engine property).</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public void Check(float value, string name)
    {
        if (!Contains(value)) Throw(value.ToString(CultureInfo.InvariantCulture), value, name);
    }

    /// <inheritdoc cref="Check(float, string)"/>
    public void Check(int value, string name)
    {
        if (!Contains(value)) Throw(value.ToString(CultureInfo.InvariantCulture), value, name);
    }

    /// <summary>Throws when element <paramref name="index"/> of a list setting is outside the range.</summary>
    /// <param name="value">The element's value.</param>
    /// <param name="name">The list setting's name (the exception's parameter name).</param>
    /// <param name="index">The element's position, shown as name[index].</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    public void CheckElement(int value, string name, int index)
    {
        if (!Contains(value)) Throw(value.ToString(CultureInfo.InvariantCulture), value, name, $"{name}[{index}]");
    }

    private void Throw(string shown, object value, string name, string? shownName = null) =>
        throw new ArgumentOutOfRangeException(name, value,
            $"{shownName ?? name} is {shown}; it must be {Describe()}{(Reason is null ? "" : $" ({Reason})")}.");

    private static string Format(double v) => v.ToString(CultureInfo.InvariantCulture);
}
