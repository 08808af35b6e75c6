namespace BnMlNet.Samples.Cli;

/// <summary>How the app was started: as the installed dotnet tool <c>bnmlnet</c>, or from a clone with <c>dotnet run</c>.</summary>
public static class ToolContext
{
    /// <summary>The tool's command name (package BnMlNet.Tool).</summary>
    public const string ToolCommand = "bnmlnet";

    /// <summary>
    /// True when running from a dotnet tool install: the tool's files live in the tool path's <c>.store</c> folder
    /// (<c>--tool-path</c>) or under <c>~/.dotnet/tools/.store</c> (<c>-g</c>).
    /// </summary>
    public static bool IsInstalledTool { get; } =
        AppContext.BaseDirectory.Replace('\\', '/').Contains("/.store/", StringComparison.OrdinalIgnoreCase);

    /// <summary>The name to show in help and reports.</summary>
    public static string ApplicationName => IsInstalledTool ? ToolCommand : "BnMlNet.Samples";

    /// <summary>The command prefix a user types: <c>bnmlnet</c>, or <c>dotnet run --project src/Samples/BnMlNet.Samples --</c>.</summary>
    public static string CommandPrefix => IsInstalledTool ? ToolCommand : "dotnet run --project src/Samples/BnMlNet.Samples";
}
