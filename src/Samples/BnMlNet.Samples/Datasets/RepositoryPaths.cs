namespace BnMlNet.Samples.Datasets;

/// <summary>
/// Locates the repository root, its shipped <c>data/</c> folder and the shared datasets folder
/// (<c>../shared/datasets</c> beside the repository root, or the folder named by <see cref="SharedDirEnvVar"/>).
/// </summary>
public static class RepositoryPaths
{
    /// <summary>Marker file that identifies the repository root.</summary>
    public const string SolutionFileName = "BnMlNet.sln";

    /// <summary>
    /// Environment variable that overrides the shared datasets folder. It may name either the
    /// folder that holds <c>adult.txt</c> etc. directly or a <c>shared</c> folder that has a <c>datasets</c> child.
    /// </summary>
    public const string SharedDirEnvVar = "BNMLNET_SHARED_DIR";

    /// <summary>Environment variable naming the repository root explicitly (checked first).</summary>
    public const string RepoRootEnvVar = "BNMLNET_REPO_ROOT";

    /// <summary>
    /// Finds the repository root: the first folder holding <see cref="SolutionFileName"/> walking up from
    /// <paramref name="startDirectory"/> when given; otherwise tries, in order, <see cref="RepoRootEnvVar"/>,
    /// <see cref="AppContext.BaseDirectory"/>, the current directory, and the folder this file was compiled from
    /// (so builds with <c>--artifacts-path</c> outside the tree still find it).
    /// </summary>
    /// <returns>The repository root, or <c>null</c> when none of the candidates lies inside one.</returns>
    public static string? FindRepositoryRoot(string? startDirectory = null)
    {
        if (startDirectory is not null)
            return WalkUp(startDirectory);
        var fromEnv = Environment.GetEnvironmentVariable(RepoRootEnvVar);
        if (!string.IsNullOrWhiteSpace(fromEnv) && WalkUp(fromEnv) is { } envRoot)
            return envRoot;
        return WalkUp(AppContext.BaseDirectory)
            ?? WalkUp(Environment.CurrentDirectory)
            ?? WalkUp(Path.GetDirectoryName(CompiledFrom()) ?? "");
    }

    private static string? WalkUp(string start)
    {
        if (string.IsNullOrEmpty(start)) return null;
        var dir = new DirectoryInfo(Path.GetFullPath(start));
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
                return dir.FullName;
            dir = dir.Parent;
        }
        return null;
    }

    private static string CompiledFrom([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    /// <summary>The repository root; throws <see cref="DirectoryNotFoundException"/> when it cannot be found.</summary>
    public static string RepositoryRoot =>
        FindRepositoryRoot() ?? throw new DirectoryNotFoundException(
            $"No folder holding {SolutionFileName} above {AppContext.BaseDirectory} or the current directory; set {RepoRootEnvVar}.");

    /// <summary>The repository's <c>data/</c> folder, or <c>null</c> when the repository root or the folder is missing.</summary>
    public static string? DataDirectory
    {
        get
        {
            var root = FindRepositoryRoot();
            if (root is null) return null;
            var dir = Path.Combine(root, "data");
            return Directory.Exists(dir) ? dir : null;
        }
    }

    /// <summary>
    /// The shared datasets folder: <see cref="SharedDirEnvVar"/> when set, else <c>&lt;root&gt;/../shared/datasets</c>.
    /// Returns <c>null</c> when that folder does not exist.
    /// </summary>
    public static string? SharedDatasetsDirectory
    {
        get
        {
            var dir = ExpectedSharedDatasetsDirectory;
            return dir is not null && Directory.Exists(dir) ? dir : null;
        }
    }

    /// <summary>
    /// Where the shared datasets folder is expected (whether or not it exists), for messages;
    /// <c>null</c> when neither the env var nor the repository root is available.
    /// </summary>
    public static string? ExpectedSharedDatasetsDirectory
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable(SharedDirEnvVar);
            if (!string.IsNullOrWhiteSpace(fromEnv))
            {
                var full = Path.GetFullPath(fromEnv);
                var child = Path.Combine(full, "datasets");
                return Directory.Exists(child) ? child : full;
            }
            var root = FindRepositoryRoot();
            return root is null ? null : Path.GetFullPath(Path.Combine(root, "..", "shared", "datasets"));
        }
    }

    /// <summary>Path of <paramref name="relativePath"/> under <c>data/</c> when that file exists, else <c>null</c>.</summary>
    public static string? DataFile(string relativePath) => ExistingFile(DataDirectory, relativePath);

    /// <summary>Path of <paramref name="fileName"/> in the shared datasets folder when it exists, else <c>null</c>.</summary>
    public static string? SharedDatasetFile(string fileName) => ExistingFile(SharedDatasetsDirectory, fileName);

    /// <summary>Where a shared dataset file is expected, for messages (may not exist).</summary>
    public static string DescribeSharedDatasetFile(string fileName) =>
        ExpectedSharedDatasetsDirectory is { } dir
            ? Path.Combine(dir, fileName)
            : $"../shared/datasets/{fileName} (repository root not found; set {SharedDirEnvVar})";

    private static string? ExistingFile(string? dir, string relative)
    {
        if (dir is null) return null;
        var path = Path.Combine(dir, relative);
        return File.Exists(path) ? path : null;
    }
}
