using BnMlNet.Samples.Cli;

namespace BnMlNet.Samples.Csv;

/// <summary>
/// Writes files so that nothing the user has is lost: an existing file is never replaced without
/// <c>force</c>, and every file is written to a temporary file in the same folder, then renamed over the target
/// (so a crash or a failure midway leaves the old file, or no file, never a half-written one).
/// </summary>
public static class SafeFileWriter
{
    /// <summary>Throws when <paramref name="path"/> exists and <paramref name="force"/> is false.</summary>
    /// <exception cref="UserInputException">The file exists and overwriting was not allowed.</exception>
    public static void EnsureWritable(string path, bool force)
    {
        if (Directory.Exists(path))
            throw new UserInputException($"{path} is a folder; give a file name.");
        if (File.Exists(path) && !force)
            throw new UserInputException($"{path} already exists; use --force to overwrite it.");
    }

    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="write"/>, which gets a temporary path in the same folder
    /// (ending with the target's extension), then moves it into place.
    /// </summary>
    /// <exception cref="UserInputException">The file exists and <paramref name="force"/> is false.</exception>
    public static void Write(string path, bool force, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        EnsureWritable(full, force);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir, $".{Path.GetFileNameWithoutExtension(full)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(full)}");
        try
        {
            write(temp);
            try
            {
                File.Move(temp, full, overwrite: force);
            }
            catch (IOException) when (!force && File.Exists(full))
            {
                throw new UserInputException($"{path} already exists; use --force to overwrite it.");
            }
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes text (UTF-8) safely; see <see cref="Write(string, bool, Action{string})"/>.</summary>
    public static void WriteText(string path, string text, bool force) =>
        Write(path, force, temp => File.WriteAllText(temp, text));

    /// <summary>Writes bytes safely; see <see cref="Write(string, bool, Action{string})"/>.</summary>
    public static void WriteBytes(string path, byte[] bytes, bool force) =>
        Write(path, force, temp => File.WriteAllBytes(temp, bytes));
}
