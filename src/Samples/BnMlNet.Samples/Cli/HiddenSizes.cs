namespace BnMlNet.Samples.Cli;

/// <summary>Parses <c>--hidden 128,64</c>.</summary>
public static class HiddenSizes
{
    /// <summary>The widths in <paramref name="text"/>, comma-separated positive integers.</summary>
    /// <exception cref="UserInputException">Not a list of positive integers.</exception>
    public static int[] Parse(string? text)
    {
        var parts = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], out sizes[i]) || sizes[i] < 1)
                throw new UserInputException($"--hidden must be comma-separated positive integers, e.g. 128,64; got '{text}'.");
        }
        return sizes;
    }
}
