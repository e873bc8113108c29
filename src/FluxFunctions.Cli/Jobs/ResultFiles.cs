using System.Text.Json.Nodes;
using FluxFunctions.Cli.Api;

namespace FluxFunctions.Cli.Jobs;

/// <summary>
/// Downloads a completed job's results into a folder as <c>{stem}.{tool}.{index}.{ext}</c> (<c>photo.fill.0.png</c>), the
/// stem being the input's file name (or the job id), and adds each file's path to the job's JSON (<c>outputs[i].file</c>).
/// </summary>
internal static class ResultFiles
{
    public static async Task<IReadOnlyList<string>> DownloadAsync(FluxApiClient api, JobSnapshot snapshot, string folder, string? stem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(snapshot);
        var status = snapshot.Status;
        var files = new List<string>();
        var rawOutputs = snapshot.Raw["outputs"] as JsonArray;
        foreach (var output in status.Outputs ?? [])
        {
            var name = $"{stem ?? status.Id}.{status.Tool ?? "edit"}.{output.Index}.{MediaTypes.ExtensionFor(output.Format)}";
            var path = Path.GetFullPath(Path.Combine(folder, name));
            await api.DownloadAsync(output.Url, path, cancellationToken).ConfigureAwait(false);
            files.Add(path);
            if (rawOutputs?.OfType<JsonObject>().FirstOrDefault(o => (int?)o["index"] == output.Index) is { } raw)
            {
                raw["file"] = path;
            }
        }

        return files;
    }

    /// <summary>The stem results are named after: the input file's name without its extension.</summary>
    public static string? StemOf(string? imagePathOrUrl)
    {
        if (string.IsNullOrEmpty(imagePathOrUrl))
        {
            return null;
        }

        var name = Uri.TryCreate(imagePathOrUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? Path.GetFileName(uri.AbsolutePath)
            : Path.GetFileName(imagePathOrUrl);
        var stem = Path.GetFileNameWithoutExtension(name);
        return string.IsNullOrWhiteSpace(stem) || imagePathOrUrl.StartsWith("data:", StringComparison.OrdinalIgnoreCase) ? null : stem;
    }
}
