using FluxFunctions.ImageRules;
using FluxFunctions.Requests;

namespace FluxFunctions.Requests.Tools;

/// <summary>
/// The tools FluxFunctions offers, each a <see cref="ToolDescription"/>; everything that depends on the tool reads
/// these. The rules and their sources are listed in the README's Tools section.
/// </summary>
public static class ToolCatalog
{
    /// <summary>
    /// FLUX.1 Fill: inpainting and outpainting (SPEC §1). With a reference image the task is ACE++ on the same model:
    /// the reference in root <c>referenceImages</c> (max 1) and the image and mask in <c>acePlusPlus</c> (README, Tools).
    /// </summary>
    public static ToolDescription Fill { get; } = new()
    {
        Key = FluxTool.Fill,
        Name = "fill",
        Title = "Fill",
        Summary = "Inpaint (paint a mask: white = regenerate) or outpaint with FLUX.1 Fill.",
        Label = "inpaint / outpaint",
        DefaultModel = FluxModels.Fill,
        Mask = MaskUse.RequiredUnlessOutpaint,
        Preparation = ImagePreparation.Masked,
        CropToContext = true,
        Stitches = true,
        Takes = Set(ToolFields.Mask, ToolFields.Outpaint, ToolFields.MaskGrow, ToolFields.MaskFeather, ToolFields.Stitch, ToolFields.Context, ToolFields.ColorMatch, ToolFields.Regions, ToolFields.Reference),
        Refuses = Reasons(
            ("maskMargin", "FLUX Fill does not support 'maskMargin' (zoomed inpainting); the pipeline crops to the mask itself, see 'context'."),
            ("strength", "FLUX Fill does not take 'strength': it always regenerates the whole masked area.")),
        MaxReferences = 1,
        ReferenceRule = "ACE++ on FLUX.1 Fill takes exactly 1 reference image (old-docs api-reference, referenceImages: Ace++ max 1)",
        Images = new RootSeedOrAcePlusPlus(),
    };

    /// <summary>FLUX.1 Canny: structure from an edge map, the guide as the seed image of the dedicated model (SPEC §1).</summary>
    public static ToolDescription Canny { get; } = Guided(FluxTool.Canny, "canny", "Canny", FluxModels.Canny, GuideKind.Canny, PreprocessMode.Local,
        "keep the edges", "Keep the structure of the image's edges (Canny) with FLUX.1 Canny.");

    /// <summary>FLUX.1 Depth: structure from a depth map, the guide as the seed image of the dedicated model (SPEC §1).</summary>
    public static ToolDescription Depth { get; } = Guided(FluxTool.Depth, "depth", "Depth", FluxModels.Depth, GuideKind.Depth, PreprocessMode.Runware,
        "keep the depth", "Keep the image's depth layout with FLUX.1 Depth.");

    /// <summary>FLUX.1 Redux: variations, the adapter on a FLUX base model (SPEC §1).</summary>
    public static ToolDescription Redux { get; } = new()
    {
        Key = FluxTool.Redux,
        Name = "redux",
        Title = "Redux",
        Summary = "Variations of the image with FLUX.1 Redux (the prompt is optional).",
        Label = "variations",
        DefaultModel = EditDefaults.ReduxBaseModel,
        ModelIsBase = true,
        Prompt = PromptUse.Optional,
        Preparation = ImagePreparation.Reference,
        Takes = Set(ToolFields.BaseModel),
        Refuses = Reasons(("weight", "FLUX Redux does not take 'weight' on its adapter.")),
        Images = new AdapterImages(FluxModels.Redux),
    };

    /// <summary>
    /// FLUX Erase: removes what the mask covers and fills it from the surroundings, no prompt
    /// (runware.ai/docs/models/bfl-flux-erase; README, Tools). The model takes the whole image and has no size
    /// parameters, so there is no crop-to-context (a crop would be a smaller whole image to it, at a megapixel price
    /// per task) and no outpainting; the result is stitched back and colour-matched like Fill's.
    /// </summary>
    public static ToolDescription Erase { get; } = new()
    {
        Key = FluxTool.Erase,
        Name = "erase",
        Title = "Erase",
        Summary = "Remove what the mask covers (white = remove) with FLUX Erase; no prompt.",
        Label = "remove objects",
        DefaultModel = FluxModels.Erase,
        Mask = MaskUse.Required,
        MaskMeaning = "white = remove",
        Prompt = PromptUse.Forbidden,
        Preparation = ImagePreparation.Masked,
        Stitches = true,
        SendsSize = false,
        Takes = Set(ToolFields.Mask, ToolFields.MaskGrow, ToolFields.MaskFeather, ToolFields.Stitch, ToolFields.ColorMatch),
        Refuses = Reasons(
            (ToolFields.Width, "FLUX Erase takes no 'width': the result has the input's size (Runware resizes inputs over 4 MP)."),
            (ToolFields.Height, "FLUX Erase takes no 'height': the result has the input's size (Runware resizes inputs over 4 MP)."),
            (ToolFields.Steps, "FLUX Erase takes no 'steps'."),
            (ToolFields.CfgScale, "FLUX Erase takes no 'cfgScale'."),
            (ToolFields.Seed, "FLUX Erase takes no 'seed' (the model's schema has none)."),
            ("strength", "FLUX Erase does not take 'strength': it removes the whole masked area."),
            ("maskMargin", "FLUX Erase does not take 'maskMargin': it works on the whole image.")),
        Images = new InputsImages(),
    };

    /// <summary>
    /// FLUX.1 Kontext: instruction edits ("make the sky stormy"), image and prompt, no mask. The image is sent as the
    /// reference image in <c>inputs.referenceImages</c> (placement <i>assumed</i> from the current model pages). dev
    /// (default) takes steps and CFG and any of 17 sizes, pro and max neither steps nor CFG and 9 sizes; without a
    /// requested size the pair nearest the input's aspect ratio is sent (runware-facts §10; README, Tools).
    /// </summary>
    public static ToolDescription Kontext { get; } = new()
    {
        Key = FluxTool.Kontext,
        Name = "kontext",
        Title = "Kontext",
        Summary = "Edit the image by instruction (\"make the sky stormy\") with FLUX.1 Kontext: model dev (default), pro or max.",
        Label = "edit by instruction",
        DefaultModel = FluxModels.KontextDev,
        ModelChoices =
        [
            new(FluxModels.KontextDev, "dev") { SizePairs = KontextDevSizes },
            new(FluxModels.KontextPro, "pro") { SizePairs = KontextBflSizes, Refuses = BflRefuses(FluxModels.KontextPro) },
            new(FluxModels.KontextMax, "max") { SizePairs = KontextBflSizes, Refuses = BflRefuses(FluxModels.KontextMax) },
        ],
        Preparation = ImagePreparation.Reference,
        Takes = Set(ToolFields.References),
        Refuses = Reasons(
            ("strength", "FLUX Kontext does not take 'strength': the prompt says what to change."),
            ("maskMargin", "FLUX Kontext takes no mask.")),
        MaxReferences = 1,
        ReferenceRule = "FLUX.1 Kontext takes at most 2 reference images, and the image to edit is the first, so 1 more (old-docs api-reference: \"FLUX.1 Kontext\" allows max 2 referenceImages; old-docs providers/bfl: pro and max support referenceImages with 2 images)",
        Images = new ReferenceInputs(),
    };

    /// <summary>
    /// FLUX.1 Fill [pro] (bfl:1@2): Fill's inputs (image, mask, prompt) on BFL's model. The task needs <c>inputs</c>
    /// (seedImage and maskImage) and a prompt of 2–3000 characters, and takes no width or height: the output has the
    /// input's size (task_map.py BflFlux1FillProParams; old-docs providers/bfl). Steps 15–50 (Runware's default 50) and
    /// CFGScale 1.5–100 (default 60); no negativePrompt, scheduler, strength or LoRA (the parser knows none of the last
    /// three but strength, all are refused). Crop-to-context works as for Fill: each crop is the input, so the model
    /// sizes each output as the crop that was sent; outpainting works as for Fill (the pipeline builds the extended
    /// canvas and masks the padding, no <c>outpaint</c> parameter is sent); the result is stitched back and colour-matched
    /// (README, Tools).
    /// </summary>
    public static ToolDescription FillPro { get; } = new()
    {
        Key = FluxTool.FillPro,
        Name = "fill-pro",
        Title = "Fill [pro]",
        Summary = "Inpaint (paint a mask: white = regenerate) or outpaint with FLUX.1 Fill [pro]; the output size follows the input.",
        Label = "inpaint / outpaint (pro)",
        DefaultModel = FluxModels.FillPro,
        Mask = MaskUse.RequiredUnlessOutpaint,
        Preparation = ImagePreparation.Masked,
        CropToContext = true,
        Stitches = true,
        SendsSize = false,
        Takes = Set(ToolFields.Mask, ToolFields.Outpaint, ToolFields.MaskGrow, ToolFields.MaskFeather, ToolFields.Stitch, ToolFields.Context, ToolFields.ColorMatch),
        Refuses = Reasons(
            (ToolFields.Width, $"FLUX.1 Fill [pro] ({FluxModels.FillPro}) takes no 'width': the output has the input's size (the pipeline sends about 1 MP, or each crop, and stitches back)."),
            (ToolFields.Height, $"FLUX.1 Fill [pro] ({FluxModels.FillPro}) takes no 'height': the output has the input's size (the pipeline sends about 1 MP, or each crop, and stitches back)."),
            ("maskMargin", "FLUX.1 Fill [pro] does not take 'maskMargin'; the pipeline crops to the mask itself, see 'context'."),
            ("strength", "FLUX.1 Fill [pro] does not take 'strength': it always regenerates the whole masked area.")),
        Limits = new ToolLimits(15, 50, 1.5, 100),
        Images = new InputsImages(),
    };

    /// <summary>Every tool, in the order they are listed to users.</summary>
    public static IReadOnlyList<ToolDescription> All { get; } = [Fill, FillPro, Canny, Depth, Redux, Erase, Kontext];

    /// <summary>The tool names, comma-separated, for messages.</summary>
    public static string Known { get; } = string.Join(", ", All.Select(t => t.Name));

    /// <summary>The description of <paramref name="tool"/>.</summary>
    public static ToolDescription Get(FluxTool tool) =>
        All.FirstOrDefault(t => t.Key == tool) ?? throw new ArgumentOutOfRangeException(nameof(tool), tool, "Unknown tool.");

    /// <summary>The tool named <paramref name="name"/> (case and surrounding spaces ignored).</summary>
    public static bool TryGet(string? name, out ToolDescription tool)
    {
        var key = name?.Trim();
        tool = All.FirstOrDefault(t => string.Equals(t.Name, key, StringComparison.OrdinalIgnoreCase))!;
        return tool is not null;
    }

    /// <summary>The names of the tools that take <paramref name="field"/>, alphabetically, as a list ("canny and depth", "erase, fill and fill-pro").</summary>
    public static string Taking(string field)
    {
        var names = All.Where(t => t.TakesField(field)).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        return names.Count <= 2 ? string.Join(" and ", names) : string.Join(", ", names[..^1]) + " and " + names[^1];
    }

    /// <summary>Whether <paramref name="model"/> is the model of a tool (or the Redux adapter), so not a base model.</summary>
    public static bool IsToolModel(string model) =>
        model == FluxModels.Redux || All.Any(t => !t.ModelIsBase && t.DefaultModel == model);

    private static ToolDescription Guided(FluxTool key, string name, string title, string model, GuideKind guide, PreprocessMode defaultMode, string label, string summary) => new()
    {
        Key = key,
        Name = name,
        Title = title,
        Summary = summary,
        Label = label,
        DefaultModel = model,
        Guide = guide,
        LocalGuide = guide == GuideKind.Canny,
        DefaultPreprocess = defaultMode,
        Preparation = ImagePreparation.Guide,
        Takes = Set(ToolFields.Preprocess),
        Refuses = Reasons(
            ("weight", $"FLUX {title} does not take 'weight': the guide is the seed image of a dedicated model, not a ControlNet."),
            ("controlNet", $"FLUX {title} does not take a 'controlNet' object: the guide image is sent as the seed image of {model}.")),
        Images = new RootSeedImages(),
    };

    private static IReadOnlyList<SizePair> KontextDevSizes =>
    [
        new(1568, 672), new(1504, 688), new(1456, 720), new(1392, 752), new(1328, 800), new(1248, 832), new(1184, 880), new(1104, 944), new(1024, 1024),
        new(944, 1104), new(880, 1184), new(832, 1248), new(800, 1328), new(752, 1392), new(720, 1456), new(688, 1504), new(672, 1568),
    ];

    private static IReadOnlyList<SizePair> KontextBflSizes =>
        [new(1568, 672), new(1392, 752), new(1248, 832), new(1184, 880), new(1024, 1024), new(880, 1184), new(832, 1248), new(752, 1392), new(672, 1568)];

    private static Dictionary<string, string> BflRefuses(string model) => Reasons(
        (ToolFields.Steps, $"{model} takes no 'steps' (the model's schema has none)."),
        (ToolFields.CfgScale, $"{model} takes no 'cfgScale' (the model's schema has none)."));

    private static HashSet<string> Set(params string[] fields) => new(fields, StringComparer.Ordinal);

    private static Dictionary<string, string> Reasons(params (string Field, string Reason)[] reasons) =>
        reasons.ToDictionary(r => r.Field, r => r.Reason, StringComparer.Ordinal);
}
