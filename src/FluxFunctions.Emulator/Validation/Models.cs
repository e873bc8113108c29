namespace FluxFunctions.Emulator.Validation;

/// <summary>What a model does in the emulator.</summary>
internal enum ModelKind
{
    /// <summary>A FLUX base model: text-to-image, image-to-image, inpainting, and the carrier of the Redux adapter.</summary>
    Base,

    /// <summary>FLUX.1 Fill: inpainting and outpainting.</summary>
    Fill,

    /// <summary>FLUX.1 Canny: the edge map in <c>seedImage</c>.</summary>
    Canny,

    /// <summary>FLUX.1 Depth: the depth map in <c>seedImage</c>.</summary>
    Depth,
}

/// <summary>The Runware model identifiers the emulator knows (FLUX Tools, SPEC §1).</summary>
internal static class Models
{
    public const string Schnell = "runware:100@1";
    public const string Dev = "runware:101@1";
    public const string Fill = "runware:102@1";
    public const string Depth = "runware:103@1";
    public const string Canny = "runware:104@1";
    public const string Redux = "runware:105@1";

    /// <summary>The models valid in the <c>model</c> field.</summary>
    public static IReadOnlyList<string> InferenceModels { get; } = [Dev, Schnell, Fill, Depth, Canny];

    /// <summary>The kind of a model valid in <c>model</c>.</summary>
    public static bool TryGetKind(string model, out ModelKind kind)
    {
        (var known, kind) = model switch
        {
            Dev or Schnell => (true, ModelKind.Base),
            Fill => (true, ModelKind.Fill),
            Depth => (true, ModelKind.Depth),
            Canny => (true, ModelKind.Canny),
            _ => (false, ModelKind.Base),
        };
        return known;
    }

    /// <summary>A readable name for messages.</summary>
    public static string Describe(ModelKind kind) => kind switch
    {
        ModelKind.Fill => $"FLUX.1 Fill ({Fill})",
        ModelKind.Canny => $"FLUX.1 Canny ({Canny})",
        ModelKind.Depth => $"FLUX.1 Depth ({Depth})",
        _ => "the FLUX base model",
    };
}
