using Spectre.Console;

namespace BnMlNet.Samples.Cli;

/// <summary>Creates the Spectre.Console console the commands write to.</summary>
public static class ConsoleFactory
{
    /// <summary>Width used when the output is not a terminal (redirected, CI, a test's writer), so tables don't wrap.</summary>
    public const int NonInteractiveWidth = 160;

    /// <summary>
    /// The console for <paramref name="output"/>: when null, the process console (interactive only when it is a
    /// terminal); otherwise a plain, non-interactive, colourless console writing to <paramref name="output"/>.
    /// </summary>
    public static IAnsiConsole Create(TextWriter? output)
    {
        if (output is null)
        {
            bool redirected = Console.IsOutputRedirected;
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(Console.Out),
                Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
                Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
                ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            });
            if (redirected) console.Profile.Width = NonInteractiveWidth;
            return console;
        }

        var plain = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Interactive = InteractionSupport.No,
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        plain.Profile.Width = NonInteractiveWidth;
        return plain;
    }
}
