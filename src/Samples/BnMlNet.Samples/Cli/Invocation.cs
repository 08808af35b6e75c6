namespace BnMlNet.Samples.Cli;

/// <summary>The command line the app was started with, for the report.</summary>
/// <param name="Args">The arguments.</param>
public sealed record Invocation(IReadOnlyList<string> Args)
{
    /// <summary>As a shell command: <c>dotnet run --project src/Samples/BnMlNet.Samples -- …</c>, or <c>bnmlnet …</c> from the tool.</summary>
    public string CommandLine =>
        ToolContext.CommandPrefix +
        (Args.Count == 0 ? "" : (ToolContext.IsInstalledTool ? " " : " -- ") + string.Join(" ", Args.Select(a => a.Contains(' ') ? $"\"{a}\"" : a)));
}
