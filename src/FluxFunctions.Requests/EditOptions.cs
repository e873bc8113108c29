namespace FluxFunctions.Requests;

/// <summary>
/// The fields of an edit as the user wrote them (HTTP body or a blob job's <c>{name}.json</c>), after type checks
/// and before the tool rules. Everything is optional here; <c>EditSpecValidator</c> (<c>FluxFunctions.Requests.Tools</c>) decides.
/// </summary>
public sealed record EditOptions
{
    public string? Tool { get; init; }
    public string? Prompt { get; init; }
    public string? Image { get; init; }
    public string? Mask { get; init; }

    /// <summary>HTTP only: fill's reference image (https URL, data URI, base64 or <c>blob:</c>), like <see cref="Image"/>.</summary>
    public string? Reference { get; init; }

    /// <summary>HTTP only: kontext's extra reference images, each like <see cref="Image"/>.</summary>
    public IReadOnlyList<string>? References { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public int? Steps { get; init; }
    public double? CfgScale { get; init; }
    public long? Seed { get; init; }
    public int? NumberResults { get; init; }
    public string? OutputFormat { get; init; }
    public int? OutputQuality { get; init; }
    public OutpaintOptions? Outpaint { get; init; }
    public PreprocessOptions? Preprocess { get; init; }
    public string? BaseModel { get; init; }
    public string? Model { get; init; }
    public int? MaskGrow { get; init; }
    public int? MaskFeather { get; init; }
    public bool? Stitch { get; init; }
    public ContextOptions? Context { get; init; }
    public bool? ColorMatch { get; init; }
    public string? CallbackUrl { get; init; }

    /// <summary>The events to POST to <see cref="CallbackUrl"/> (<see cref="Requests.CallbackEvents"/>); null for the terminal one only.</summary>
    public IReadOnlyList<string>? CallbackEvents { get; init; }

    /// <summary>Fill: one prompt per colour of the mask (per-region prompts); null for one prompt for the whole mask.</summary>
    public IReadOnlyList<RegionOptions>? Regions { get; init; }

    /// <summary>Content safety: what Runware checks and what a flagged result does; null for the deployment's default.</summary>
    public SafetyOptions? Safety { get; init; }

    /// <summary>Runware parameters that some tool forbids, as present in the input (e.g. <c>strength</c>).</summary>
    public IReadOnlyList<string> ForbiddenPresent { get; init; } = [];
}

/// <summary>Canvas extension for Fill, in pixels of the input image.</summary>
public sealed record OutpaintOptions(int? Top, int? Right, int? Bottom, int? Left, int? Blur);

/// <summary>Guide preprocessing for Canny and Depth.</summary>
public sealed record PreprocessOptions(string? Mode, int? LowThreshold, int? HighThreshold);

/// <summary>Crop-to-context for Fill.</summary>
public sealed record ContextOptions(string? Mode, double? Margin);

/// <summary>One region of a colour-coded Fill mask: the pixels painted <paramref name="Color"/>, regenerated with <paramref name="Prompt"/> (the job's prompt when null).</summary>
public sealed record RegionOptions(string? Color, string? Prompt);

/// <summary>Content safety as written: <c>check</c> (off, outputs, inputs-and-outputs) and <c>onFlagged</c> (fail, quarantine, record); a field left out takes the deployment's default.</summary>
public sealed record SafetyOptions(string? Check, string? OnFlagged);
