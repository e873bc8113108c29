namespace FluxFunctions.Cli.Commands;

/// <summary>
/// An image given on the command line: a local file (uploaded as a multipart part), or a reference the API reads itself
/// (an https URL, a data URI, <c>blob:{container}/{name}</c>), sent in the JSON options.
/// </summary>
internal static class ImageArgument
{
    /// <summary>Whether <paramref name="value"/> is a reference rather than a path.</summary>
    public static bool IsReference(string value) =>
        value.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("data:", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("blob:", StringComparison.OrdinalIgnoreCase);

    /// <summary>The full path of a local file that must exist.</summary>
    /// <exception cref="CliUsageException">It does not exist.</exception>
    public static string ExistingFile(string value, string what)
    {
        var path = Path.GetFullPath(value);
        if (!File.Exists(path))
        {
            throw new CliUsageException(Directory.Exists(path)
                ? $"The {what} {value} is a folder, not a file (for a folder of images use `flux batch`)."
                : $"The {what} file {value} does not exist.");
        }

        return path;
    }
}
