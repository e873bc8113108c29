using FluxFunctions.ImageRules;
using FluxFunctions.Requests;

namespace FluxFunctions.Requests.Tools;

/// <summary>
/// One FLUX tool as data: its name, the Runware models it runs on, the inputs it needs, the option fields it takes and
/// refuses, its limits, and how its <c>imageInference</c> task is shaped. The validator, the task builder, the image
/// preparation, the blob companions and the HTTP API read these instead of switching on the tool; adding a tool is
/// one more description in <see cref="ToolCatalog"/>.
/// </summary>
public sealed record ToolDescription
{
    /// <summary>The key carried by <see cref="EditSpec.Tool"/>.</summary>
    public required FluxTool Key { get; init; }

    /// <summary>The lower-case name used in blob folders, JSON (<c>tool</c>) and routes.</summary>
    public required string Name { get; init; }

    /// <summary>The name in messages ("FLUX {Title}").</summary>
    public required string Title { get; init; }

    /// <summary>One line for help texts and the page.</summary>
    public required string Summary { get; init; }

    /// <summary>A few words for menus ("inpaint / outpaint").</summary>
    public required string Label { get; init; }

    /// <summary>The model sent in the task's <c>model</c> field when the request names none.</summary>
    public required string DefaultModel { get; init; }

    /// <summary>
    /// True when <see cref="DefaultModel"/> is only the default of the <c>baseModel</c> option (a FLUX base model
    /// carrying an adapter, as with Redux); false when the tool always runs on its own model.
    /// </summary>
    public bool ModelIsBase { get; init; }

    /// <summary>The models a request may choose with <c>model</c> (alias or id), each with its own rules; empty: no choice.</summary>
    public IReadOnlyList<ToolModel> ModelChoices { get; init; } = [];

    /// <summary>Whether a mask is needed.</summary>
    public MaskUse Mask { get; init; } = MaskUse.None;

    /// <summary>What the white of the mask means, for messages.</summary>
    public string MaskMeaning { get; init; } = "white = regenerate";

    /// <summary>Whether the model takes a guide made from the photo.</summary>
    public GuideKind Guide { get; init; } = GuideKind.None;

    /// <summary>Whether the guide can be made here without calling Runware (Canny edges).</summary>
    public bool LocalGuide { get; init; }

    /// <summary>The <c>preprocess.mode</c> used when the options give none.</summary>
    public PreprocessMode DefaultPreprocess { get; init; } = PreprocessMode.Local;

    /// <summary>Whether the prompt is required, optional or refused.</summary>
    public PromptUse Prompt { get; init; } = PromptUse.Required;

    /// <summary>How the images are prepared.</summary>
    public required ImagePreparation Preparation { get; init; }

    /// <summary>Whether the job may be split into crops around the mask (crop-to-context) and outpainted.</summary>
    public bool CropToContext { get; init; }

    /// <summary>Whether the result is stitched back into the original (pixels outside the mask kept) and colour-matched.</summary>
    public bool Stitches { get; init; }

    /// <summary>Whether the task carries <c>width</c> and <c>height</c> (false: the model sizes the output from the input).</summary>
    public bool SendsSize { get; init; } = true;

    /// <summary>The tool-specific option fields this tool takes (see <see cref="ToolFields"/>); the others are refused.</summary>
    public IReadOnlySet<string> Takes { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Fields this tool refuses, with the reason given to the user: Runware parameters the model does not support
    /// (<see cref="EditOptionsParser.ForbiddenParameters"/>) and general fields the model has no use for.
    /// </summary>
    public IReadOnlyDictionary<string, string> Refuses { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// How many extra reference images the tool takes beyond the image itself (0: none), through the field it takes
    /// (<see cref="ToolFields.Reference"/> or <see cref="ToolFields.References"/>) or the blob companion <c>{name}.ref.png</c>.
    /// </summary>
    public int MaxReferences { get; init; }

    /// <summary>The rule behind <see cref="MaxReferences"/>, with its source, for messages.</summary>
    public string ReferenceRule { get; init; } = "";

    /// <summary>The request field that carries the reference images (<c>reference</c> or <c>references</c>); null when the tool takes none.</summary>
    public string? ReferenceField => TakesField(ToolFields.References) ? ToolFields.References : TakesField(ToolFields.Reference) ? ToolFields.Reference : null;

    /// <summary>Ranges of steps and CFG scale.</summary>
    public ToolLimits Limits { get; init; } = ToolLimits.Default;

    /// <summary>Where the images go in the task.</summary>
    public required TaskImages Images { get; init; }

    /// <summary>Whether the blob job's options file may be missing (nothing in it is required).</summary>
    public bool OptionsOptional => Prompt != PromptUse.Required;

    /// <summary>Whether a mask is used at all.</summary>
    public bool TakesMask => Mask != MaskUse.None;

    /// <summary>The mask rule, once: whether a job needs a mask, given whether it outpaints (extends the canvas).</summary>
    public bool NeedsMask(bool outpaints) => Mask == MaskUse.Required || (Mask == MaskUse.RequiredUnlessOutpaint && !outpaints);

    /// <summary>The mask rule in words, for the error of a job without one ("'mask' is required for fill (white = regenerate), unless 'outpaint' extends the canvas.").</summary>
    public string MaskRequiredMessage =>
        $"'mask' is required for {Name} ({MaskMeaning}){(Mask == MaskUse.RequiredUnlessOutpaint ? ", unless 'outpaint' extends the canvas" : "")}.";

    /// <summary>Whether <paramref name="field"/> (a <see cref="ToolFields"/> name) applies to this tool.</summary>
    public bool TakesField(string field) => Takes.Contains(field);

    /// <summary>The model of the task for <paramref name="spec"/>.</summary>
    public string ModelFor(EditSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return ModelIsBase ? spec.BaseModel : spec.Model ?? DefaultModel;
    }

    /// <summary>The chosen model's rules (the default's when the request chose none); null when the tool offers no choice.</summary>
    public ToolModel? ChoiceFor(string? model) =>
        ModelChoices.Count == 0 ? null
            : ModelChoices.FirstOrDefault(m => string.Equals(m.Id, model ?? DefaultModel, StringComparison.OrdinalIgnoreCase) || string.Equals(m.Alias, model, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Ranges of the generation settings of a tool.</summary>
public sealed record ToolLimits(int MinSteps, int MaxSteps, double MinCfgScale, double MaxCfgScale)
{
    /// <summary>Runware's generic ranges (steps 1–100, CFG 0–50).</summary>
    public static ToolLimits Default { get; } = new(EditDefaults.MinSteps, EditDefaults.MaxSteps, EditDefaults.MinCfgScale, EditDefaults.MaxCfgScale);
}

/// <summary>The names of the option fields that only some tools take, as they appear in JSON.</summary>
public static class ToolFields
{
    public const string Mask = "mask";
    public const string Outpaint = "outpaint";
    public const string MaskGrow = "maskGrow";
    public const string MaskFeather = "maskFeather";
    public const string Stitch = "stitch";
    public const string Context = "context";
    public const string ColorMatch = "colorMatch";
    public const string Regions = "regions";
    public const string Preprocess = "preprocess";
    public const string BaseModel = "baseModel";
    public const string Width = "width";
    public const string Height = "height";
    public const string Steps = "steps";
    public const string CfgScale = "cfgScale";
    public const string Seed = "seed";

    /// <summary>HTTP: one reference image (fill, ACE++).</summary>
    public const string Reference = "reference";

    /// <summary>HTTP: an array of extra reference images (kontext).</summary>
    public const string References = "references";
}
