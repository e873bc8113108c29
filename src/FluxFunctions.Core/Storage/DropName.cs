using FluxFunctions.Errors;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;

namespace FluxFunctions.Core.Storage;

/// <summary>
/// The drop convention of SPEC §2 parsed from a blob name in the input container:
/// <c>{tool}/{any/path}/{name}.{png,jpg,jpeg,webp}</c> with companions <c>{name}.mask.png</c>, <c>{name}.json</c> and
/// the optional reference image <c>{name}.ref.png</c>.
/// </summary>
public sealed record DropName
{
    /// <summary>The ending of a reference companion.</summary>
    public const string ReferenceSuffix = ".ref.png";

    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".webp"];

    private DropName(string blobName, DropKind kind, string toolFolder, string path, string stem, string extension)
    {
        BlobName = blobName;
        Kind = kind;
        ToolFolder = toolFolder;
        Path = path;
        Stem = stem;
        Extension = extension;
    }

    /// <summary>The full blob name.</summary>
    public string BlobName { get; }

    public DropKind Kind { get; }

    /// <summary>The first path segment, which names the tool (may be an unknown tool).</summary>
    public string ToolFolder { get; }

    /// <summary>The folders between the tool folder and the file, without slashes at either end (may be empty).</summary>
    public string Path { get; }

    /// <summary>The file name without extension (and without <c>.mask</c> for masks).</summary>
    public string Stem { get; }

    /// <summary>The extension with its dot, lower-case (<c>.png</c>, <c>.json</c>, <c>.mask.png</c>).</summary>
    public string Extension { get; }

    /// <summary>The tool, when the folder names one.</summary>
    public FluxTool? Tool => FluxTools.TryParse(ToolFolder, out var t) && string.Equals(ToolFolder, t.Name(), StringComparison.Ordinal) ? t : null;

    /// <summary><c>{tool}/{path}/{stem}</c>: the name shared by an image and its companions.</summary>
    public string BaseName => Path.Length == 0 ? $"{ToolFolder}/{Stem}" : $"{ToolFolder}/{Path}/{Stem}";

    /// <summary>The mask companion's blob name.</summary>
    public string MaskName => BaseName + ".mask.png";

    /// <summary>The reference companion's blob name (optional; read by the tools that take a reference).</summary>
    public string ReferenceName => BaseName + ReferenceSuffix;

    /// <summary>The options companion's blob name.</summary>
    public string OptionsName => BaseName + ".json";

    /// <summary>Classifies a blob name; returns an error for names that can never be a job (e.g. with <c>..</c>).</summary>
    public static DropName Parse(string blobName) =>
        TryParse(blobName, out var drop, out var error) ? drop : throw new PermanentFluxException(error!);

    /// <summary>Classifies a blob name.</summary>
    public static bool TryParse(string blobName, out DropName drop, out FluxError? error)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        drop = null!;
        error = BlobNames.Check(blobName, "blob name");
        if (error is not null)
        {
            return false;
        }

        var segments = blobName.Split('/');
        var file = segments[^1];
        var lower = file.ToLowerInvariant();
        DropKind kind;
        string extension;
        if (lower.EndsWith(".mask.png", StringComparison.Ordinal))
        {
            kind = DropKind.Mask;
            extension = ".mask.png";
        }
        else if (lower.EndsWith(ReferenceSuffix, StringComparison.Ordinal))
        {
            kind = DropKind.Reference;
            extension = ReferenceSuffix;
        }
        else if (lower.EndsWith(".json", StringComparison.Ordinal))
        {
            kind = DropKind.Options;
            extension = ".json";
        }
        else if (ImageExtensions.FirstOrDefault(e => lower.EndsWith(e, StringComparison.Ordinal)) is { } ext)
        {
            kind = DropKind.Image;
            extension = ext;
        }
        else
        {
            kind = DropKind.Ignored;
            var dot = file.LastIndexOf('.');
            extension = dot > 0 ? lower[dot..] : "";
        }

        var stem = file[..^extension.Length];
        if (stem.Length == 0 && kind != DropKind.Ignored)
        {
            kind = DropKind.Ignored;
        }

        var toolFolder = segments.Length > 1 ? segments[0] : "";
        var path = segments.Length > 2 ? string.Join('/', segments[1..^1]) : "";
        drop = new DropName(blobName, kind, toolFolder, path, stem, extension);
        return true;
    }
}
