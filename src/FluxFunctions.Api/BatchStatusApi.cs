using FluxFunctions.Core.Storage;
using FluxFunctions.Errors;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace FluxFunctions.Api;

/// <summary>
/// <c>GET /api/batches/{tool}/{path}</c>: a batch of blob drops at a glance — how many images are under
/// <c>{tool}/{path}/</c> in the input container and how many of them completed, failed (by error code) or are still in
/// progress (by stage), with the newest failures. Computed by <see cref="BatchStatusReader"/> from blob listings, never
/// from a count kept in memory.
/// </summary>
public sealed class BatchStatusApi(ApiGuard guard, BatchStatusReader reader)
{
    /// <summary><c>GET /api/batches/{tool}/{path}</c>; <paramref name="path"/> may be empty (the whole tool folder).</summary>
    public Task<IResult> GetAsync(HttpRequest request, string tool, string? path, DurableTaskClient client, CancellationToken cancellationToken) =>
        guard.RunAsync(request, async () =>
        {
            ArgumentNullException.ThrowIfNull(client);
            var prefix = Prefix(tool, path);
            var status = await reader.ReadAsync(prefix, client, cancellationToken).ConfigureAwait(false);
            return ApiResults.Json(status);
        });

    /// <summary>
    /// The input prefix a route names: <c>{tool}/</c> or <c>{tool}/{path}/</c> (a path is a folder; a trailing slash is
    /// optional). Throws a 400 error naming <c>tool</c> or <c>path</c> for an unknown tool or a path that is no folder
    /// name (<c>..</c>, <c>.</c>, empty segments, backslashes, control characters).
    /// </summary>
    public static string Prefix(string? tool, string? path)
    {
        var errors = new List<FluxError>();
        if (string.IsNullOrEmpty(tool) || !FluxTools.TryParse(tool, out var parsed) || !string.Equals(tool, parsed.Name(), StringComparison.Ordinal))
        {
            errors.Add(new FluxError(ErrorCodes.UnknownTool, $"'{BlobNames.Printable(tool ?? "")}' is not a tool folder; batches live under one of: {ToolCatalog.Known}.", "tool"));
        }

        var folder = (path ?? "").EndsWith('/') ? path![..^1] : path ?? "";
        if (folder.Length > 0 && BlobNames.Check(folder, "path") is { } pathError)
        {
            errors.Add(pathError with { Parameter = "path" });
        }

        if (errors.Count > 0)
        {
            throw new PermanentFluxException(errors);
        }

        return folder.Length == 0 ? $"{tool}/" : $"{tool}/{folder}/";
    }
}
