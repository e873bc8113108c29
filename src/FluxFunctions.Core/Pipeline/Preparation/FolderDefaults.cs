using System.Text.Json;
using System.Text.Json.Nodes;
using FluxFunctions.Core.Storage;
using FluxFunctions.Errors;
using FluxFunctions.Requests;

namespace FluxFunctions.Core.Pipeline;

/// <summary>One options document of a blob job, pinned to the version read: a folder's defaults or the image's own options.</summary>
public sealed record OptionLayer(BlobRef Blob, JsonObject Options);

/// <summary>
/// Folder defaults of blob jobs: a <c>_defaults.json</c> in the tool folder or in any folder below it holds options (the
/// same fields as an options file) for every image at or below that folder. The layers apply from the tool folder down,
/// then the image's own <c>{name}.json</c> (<see cref="OptionsMerge"/>: field by field, <c>null</c> removes a default).
/// A defaults file never starts a job. Read by <see cref="CompanionReader"/>, the one reader of options for both hosts.
/// </summary>
public sealed class FolderDefaults(FluxStorage storage)
{
    /// <summary>The name of a defaults file in a folder.</summary>
    public const string FileName = "_defaults.json";

    /// <summary>Whether a blob name is a folder's defaults file.</summary>
    public static bool IsDefaults(string blobName) =>
        blobName is not null && (blobName == FileName || blobName.EndsWith("/" + FileName, StringComparison.Ordinal));

    /// <summary>
    /// The defaults files that would govern the image whose shared name is <paramref name="baseName"/>
    /// (<c>{tool}/{path}/{stem}</c>), from the tool folder down: <c>{tool}/_defaults.json</c>, <c>{tool}/a/_defaults.json</c>, ….
    /// </summary>
    public static IReadOnlyList<string> Candidates(string baseName)
    {
        ArgumentNullException.ThrowIfNull(baseName);
        var segments = baseName.Split('/');
        var names = new List<string>(Math.Max(0, segments.Length - 1));
        for (var depth = 1; depth < segments.Length; depth++)
        {
            names.Add(string.Join('/', segments, 0, depth) + "/" + FileName);
        }

        return names;
    }

    /// <summary>The defaults files that exist for <paramref name="baseName"/>, shallowest first; or the first one that is unusable.</summary>
    public async Task<(IReadOnlyList<OptionLayer> Layers, FluxError? Error)> ReadAsync(string container, string baseName, CancellationToken cancellationToken)
    {
        var layers = new List<OptionLayer>();
        foreach (var name in Candidates(baseName))
        {
            var etag = await storage.GetETagAsync(new BlobRef(container, name), cancellationToken).ConfigureAwait(false);
            if (etag is null)
            {
                continue;
            }

            var (layer, error) = await ReadLayerAsync(new BlobRef(container, name, etag), cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                return ([], error);
            }

            layers.Add(layer!);
        }

        return (layers, null);
    }

    /// <summary>One options document as a JSON object; an error names the file (too large, not JSON, not an object, unknown or mistyped fields).</summary>
    public async Task<(OptionLayer? Layer, FluxError? Error)> ReadLayerAsync(BlobRef blob, CancellationToken cancellationToken)
    {
        var (content, readError) = await ReadFileAsync(blob, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            return (null, readError);
        }

        // The options parser's own checks first, so a defaults file gets the same messages as an options file.
        var file = BlobNames.Printable(blob.Name);
        var parsed = EditOptionsParser.Parse(content.Data, allowImages: false);
        if (parsed.Errors.Count > 0)
        {
            return (null, CompanionReader.Summarise(file, [.. parsed.Errors]));
        }

        JsonObject options;
        try
        {
            options = JsonNode.Parse(content.Data.Span, OptionsMerge.NodeOptions, EditOptionsParser.DocumentOptions) as JsonObject
                ?? throw new JsonException("not an object");
        }
        catch (JsonException ex)
        {
            return (null, new FluxError(ErrorCodes.InvalidJson, $"{file}: the options are not a JSON object ({ex.Message})."));
        }

        return (new OptionLayer(blob with { ETag = content.ETag }, options), null);
    }

    /// <summary>
    /// The bytes of an options document (an image's <c>{name}.json</c> or a <c>_defaults.json</c>), at most
    /// <see cref="EditOptionsParser.MaxJsonBytes"/>; a larger file is an <see cref="ErrorCodes.InvalidOptionsFile"/> naming it.
    /// </summary>
    public async Task<(BlobContent? Content, FluxError? Error)> ReadFileAsync(BlobRef blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        try
        {
            return (await storage.ReadAsync(blob, EditOptionsParser.MaxJsonBytes, cancellationToken).ConfigureAwait(false), null);
        }
        catch (PermanentFluxException ex) when (ex.First.Code == ErrorCodes.PayloadTooLarge)
        {
            return (null, new FluxError(ErrorCodes.InvalidOptionsFile, $"{BlobNames.Printable(blob.Name)}: {ex.First.Message}"));
        }
    }
}
