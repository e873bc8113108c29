namespace FluxFunctions.Core.Storage;

/// <summary>Where a job's results, manifest, failure record and working files go (SPEC §2).</summary>
public static class OutputLayout
{
    /// <summary><c>{tool}/{path}/{name}/{jobId}/</c> in the output container.</summary>
    public static string OutputPrefix(string baseName, string jobId) => $"{baseName}/{jobId}/";

    /// <summary>Result image <paramref name="index"/>: <c>{prefix}{index}.{ext}</c>.</summary>
    public static string OutputImage(string outputPrefix, int index, string extension) => $"{outputPrefix}{index}.{extension}";

    /// <summary>The manifest, written last: <c>{prefix}manifest.json</c>.</summary>
    public static string Manifest(string outputPrefix) => outputPrefix + "manifest.json";

    /// <summary><c>{tool}/{path}/{name}/{jobId}.json</c> in the failed container.</summary>
    public static string FailureRecord(string baseName, string jobId) => $"{baseName}/{jobId}.json";

    /// <summary>
    /// The inverse of <see cref="Manifest"/>: the job id of <c>{base}/{jobId}/manifest.json</c>; false for any other name.
    /// </summary>
    public static bool TryParseManifest(string blobName, out string jobId)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        const string File = "/manifest.json";
        jobId = "";
        return blobName.EndsWith(File, StringComparison.Ordinal) && TryJobIdBefore(blobName, blobName.Length - File.Length, out jobId);
    }

    /// <summary>The inverse of <see cref="FailureRecord"/>: the job id of <c>{base}/{jobId}.json</c>; false for any other name.</summary>
    public static bool TryParseFailureRecord(string blobName, out string jobId)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        const string Extension = ".json";
        jobId = "";
        return blobName.EndsWith(Extension, StringComparison.Ordinal) && TryJobIdBefore(blobName, blobName.Length - Extension.Length, out jobId);
    }

    /// <summary>A well-formed job id that ends at <paramref name="end"/> and follows a <c>/</c> with a non-empty base before it.</summary>
    private static bool TryJobIdBefore(string blobName, int end, out string jobId)
    {
        var start = end - JobIds.Length;
        jobId = "";
        if (start < 2 || blobName[start - 1] != '/')
        {
            return false;
        }

        var candidate = blobName[start..end];
        if (!JobIds.IsWellFormed(candidate))
        {
            return false;
        }

        jobId = candidate;
        return true;
    }

    /// <summary>Working files of a job in the work container: <c>jobs/{jobId}/{file}</c>.</summary>
    public static string Work(string jobId, string file) => $"jobs/{jobId}/{file}";

    /// <summary>The base name used for HTTP jobs: <c>{tool}/api/{name}</c>.</summary>
    public static string ApiBaseName(string tool, string name) => $"{tool}/api/{name}";
}
