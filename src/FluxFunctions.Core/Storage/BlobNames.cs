using FluxFunctions.Errors;

namespace FluxFunctions.Core.Storage;

/// <summary>Rules every blob name we read or write must follow (no traversal, no control characters).</summary>
public static class BlobNames
{
    /// <summary>Azure's limit on blob name length.</summary>
    public const int MaxLength = 1024;

    /// <summary>Returns an error describing why <paramref name="name"/> is unacceptable, or null.</summary>
    public static FluxError? Check(string name, string what)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            return new FluxError(ErrorCodes.InvalidBlobName, $"The {what} is empty.");
        }

        if (name.Length > MaxLength)
        {
            return new FluxError(ErrorCodes.InvalidBlobName, $"The {what} is {name.Length} characters; the limit is {MaxLength}.");
        }

        if (name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal))
        {
            return new FluxError(ErrorCodes.InvalidBlobName, $"The {what} '{Printable(name)}' must be a relative path with forward slashes.");
        }

        foreach (var segment in name.Split('/'))
        {
            if (segment is "." or "..")
            {
                return new FluxError(ErrorCodes.InvalidBlobName, $"The {what} '{Printable(name)}' contains a '{segment}' segment; paths may not climb out of their folder.");
            }

            if (segment.Length == 0)
            {
                return new FluxError(ErrorCodes.InvalidBlobName, $"The {what} '{Printable(name)}' contains an empty path segment ('//').");
            }
        }

        foreach (var ch in name)
        {
            if (char.IsControl(ch))
            {
                return new FluxError(ErrorCodes.InvalidBlobName, $"The {what} '{Printable(name)}' contains control characters.");
            }
        }

        return null;
    }

    /// <summary>The name with control characters escaped and long names shortened, safe to put in a message.</summary>
    public static string Printable(string name)
    {
        var sb = new System.Text.StringBuilder(Math.Min(name.Length, 200));
        foreach (var ch in name)
        {
            if (sb.Length >= 200)
            {
                sb.Append('…');
                break;
            }

            sb.Append(char.IsControl(ch) ? $"\\u{(int)ch:x4}" : ch.ToString());
        }

        return sb.ToString();
    }
}
