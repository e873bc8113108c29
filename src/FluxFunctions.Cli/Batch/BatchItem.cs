using System.Text.Json.Nodes;
using FluxFunctions.Cli.Api;
using FluxFunctions.Cli.Jobs;

namespace FluxFunctions.Cli.Batch;

/// <summary>
/// One image of a batch folder with its companions, named as for blob drops (SPEC §2): <c>{name}.mask.png</c> is its
/// fill mask, <c>{name}.json</c> its own options (over the batch's).
/// </summary>
internal sealed record BatchItem(string ImagePath, string? MaskPath, JsonObject? Options)
{
    /// <summary>The image's file name.</summary>
    public string Name => Path.GetFileName(ImagePath);

    /// <summary>
    /// The name results are saved under: the file name without its extension, or with it when another image of the
    /// folder has the same stem (<c>a.png</c> and <c>a.jpg</c> give <c>a.png.fill.0.png</c> and <c>a.jpg.fill.0.png</c>).
    /// </summary>
    public string Stem { get; init; } = Path.GetFileNameWithoutExtension(ImagePath);

    /// <summary>The name of the image's own options file, <c>{name}.json</c>.</summary>
    public string OptionsFileName => Path.GetFileNameWithoutExtension(ImagePath) + ".json";

    /// <summary>
    /// The images of <paramref name="folder"/> (PNG, JPEG, WebP; not recursive; masks are companions, not jobs), sorted by
    /// name, each with its mask and options file when present.
    /// </summary>
    /// <exception cref="CliUsageException">The folder does not exist, holds no image, or an options file is unreadable.</exception>
    public static IReadOnlyList<BatchItem> Find(string folder)
    {
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
        {
            throw new CliUsageException($"The folder {folder} does not exist.");
        }

        var items = new List<BatchItem>();
        foreach (var path in Directory.EnumerateFiles(root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (!MediaTypes.ImageExtensions.Contains(Path.GetExtension(name)) || IsMask(name))
            {
                continue;
            }

            var stem = Path.GetFileNameWithoutExtension(name);
            var mask = Path.Combine(root, stem + ".mask.png");
            var options = Path.Combine(root, stem + ".json");
            items.Add(new BatchItem(path, File.Exists(mask) ? mask : null, File.Exists(options) ? OptionsDocument.Read(options) : null));
        }

        var shared = items.GroupBy(i => i.Stem, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).SelectMany(g => g).ToHashSet();
        items = items.Select(i => shared.Contains(i) ? i with { Stem = i.Name } : i).ToList();
        if (items.Count == 0)
        {
            throw new CliUsageException($"The folder {folder} holds no image (.png, .jpg, .jpeg, .webp; masks named *.mask.png are not jobs).");
        }

        return items;
    }

    private static bool IsMask(string name) => Path.GetFileNameWithoutExtension(name).EndsWith(".mask", StringComparison.OrdinalIgnoreCase);
}
