using BnMlNet.Samples.Cli;

namespace BnMlNet.Samples.Csv;

/// <summary>The three kinds of task the CSV commands train.</summary>
public enum MlTask
{
    /// <summary>Two classes; the label is 0/1 or true/false.</summary>
    Binary,
    /// <summary>Two or more classes; the label is any text or number, mapped to a key.</summary>
    Multiclass,
    /// <summary>A numeric label.</summary>
    Regression,
}

/// <summary>Parsing of <see cref="MlTask"/> from the command line.</summary>
public static class MlTaskParser
{
    /// <summary>Parses binary, multiclass or regression (case-insensitive).</summary>
    /// <exception cref="UserInputException">Anything else.</exception>
    public static MlTask Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "binary" => MlTask.Binary,
        "multiclass" => MlTask.Multiclass,
        "regression" => MlTask.Regression,
        null or "" => throw new UserInputException("--task is required: binary, multiclass or regression."),
        _ => throw new UserInputException($"Unknown task '{text}': use binary, multiclass or regression."),
    };
}
