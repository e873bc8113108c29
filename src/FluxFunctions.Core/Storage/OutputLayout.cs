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

    /// <summary>Working files of a job in the work container: <c>jobs/{jobId}/{file}</c>.</summary>
    public static string Work(string jobId, string file) => $"jobs/{jobId}/{file}";

    /// <summary>The base name used for HTTP jobs: <c>{tool}/api/{name}</c>.</summary>
    public static string ApiBaseName(string tool, string name) => $"{tool}/api/{name}";
}
