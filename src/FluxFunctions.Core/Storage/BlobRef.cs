namespace FluxFunctions.Core.Storage;

/// <summary>A blob by container and name, optionally pinned to the version (ETag) a job saw.</summary>
public sealed record BlobRef(string Container, string Name, string? ETag = null)
{
    /// <summary>The <c>blob:{container}/{name}</c> form used in the HTTP API.</summary>
    public override string ToString() => $"{Container}/{Name}";
}
