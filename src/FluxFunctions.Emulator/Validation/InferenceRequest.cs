using FluxFunctions.Emulator.Images;
using FluxFunctions.Emulator.Protocol;

namespace FluxFunctions.Emulator.Validation;

/// <summary>How results are returned (Runware's <c>outputType</c>).</summary>
internal enum OutputType
{
    /// <summary><c>URL</c>: an absolute URL served by the emulator.</summary>
    Url,

    /// <summary><c>base64Data</c>: the encoded bytes as base64.</summary>
    Base64Data,

    /// <summary><c>dataURI</c>: a data URI.</summary>
    DataUri,
}

/// <summary>Outpainting extension of the canvas, in pixels per side (Runware's <c>outpaint</c>).</summary>
internal sealed record Outpaint(int Top, int Right, int Bottom, int Left, int Blur);

/// <summary>A validated <c>imageInference</c> task with its images resolved.</summary>
internal sealed record InferenceRequest
{
    public required string TaskUuid { get; init; }

    public required string Model { get; init; }

    public required ModelKind Kind { get; init; }

    public required string PositivePrompt { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    public int Steps { get; init; } = 28;

    public double CfgScale { get; init; } = 3.5;

    public int NumberResults { get; init; } = 1;

    /// <summary>The seed of result 0 (given, or derived from the taskUUID); result i uses seed + i.</summary>
    public required long Seed { get; init; }

    public OutputType OutputType { get; init; } = OutputType.Url;

    public ImageFormat OutputFormat { get; init; } = ImageFormat.Jpg;

    public int OutputQuality { get; init; } = 95;

    public bool IncludeCost { get; init; }

    public bool Async { get; init; }

    public Uri? WebhookUrl { get; init; }

    public ResolvedImage? SeedImage { get; init; }

    public ResolvedImage? MaskImage { get; init; }

    /// <summary>The Redux guide (<c>ipAdapters[0].guideImage</c>).</summary>
    public ResolvedImage? GuideImage { get; init; }

    public Outpaint? Outpaint { get; init; }

    /// <summary>Image-to-image strength on a base model (0–1).</summary>
    public double? Strength { get; init; }

    /// <summary>Test trigger <c>emulator:slow=NNNN</c>: this inference takes NNNN ms.</summary>
    public int? SlowMs { get; init; }

    /// <summary>Test trigger <c>emulator:fail</c>: the inference is accepted, then fails.</summary>
    public bool Fail { get; init; }

    /// <summary>Time-to-live of URL results in seconds (Runware's <c>ttl</c>, at least 60), if given.</summary>
    public int? TtlSeconds { get; init; }

    /// <summary>Test triggers <c>emulator:forget</c> / <c>emulator:forget-once</c> (async only).</summary>
    public ForgetTrigger Forget { get; init; }

    /// <summary>Test triggers <c>emulator:no-credit</c> / <c>emulator:forbidden</c>: the account problem to answer.</summary>
    public AccountError? AccountError { get; init; }

    /// <summary>The task carries <c>safety</c> asking for a content check: results carry <c>NSFWContent</c>.</summary>
    public bool SafetyChecked { get; init; }

    /// <summary>The request without its input images (kept after rendering, so memory stays small).</summary>
    public InferenceRequest WithoutInputs() => this with { SeedImage = null, MaskImage = null, GuideImage = null };
}
