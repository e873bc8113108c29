using FluxFunctions.ImageRules;

namespace FluxFunctions.Requests;

/// <summary>
/// A validated edit: every rule of SPEC §1 holds and defaults are filled in. This is what the orchestration
/// carries; the Runware task is built from it by <c>RunwareTaskBuilder</c> (<c>FluxFunctions.Requests.Tools</c>).
/// </summary>
public sealed record EditSpec
{
    public required FluxTool Tool { get; init; }

    /// <summary>The prompt as given (may be empty for Redux, which sends <c>__BLANK__</c>).</summary>
    public string Prompt { get; init; } = "";

    /// <summary>Requested output width; null derives it from the input's aspect ratio at about 1 MP.</summary>
    public int? Width { get; init; }

    public int? Height { get; init; }

    /// <summary>Null leaves Runware's model default.</summary>
    public int? Steps { get; init; }

    /// <summary>Null leaves Runware's model default.</summary>
    public double? CfgScale { get; init; }

    /// <summary>Null lets Runware choose; the chosen seed is reported back either way.</summary>
    public long? Seed { get; init; }

    public int NumberResults { get; init; } = 1;

    public OutputFormat OutputFormat { get; init; } = OutputFormat.PNG;

    /// <summary>JPG and WEBP results: the quality Runware encodes with and the pipeline re-encodes with after stitching; null: their defaults.</summary>
    public int? OutputQuality { get; init; }

    /// <summary>Fill only: extend the canvas.</summary>
    public OutpaintSpec? Outpaint { get; init; }

    /// <summary>Canny and Depth only.</summary>
    public PreprocessSpec Preprocess { get; init; } = PreprocessSpec.Default;

    /// <summary>Redux only: the FLUX base model that carries the Redux adapter.</summary>
    public string BaseModel { get; init; } = EditDefaults.ReduxBaseModel;

    /// <summary>The model chosen among the tool's choices (kontext); null for the tool's default.</summary>
    public string? Model { get; init; }

    /// <summary>Fill only: pixels to dilate the mask by.</summary>
    public int MaskGrow { get; init; } = EditDefaults.MaskGrow;

    /// <summary>Fill only: pixels of soft edge on the mask.</summary>
    public int MaskFeather { get; init; } = EditDefaults.MaskFeather;

    /// <summary>Fill only: composite the result so pixels outside the mask are the original's.</summary>
    public bool Stitch { get; init; } = true;

    /// <summary>Fill only: crop to the masked region.</summary>
    public ContextSpec Context { get; init; } = ContextSpec.Default;

    /// <summary>Fill only: match the regenerated region's colour to its surroundings.</summary>
    public bool ColorMatch { get; init; } = true;

    /// <summary>Signed completion webhook.</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>The events to POST to <see cref="CallbackUrl"/>, in the order of <see cref="Requests.CallbackEvents.All"/>; null for the terminal one only.</summary>
    public IReadOnlyList<string>? CallbackEvents { get; init; }

    /// <summary>Whether the job POSTs <paramref name="callbackEvent"/> to its <see cref="CallbackUrl"/>.</summary>
    public bool Sends(string callbackEvent) =>
        CallbackUrl is not null && (CallbackEvents ?? Requests.CallbackEvents.TerminalOnly).Contains(callbackEvent);

    /// <summary>
    /// Fill only: the regions of a colour-coded mask, each its own crop and Runware task with its own prompt; empty for
    /// one prompt over the whole (white) mask. Crop <c>i</c> is region <c>i</c>.
    /// </summary>
    public IReadOnlyList<RegionSpec> Regions { get; init; } = [];

    /// <summary>Content safety: the job's own <c>safety</c> over the deployment's default (<c>Flux__Safety__*</c>).</summary>
    public SafetySpec Safety { get; init; } = SafetySpec.Off;

    /// <summary>The prompt of crop <paramref name="crop"/>: its region's, or the job's when the region has none (or there are no regions).</summary>
    public string PromptFor(int crop) =>
        crop >= 0 && crop < Regions.Count && Regions[crop].Prompt is { } own ? own : Prompt;

    /// <summary>This edit as the Runware task of crop <paramref name="crop"/> sees it: with that crop's prompt.</summary>
    public EditSpec ForCrop(int crop) => Regions.Count == 0 ? this : this with { Prompt = PromptFor(crop) };
}

/// <summary>One region of a colour-coded Fill mask.</summary>
/// <param name="Color">The region's colour on the mask, <c>#rrggbb</c> (lower case).</param>
/// <param name="Prompt">What to generate there; null uses the job's prompt.</param>
public sealed record RegionSpec(string Color, string? Prompt)
{
    /// <summary>Reads <c>#rrggbb</c>, <c>rrggbb</c> or <c>#rgb</c>.</summary>
    public static bool TryParseColor(string? text, out (byte R, byte G, byte B) rgb)
    {
        rgb = default;
        var hex = text?.Trim().TrimStart('#') ?? "";
        if (hex.Length == 3)
        {
            hex = string.Concat(hex.Select(c => new string(c, 2)));
        }

        if (hex.Length != 6 || !uint.TryParse(hex, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        rgb = ((byte)(value >> 16), (byte)(value >> 8), (byte)value);
        return true;
    }

    /// <summary>The colour as <c>#rrggbb</c>.</summary>
    public static string Format((byte R, byte G, byte B) rgb) =>
        $"#{rgb.R:x2}{rgb.G:x2}{rgb.B:x2}";

    /// <summary>The colour's channels (<see cref="Color"/> is always valid once validated).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public (byte R, byte G, byte B) Rgb => TryParseColor(Color, out var rgb) ? rgb : default;
}

public sealed record OutpaintSpec(int Top, int Right, int Bottom, int Left, int Blur);

public sealed record PreprocessSpec(PreprocessMode Mode, int LowThreshold, int HighThreshold)
{
    public static PreprocessSpec Default { get; } = new(PreprocessMode.Local, EditDefaults.CannyLow, EditDefaults.CannyHigh);
}

/// <param name="Mode">auto, off or always.</param>
/// <param name="Margin">Pixels when ≥ 1, a fraction of the mask box when below 1; null for the default.</param>
public sealed record ContextSpec(ContextMode Mode, double? Margin)
{
    public static ContextSpec Default { get; } = new(ContextMode.Auto, null);
}

/// <summary>Defaults and limits of the edit fields, in one place.</summary>
public static class EditDefaults
{
    public const int CannyLow = 100;
    public const int CannyHigh = 200;
    public const int MaskGrow = 0;
    public const int MaskFeather = 8;
    public const int MaxMaskGrow = 256;
    public const int MaxMaskFeather = 256;
    public const int MinSteps = 1;
    public const int MaxSteps = 100;
    public const double MinCfgScale = 0;
    public const double MaxCfgScale = 50;
    public const int MinNumberResults = 1;
    public const int MaxNumberResults = 4;

    /// <summary><c>outputQuality</c> bounds: Runware's documented 20–99 (default 95) for lossy formats.</summary>
    public const int MinOutputQuality = 20;

    public const int MaxOutputQuality = 99;
    public const int MinPromptLength = 2;
    public const int MaxPromptLength = 3000;
    public const int MaxOutpaintBlur = 32;
    public const long MinSeed = 1;
    public const long MaxSeed = long.MaxValue;

    /// <summary>Redux: the FLUX base model that carries the adapter when the request names none (FLUX.1 dev).</summary>
    public const string ReduxBaseModel = "runware:101@1";

    /// <summary>At most this many regions: one crop and Runware task each, the crop-to-context limit.</summary>
    public const int MaxRegions = CropLimits.MaxCrops;

    /// <summary>
    /// Region colours (and black, "not masked") must be at least this far apart (Euclidean RGB distance): each mask pixel
    /// goes to the nearest of them, so anti-aliased edges and JPEG noise are read as the colour they are closest to.
    /// </summary>
    public const int MinRegionColorDistance = 96;
}
