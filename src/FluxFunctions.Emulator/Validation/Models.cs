namespace FluxFunctions.Emulator.Validation;

/// <summary>What a model does in the emulator (which renderer draws it).</summary>
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

    /// <summary>FLUX Erase: the masked area removed and filled from its surroundings.</summary>
    Erase,

    /// <summary>FLUX.1 Kontext: an instruction edit of the reference image.</summary>
    Kontext,
}

/// <summary>
/// One Runware model as the emulator checks it, as data: the parameters it refuses (with Runware-style messages), the
/// images it needs and where, whether it outpaints or carries adapters. The emulator keeps its own table, written from
/// Runware's model pages, rather than reading the pipeline's tool catalog: a stand-in that shared the pipeline's rules
/// would agree with any mistake in them.
/// </summary>
internal sealed record ModelRule
{
    public required string Model { get; init; }

    public required ModelKind Kind { get; init; }

    /// <summary>The name in messages, e.g. "FLUX.1 Fill (runware:102@1)".</summary>
    public required string Title { get; init; }

    /// <summary>Parameters the model does not support, each with the message of the error that names it, in order.</summary>
    public IReadOnlyList<(string Field, string Message)> Refuses { get; init; } = [];

    /// <summary>When set, <c>seedImage</c> is required and this says why.</summary>
    public string? SeedRequired { get; init; }

    /// <summary>When set, <c>maskImage</c> is required (unless the task outpaints) and this says why.</summary>
    public string? MaskRequired { get; init; }

    /// <summary>When set, a <c>maskImage</c> is refused and this says why.</summary>
    public string? MaskRefused { get; init; }

    /// <summary>Whether <c>outpaint</c> applies.</summary>
    public bool Outpaints { get; init; }

    /// <summary>Whether the model carries IP-Adapters (FLUX.1 Redux).</summary>
    public bool TakesAdapters { get; init; }

    /// <summary>Whether <c>positivePrompt</c> is required (true) or refused (false).</summary>
    public bool TakesPrompt { get; init; } = true;

    /// <summary>Whether <c>width</c> and <c>height</c> are required (true) or refused (false: the output has the seed image's size).</summary>
    public bool TakesSize { get; init; } = true;

    /// <summary>Whether the images go inside <c>inputs</c> (<c>inputs.seedImage</c>, <c>inputs.maskImage</c>) rather than at the root.</summary>
    public bool ImagesInInputs { get; init; }

    /// <summary>Whether the image goes in <c>inputs.referenceImages</c> (1 to <see cref="MaxReferences"/>).</summary>
    public bool ReferenceInputs { get; init; }

    /// <summary>The most reference images the model takes.</summary>
    public int MaxReferences { get; init; } = 2;

    /// <summary>When set, width and height go together and must be one of these pairs (not multiples of 64).</summary>
    public IReadOnlyList<(int Width, int Height)>? SizePairs { get; init; }

    /// <summary>With <see cref="SizePairs"/>: whether the size may be left out (1024×1024 then).</summary>
    public bool SizeOptional { get; init; }

    /// <summary>The range of <c>steps</c> the model accepts.</summary>
    public (int Min, int Max) StepRange { get; init; } = (1, 100);

    /// <summary>The range of <c>CFGScale</c> the model accepts.</summary>
    public (double Min, double Max) CfgRange { get; init; } = (0, 50);

    /// <summary>What the white of the mask means, for messages.</summary>
    public string MaskMeaning { get; init; } = "white = remove";

    /// <summary>Whether the model takes an <c>acePlusPlus</c> object with one root <c>referenceImages</c> entry (ACE++ on FLUX.1 Fill).</summary>
    public bool TakesAcePlusPlus { get; init; }

    /// <summary>The message refusing <paramref name="field"/>, or null when the model takes it.</summary>
    public string? Refusal(string field) => Refuses.FirstOrDefault(r => r.Field == field).Message;
}

/// <summary>The Runware model identifiers the emulator knows (FLUX Tools, SPEC §1), each with its <see cref="ModelRule"/>.</summary>
internal static class Models
{
    public const string Schnell = "runware:100@1";
    public const string Dev = "runware:101@1";
    public const string Fill = "runware:102@1";
    public const string Depth = "runware:103@1";
    public const string Canny = "runware:104@1";
    public const string Redux = "runware:105@1";
    public const string Erase = "bfl:flux@erase";
    public const string FillPro = "bfl:1@2";
    public const string KontextDev = "runware:106@1";
    public const string KontextPro = "bfl:3@1";
    public const string KontextMax = "bfl:4@1";

    /// <summary>Every model valid in the <c>model</c> field, with its rules.</summary>
    public static IReadOnlyList<ModelRule> Rules { get; } =
    [
        Base(Dev),
        Base(Schnell),
        new()
        {
            Model = Fill,
            Kind = ModelKind.Fill,
            Title = $"FLUX.1 Fill ({Fill})",
            Refuses =
            [
                ("strength", $"FLUX.1 Fill ({Fill}) does not support 'strength': it regenerates exactly the white area of maskImage; remove 'strength'."),
                ("maskMargin", $"FLUX.1 Fill ({Fill}) does not support 'maskMargin': it regenerates exactly the white area of maskImage; remove 'maskMargin'."),
            ],
            SeedRequired = $"FLUX.1 Fill ({Fill}) needs the image to edit in seedImage.",
            MaskRequired = $"FLUX.1 Fill ({Fill}) needs a maskImage (white = regenerate) unless it outpaints.",
            Outpaints = true,
            TakesAcePlusPlus = true,
        },
        FillProRule(),
        Guided(Depth, ModelKind.Depth, "FLUX.1 Depth", "depth map"),
        Guided(Canny, ModelKind.Canny, "FLUX.1 Canny", "canny edge map"),
        EraseRule(),
        KontextRule(KontextDev, "FLUX.1 Kontext [dev]", KontextDevPairs, sizeOptional: true, bfl: false),
        KontextRule(KontextPro, "FLUX.1 Kontext [pro]", KontextBflPairs, sizeOptional: false, bfl: true),
        KontextRule(KontextMax, "FLUX.1 Kontext [max]", KontextBflPairs, sizeOptional: false, bfl: true),
    ];

    /// <summary>The models valid in the <c>model</c> field.</summary>
    public static IReadOnlyList<string> InferenceModels { get; } = [.. Rules.Select(r => r.Model)];

    /// <summary>The rules of a model valid in <c>model</c>.</summary>
    public static bool TryGet(string model, out ModelRule rule)
    {
        rule = Rules.FirstOrDefault(r => r.Model == model)!;
        return rule is not null;
    }

    /// <summary>The kind of a model valid in <c>model</c>.</summary>
    public static bool TryGetKind(string model, out ModelKind kind)
    {
        var known = TryGet(model, out var rule);
        kind = known ? rule.Kind : ModelKind.Base;
        return known;
    }

    /// <summary>A readable name for messages.</summary>
    public static string Describe(ModelKind kind) => Rules.First(r => r.Kind == kind).Title;

    /// <summary>
    /// FLUX Erase, from runware.ai/docs/models/bfl-flux-erase and its schema: required <c>inputs</c>; optional settings,
    /// numberResults, ttl, output fields, safety; no positivePrompt, width, height, steps or CFGScale. The keys inside
    /// <c>inputs</c> are not on the page: seedImage and maskImage are assumed, like Fill's.
    /// </summary>
    private static ModelRule EraseRule()
    {
        const string title = $"FLUX Erase ({Erase})";
        static (string, string) No(string field, string why) => (field, $"{title} does not support '{field}': {why}; remove '{field}'.");
        return new()
        {
            Model = Erase,
            Kind = ModelKind.Erase,
            Title = title,
            TakesPrompt = false,
            TakesSize = false,
            ImagesInInputs = true,
            Refuses =
            [
                No("positivePrompt", "it takes no prompt, it removes the white area of inputs.maskImage"),
                No("negativePrompt", "it takes no prompt"),
                No("width", "the output has the size of inputs.seedImage"),
                No("height", "the output has the size of inputs.seedImage"),
                No("steps", "the model has no step setting"),
                No("CFGScale", "the model has no guidance setting"),
                No("scheduler", "the model has no scheduler setting"),
                No("seed", "the model's schema has no seed"),
                No("strength", "it removes the whole white area of inputs.maskImage"),
                No("maskMargin", "it works on the whole image"),
                No("controlNet", "it takes no guide"),
                No("weight", "it takes no guide"),
                No("seedImage", "the image goes in inputs.seedImage"),
                No("maskImage", "the mask goes in inputs.maskImage"),
            ],
        };
    }

    /// <summary>
    /// FLUX.1 Fill [pro], from runware-python task_map.py BflFlux1FillProParams and the old providers/bfl page
    /// (runware-facts §10): required <c>inputs</c> (seedImage and maskImage, both required) and positivePrompt (2–3000);
    /// optional seed, steps 15–50, CFGScale 1.5–100, providerSettings, numberResults, ttl, output fields, safety; no width
    /// or height (the output has the input's size), negativePrompt, scheduler, strength, LoRA or outpaint.
    /// </summary>
    private static ModelRule FillProRule()
    {
        const string title = $"FLUX.1 Fill [pro] ({FillPro})";
        static (string, string) No(string field, string why) => (field, $"{title} does not support '{field}': {why}; remove '{field}'.");
        return new()
        {
            Model = FillPro,
            Kind = ModelKind.Fill,
            Title = title,
            TakesSize = false,
            ImagesInInputs = true,
            MaskMeaning = "white = regenerate",
            StepRange = (15, 50),
            CfgRange = (1.5, 100),
            Refuses =
            [
                No("width", "the output has the size of inputs.seedImage"),
                No("height", "the output has the size of inputs.seedImage"),
                No("negativePrompt", "the model takes no negative prompt"),
                No("scheduler", "the model has no scheduler setting"),
                No("strength", "it regenerates the whole white area of inputs.maskImage"),
                No("maskMargin", "it works on the whole image"),
                No("controlNet", "it takes no guide"),
                No("weight", "it takes no guide"),
                No("seedImage", "the image goes in inputs.seedImage"),
                No("maskImage", "the mask goes in inputs.maskImage"),
                No("acePlusPlus", $"ACE++ runs on FLUX.1 Fill ({Fill}) only"),
                No("referenceImages", "the model's schema has no reference images"),
            ],
        };
    }

    /// <summary>
    /// FLUX.1 Kontext, from runware.ai/docs/models/flux-1-kontext-dev, bfl-flux-1-kontext-pro and -max and their schemas
    /// (runware-facts §10): a prompt; the image in inputs.referenceImages (at most 2); dev: width and height optional but
    /// together, 17 pairs; pro and max: width and height required, 9 pairs, no steps, CFGScale or negativePrompt.
    /// </summary>
    private static ModelRule KontextRule(string model, string name, IReadOnlyList<(int, int)> pairs, bool sizeOptional, bool bfl)
    {
        var title = $"{name} ({model})";
        (string, string) No(string field, string why) => (field, $"{title} does not support '{field}': {why}; remove '{field}'.");
        List<(string, string)> refuses =
        [
            No("seedImage", "the image goes in inputs.referenceImages"),
            No("maskImage", "it takes no mask"),
            No("strength", "the prompt says what to change"),
            No("maskMargin", "it takes no mask"),
            No("controlNet", "it takes no guide"),
            No("weight", "it takes no guide"),
        ];
        if (bfl)
        {
            refuses.Add(No("steps", "the model has no step setting"));
            refuses.Add(No("CFGScale", "the model has no guidance setting"));
            refuses.Add(No("negativePrompt", "the model takes no negative prompt"));
        }

        return new()
        {
            Model = model,
            Kind = ModelKind.Kontext,
            Title = title,
            ReferenceInputs = true,
            SizePairs = pairs,
            SizeOptional = sizeOptional,
            Refuses = refuses,
        };
    }

    private static IReadOnlyList<(int, int)> KontextDevPairs =>
    [
        (1568, 672), (1504, 688), (1456, 720), (1392, 752), (1328, 800), (1248, 832), (1184, 880), (1104, 944), (1024, 1024),
        (944, 1104), (880, 1184), (832, 1248), (800, 1328), (752, 1392), (720, 1456), (688, 1504), (672, 1568),
    ];

    private static IReadOnlyList<(int, int)> KontextBflPairs =>
        [(1568, 672), (1392, 752), (1248, 832), (1184, 880), (1024, 1024), (880, 1184), (832, 1248), (752, 1392), (672, 1568)];

    private static ModelRule Base(string model) => new() { Model = model, Kind = ModelKind.Base, Title = "the FLUX base model", TakesAdapters = true };

    private static ModelRule Guided(string model, ModelKind kind, string name, string guide)
    {
        var title = $"{name} ({model})";
        return new()
        {
            Model = model,
            Kind = kind,
            Title = title,
            Refuses =
            [
                ("controlNet", $"{title} takes the {guide} in 'seedImage'; a 'controlNet' object is not supported with it."),
                ("weight", $"{title} has no 'weight': the {guide} in 'seedImage' guides the whole generation; remove 'weight'."),
            ],
            SeedRequired = $"{title} needs the guide ({guide}) in seedImage.",
            MaskRefused = $"{title} does not inpaint; remove maskImage or use FLUX.1 Fill ({Fill}).",
        };
    }
}
