using System.Globalization;

namespace BnMlNet.Benchmarks;

/// <summary>What the <c>quick</c> A/B modes share: the median of their rounds and their key=value lines.</summary>
internal static class QuickOutput
{
    /// <summary>The median (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    /// <summary>Prints <c>key=value</c> in the invariant culture.</summary>
    public static void Put(string key, double value, string format = "F1") =>
        Console.WriteLine($"{key}={value.ToString(format, CultureInfo.InvariantCulture)}");
}
