using System.Diagnostics.CodeAnalysis;

namespace BnMlNet.Samples.Datasets;

/// <summary>
/// Policy for datasets that may be absent (the shared sets, the full Debian Fashion-MNIST):
/// tests skip when one is missing, unless <see cref="RequireEnvVar"/> is <c>1</c> (set by CI), where a missing
/// dataset is a failure. The test-framework part lives in the test project (<c>DatasetGuard</c>).
/// </summary>
public static class DatasetRequirement
{
    /// <summary>Environment variable that turns a missing dataset into a failure when set to <c>1</c> (or <c>true</c>).</summary>
    public const string RequireEnvVar = "BNMLNET_REQUIRE_DATASETS";

    /// <summary>True when <see cref="RequireEnvVar"/> is <c>1</c> or <c>true</c>.</summary>
    public static bool IsRequired
    {
        get
        {
            var v = Environment.GetEnvironmentVariable(RequireEnvVar)?.Trim();
            return v == "1" || string.Equals(v, "true", StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>
    /// Checks that <paramref name="path"/> names an existing file or folder.
    /// </summary>
    /// <param name="path">Path found by a loader's <c>FindDefaultPath</c> (null when not found).</param>
    /// <param name="what">What is needed, e.g. "shared dataset adult.txt (expected at ...)".</param>
    /// <param name="message">When missing, a message naming what is missing and how to fix it; else <c>null</c>.</param>
    /// <returns>True when the file or folder exists.</returns>
    public static bool TryLocate(string? path, string what, [NotNullWhen(false)] out string? message)
    {
        if (path is not null && (File.Exists(path) || Directory.Exists(path)))
        {
            message = null;
            return true;
        }
        message = MissingMessage(what, path);
        return false;
    }

    /// <summary>Returns <paramref name="path"/> when it exists, else throws <see cref="FileNotFoundException"/> naming <paramref name="what"/>.</summary>
    public static string Require(string? path, string what) =>
        TryLocate(path, what, out var message) ? path! : throw new FileNotFoundException(message, path);

    /// <summary>The message used when a dataset is missing.</summary>
    public static string MissingMessage(string what, string? path) =>
        $"Missing dataset: {what}" + (path is null ? "" : $" (looked at {path})") +
        $". Set {RepositoryPaths.SharedDirEnvVar} to the shared datasets folder or install the dataset; " +
        $"with {RequireEnvVar}=1 this is a failure instead of a skip.";
}
