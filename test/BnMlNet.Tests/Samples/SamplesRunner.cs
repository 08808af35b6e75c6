using BnMlNet.Samples;

namespace BnMlNet.Tests.Samples;

/// <summary>Runs the sample app in-process and captures what it prints.</summary>
internal static class SamplesRunner
{
    public static (int ExitCode, string Output) Run(params string[] args)
    {
        var output = new StringWriter();
        int code = Program.Run(args, output);
        return (code, output.ToString());
    }

    /// <summary>A fresh empty folder under the temp directory.</summary>
    public static string NewTempFolder(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"bnmlnet-{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
