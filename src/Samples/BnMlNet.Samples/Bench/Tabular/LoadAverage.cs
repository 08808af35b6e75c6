using System.Globalization;

namespace BnMlNet.Samples.Bench.Tabular;

/// <summary>The machine's load average (Linux <c>/proc/loadavg</c>), recorded with every timing.</summary>
/// <param name="One">1-minute load average.</param>
/// <param name="Five">5-minute load average.</param>
/// <param name="Fifteen">15-minute load average.</param>
public sealed record LoadAverage(double One, double Five, double Fifteen)
{
    /// <summary>Above this 1-minute load average the report says the time ratios must be re-measured on a quiet machine.</summary>
    public const double HeavyLoad = 3.0;

    /// <summary>True when the 1-minute load is above <see cref="HeavyLoad"/>.</summary>
    public bool IsHeavy => One > HeavyLoad;

    /// <summary>Reads the current load average; null where <c>/proc/loadavg</c> does not exist or does not parse.</summary>
    public static LoadAverage? Read()
    {
        try
        {
            var f = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            double P(int i) => double.Parse(f[i], NumberStyles.Float, CultureInfo.InvariantCulture);
            return new LoadAverage(P(0), P(1), P(2));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>"a / b / c (1, 5, 15 min)", or "not available".</summary>
    public static string Describe(LoadAverage? load) => load is null
        ? "not available (no /proc/loadavg)"
        : string.Create(CultureInfo.InvariantCulture, $"{load.One:F2} / {load.Five:F2} / {load.Fifteen:F2} (1 / 5 / 15 min)");
}
