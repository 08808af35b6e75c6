using System.Runtime.InteropServices;

namespace BnMlNet.Samples.Reports;

/// <summary>The machine a report was produced on.</summary>
public static class MachineInfo
{
    /// <summary>One line: cores, OS, architecture, .NET version.</summary>
    public static string Describe() =>
        $"{Environment.ProcessorCount} logical cores (Environment.ProcessorCount), {RuntimeInformation.OSDescription}, " +
        $"{RuntimeInformation.OSArchitecture}, {RuntimeInformation.FrameworkDescription}";
}
