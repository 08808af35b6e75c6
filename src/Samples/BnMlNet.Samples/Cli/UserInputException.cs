namespace BnMlNet.Samples.Cli;

/// <summary>
/// Bad input from the user (a missing file, an unknown column, a ragged row, an existing output without --force).
/// The commands print its message as one clear error line and exit with <see cref="ExitCodes.BadInput"/>.
/// </summary>
public sealed class UserInputException(string message) : Exception(message);
