namespace BnMlNet.Samples.Cli;

/// <summary>Process exit codes of the sample app.</summary>
public static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Success = 0;

    /// <summary>A check failed (e.g. the save/load round trip changed a prediction) or an unexpected error.</summary>
    public const int Failure = 1;

    /// <summary>Bad input: missing or malformed file, unknown column, refused overwrite, unknown option or stray argument.</summary>
    public const int BadInput = 2;
}
