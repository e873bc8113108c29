using System.Security.Cryptography;
using System.Text;

namespace FluxFunctions.Core.Storage;

/// <summary>
/// Job identities. A blob job's id is derived from the input blob's container, name and ETag: the same upload always
/// maps to the same job (re-delivered triggers, restarts), a new upload of the same name to a new one. The id is also
/// the orchestration instance id.
/// </summary>
public static class JobIds
{
    /// <summary>The id of the job an upload starts: <c>b</c> + 31 hex digits of SHA-256(container/name + ETag).</summary>
    public static string ForBlob(string container, string name, string etag)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(etag);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{container}/{name}\n{etag.Trim('"')}"));
        return "b" + Convert.ToHexStringLower(hash)[..31];
    }

    /// <summary>A fresh id for an HTTP job: <c>a</c> + 31 random hex digits.</summary>
    public static string ForApi() => "a" + Guid.NewGuid().ToString("N")[..31];

    /// <summary>The length of every job id.</summary>
    public const int Length = 32;

    /// <summary>Whether <paramref name="id"/> has the shape of a job id (guards route values and blob paths).</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: Length } && (id[0] is 'a' or 'b') && id.AsSpan(1).ContainsAnyExcept("0123456789abcdef") is false;
}
