using BnMlNet.Samples.Cli;
using Spectre.Console;
using Spectre.Console.Cli;

namespace BnMlNet.Samples.Commands;

/// <summary>
/// Base of every command: runs <see cref="Run"/> and turns bad input (<see cref="UserInputException"/>, a missing
/// file) into one "error: …" line and exit code <see cref="ExitCodes.BadInput"/>.
/// </summary>
public abstract class AppCommand<TSettings>(IAnsiConsole console) : Command<TSettings> where TSettings : CommandSettings
{
    /// <summary>The console to write to.</summary>
    protected IAnsiConsole Console { get; } = console;

    /// <inheritdoc />
    public sealed override int Execute(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            return Run(settings, cancellationToken);
        }
        catch (UserInputException e)
        {
            Console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return ExitCodes.BadInput;
        }
        catch (FileNotFoundException e)
        {
            Console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return ExitCodes.BadInput;
        }
    }

    /// <summary>The command's work; returns the exit code.</summary>
    protected abstract int Run(TSettings settings, CancellationToken cancellationToken);
}
