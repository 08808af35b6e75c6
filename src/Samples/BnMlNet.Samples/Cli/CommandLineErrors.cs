using System.Reflection;
using System.Text.RegularExpressions;
using Spectre.Console.Cli;

namespace BnMlNet.Samples.Cli;

/// <summary>
/// Turns Spectre.Console.Cli's strict-parsing errors into messages a new user can act on: the option quoted as it
/// was typed, dashes included (<c>--epoch</c>), and the closest option the command does take (<c>--epochs</c>).
/// </summary>
public static partial class CommandLineErrors
{
    /// <summary>
    /// The message for <paramref name="exception"/>, raised while parsing <paramref name="args"/>;
    /// <paramref name="commands"/> maps each command path (<c>train</c>, or <c>bench tabular</c> for a subcommand) to
    /// its settings type; the first one is the default command.
    /// </summary>
    public static string Describe(CommandParseException exception, IReadOnlyList<string> args,
        IReadOnlyList<(string Name, Type Settings)> commands)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(commands);
        // The command path is the leading words before the first option; the longest registered path it starts with wins.
        var words = args.TakeWhile(a => !a.StartsWith('-')).ToList();
        var match = commands
            .Select(c => (c.Name, c.Settings, Path: c.Name.Split(' ')))
            .Where(c => c.Path.Length <= words.Count && c.Path.SequenceEqual(words.Take(c.Path.Length)))
            .OrderByDescending(c => c.Path.Length)
            .FirstOrDefault();
        string? command = match.Name;
        var settings = match.Settings ?? commands[0].Settings;
        string commandName = command ?? commands[0].Name;

        var unknownOption = UnknownOption().Match(exception.Message);
        if (unknownOption.Success)
        {
            string name = unknownOption.Groups[1].Value;
            string typed = args.Where(a => a.StartsWith('-') && OptionName(a) == name).Select(AsTyped).FirstOrDefault()
                ?? (name.Length == 1 ? "-" : "--") + name;
            var valid = OptionNames(settings);
            // A branch's default command (bench) sees a valid option as unknown when a stray word follows it: the word
            // is what is wrong, and the last word after the command path is the stray one.
            string? stray = args.Skip(words.Count).LastOrDefault(a => !a.StartsWith('-'));
            if (valid.Contains(typed) && stray is not null)
                return StrayArgument(stray, commandName);
            string? closest = Closest(typed, valid);
            return $"unknown option '{typed}' for {commandName}. " +
                   (closest is null
                       ? $"Its options: {string.Join(", ", valid)}."
                       : $"Did you mean '{closest}'?") +
                   $" (see '{commandName} --help')";
        }

        var unknownCommand = UnknownCommand().Match(exception.Message);
        if (unknownCommand.Success)
        {
            string word = unknownCommand.Groups[1].Value;
            if (command is not null || args.Count == 0 || args[0] != word)
                return StrayArgument(word, commandName);
            var names = commands.Select(c => c.Name).ToList();
            string? closest = Closest(word, names);
            return $"unknown command '{word}'. " + (closest is null ? "" : $"Did you mean '{closest}'? ") +
                   $"Commands: {string.Join(", ", names)}.";
        }
        return exception.Message;
    }

    private static string StrayArgument(string word, string commandName) =>
        $"unexpected argument '{word}': {commandName} takes options only, e.g. --name value " +
        $"(a value with spaces needs quotes). (see '{commandName} --help')";

    /// <summary>Every option of <paramref name="settings"/> as typed on the command line (<c>--epochs</c>, <c>-h</c>).</summary>
    public static IReadOnlyList<string> OptionNames(Type settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.GetCustomAttribute<CommandOptionAttribute>())
            .Where(a => a is not null)
            .SelectMany(a => a!.LongNames.Select(n => "--" + n).Concat(a.ShortNames.Select(n => "-" + n)))
            .Append("--help")
            .ToList();
    }

    /// <summary>The option among <paramref name="valid"/> nearest to <paramref name="typed"/> by edit distance, or null when none is close.</summary>
    public static string? Closest(string typed, IReadOnlyList<string> valid)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(valid);
        string bare = typed.TrimStart('-');
        if (bare.Length == 0) return null;
        var best = valid
            .Select(v => (Name: v, Distance: Distance(bare, v.TrimStart('-'))))
            .OrderBy(v => v.Distance).ThenBy(v => v.Name.Length)
            .FirstOrDefault();
        // Close enough to be a typo: two edits, or a third of the letters for long names, and never all of them.
        int allowed = Math.Min(Math.Max(2, bare.Length / 3), bare.Length - 1);
        return best.Name is not null && best.Distance <= allowed ? best.Name : null;
    }

    /// <summary>Edit distance, with a cut-short name (<c>--epoc</c> for <c>--epochs</c>) counted as one edit.</summary>
    private static int Distance(string typed, string option) =>
        typed.Length >= 3 && option.StartsWith(typed, StringComparison.OrdinalIgnoreCase)
            ? Math.Min(1, EditDistance(typed, option))
            : EditDistance(typed, option);

    /// <summary>Levenshtein distance (insertions, deletions, substitutions), case-insensitive.</summary>
    public static int EditDistance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1,
                    previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>The option part of an argument as typed: <c>--epoch=3</c> → <c>--epoch</c>.</summary>
    private static string AsTyped(string arg)
    {
        int end = arg.IndexOfAny(['=', ':']);
        return end < 0 ? arg : arg[..end];
    }

    private static string OptionName(string arg) => AsTyped(arg).TrimStart('-');

    [GeneratedRegex("^Unknown option '([^']*)'")]
    private static partial Regex UnknownOption();

    [GeneratedRegex("^Unknown command '([^']*)'")]
    private static partial Regex UnknownCommand();
}
