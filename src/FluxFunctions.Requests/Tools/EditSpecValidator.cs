using System.Text.RegularExpressions;
using FluxFunctions.Errors;
using FluxFunctions.ImageRules;
using FluxFunctions.Requests;

namespace FluxFunctions.Requests.Tools;

/// <summary>
/// The FLUX tool rules of SPEC §1 applied to what the user asked for, read from the tool's
/// <see cref="ToolDescription"/>. Every problem is reported, each naming its field; nothing out of range is clamped.
/// </summary>
public static partial class EditSpecValidator
{
    /// <summary>Validates options against the rules of their tool.</summary>
    /// <param name="options">What the user wrote.</param>
    /// <param name="toolFromPath">The tool implied by the blob folder or route, when there is one.</param>
    /// <param name="sizeRules">The allowed size range.</param>
    /// <param name="safetyDefault">The deployment's content safety default (<c>Flux__Safety__*</c>); each field the options leave out comes from it.</param>
    public static ValidationResult Validate(EditOptions options, FluxTool? toolFromPath = null, SizeRules? sizeRules = null, SafetySpec? safetyDefault = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        sizeRules ??= SizeRules.Default;
        var errors = new List<FluxError>();

        FluxTool tool;
        if (options.Tool is null)
        {
            if (toolFromPath is null)
            {
                errors.Add(new FluxError(ErrorCodes.MissingField, $"'tool' is required: one of {FluxTools.Known}.", "tool"));
                return new ValidationResult(null, errors);
            }

            tool = toolFromPath.Value;
        }
        else if (!FluxTools.TryParse(options.Tool, out tool))
        {
            errors.Add(new FluxError(ErrorCodes.UnknownTool, $"Unknown tool '{Clip(options.Tool)}': use one of {FluxTools.Known}.", "tool"));
            return new ValidationResult(null, errors);
        }
        else if (toolFromPath is { } fromPath && fromPath != tool)
        {
            errors.Add(new FluxError(ErrorCodes.InvalidValue, $"'tool' says {tool.Name()} but the job is in the {fromPath.Name()} folder; remove 'tool' or move the image.", "tool"));
        }

        var description = ToolCatalog.Get(tool);
        CheckForbidden(description, options, errors);
        var choice = CheckModel(description, options.Model, errors);
        CheckRefusedSettings(description, choice, options, errors);

        var prompt = options.Prompt ?? "";
        if (description.Prompt == PromptUse.Forbidden)
        {
            if (prompt.Length > 0)
            {
                errors.Add(new FluxError(ErrorCodes.ForbiddenParameter, $"{tool.Name()} takes no prompt: FLUX {description.Title} works from the image and the mask alone ({description.MaskMeaning}); remove 'prompt'.", "prompt"));
            }
        }
        else if (prompt.Length > EditDefaults.MaxPromptLength)
        {
            errors.Add(new FluxError(ErrorCodes.PromptTooLong, $"'prompt' is {prompt.Length} characters; Runware accepts at most {EditDefaults.MaxPromptLength}.", "prompt"));
        }
        else if (description.Prompt == PromptUse.Required && prompt.Trim().Length < EditDefaults.MinPromptLength && !EveryRegionPrompted(options.Regions))
        {
            errors.Add(new FluxError(
                prompt.Length == 0 ? ErrorCodes.MissingField : ErrorCodes.PromptTooShort,
                $"'prompt' is required for {tool.Name()}: describe the result in at least {EditDefaults.MinPromptLength} characters.",
                "prompt"));
        }
        else if (prompt.Trim().Length is > 0 and < EditDefaults.MinPromptLength)
        {
            errors.Add(new FluxError(ErrorCodes.PromptTooShort, $"'prompt' must be empty or at least {EditDefaults.MinPromptLength} characters.", "prompt"));
        }

        if (ContainsControlCharacters(prompt))
        {
            errors.Add(new FluxError(ErrorCodes.InvalidValue, "'prompt' contains control characters; remove them.", "prompt"));
        }

        if (choice?.SizePairs is { } pairs)
        {
            CheckSizePair(choice, pairs, options, errors);
        }
        else
        {
            CheckDimension(options.Width, "width", sizeRules, errors);
            CheckDimension(options.Height, "height", sizeRules, errors);
        }
        var limits = description.Limits;
        CheckRange(options.Steps, limits.MinSteps, limits.MaxSteps, "steps", errors);
        if (options.CfgScale is { } cfg && (cfg < limits.MinCfgScale || cfg > limits.MaxCfgScale))
        {
            errors.Add(new FluxError(ErrorCodes.OutOfRange, $"'cfgScale' must be between {limits.MinCfgScale} and {limits.MaxCfgScale}, got {cfg}.", "cfgScale"));
        }

        if (options.Seed is { } seed && (seed < EditDefaults.MinSeed || seed > EditDefaults.MaxSeed))
        {
            errors.Add(new FluxError(ErrorCodes.OutOfRange, $"'seed' must be between {EditDefaults.MinSeed} and {EditDefaults.MaxSeed}, got {seed}.", "seed"));
        }

        CheckRange(options.NumberResults, EditDefaults.MinNumberResults, EditDefaults.MaxNumberResults, "numberResults", errors);

        var format = OutputFormat.PNG;
        if (options.OutputFormat is { } f && !OutputFormats.TryParse(f, out format))
        {
            errors.Add(new FluxError(ErrorCodes.InvalidValue, $"'outputFormat' must be PNG, JPG or WEBP, got '{Clip(f)}'.", "outputFormat"));
        }

        CheckRange(options.OutputQuality, EditDefaults.MinOutputQuality, EditDefaults.MaxOutputQuality, "outputQuality", errors);
        if (options.OutputQuality is not null && format == OutputFormat.PNG)
        {
            errors.Add(new FluxError(ErrorCodes.InvalidValue, "'outputQuality' applies to JPG and WEBP results; PNG is lossless. Set 'outputFormat' to JPG or WEBP, or leave 'outputQuality' out.", "outputQuality"));
        }

        var outpaint = CheckOutpaint(description, options.Outpaint, sizeRules, errors);
        var preprocess = CheckPreprocess(description, options.Preprocess, errors);
        var baseModel = CheckBaseModel(description, options.BaseModel, errors);
        TakenBy(description, options.MaskGrow, ToolFields.MaskGrow, errors);
        TakenBy(description, options.MaskFeather, ToolFields.MaskFeather, errors);
        TakenBy(description, options.Stitch, ToolFields.Stitch, errors);
        TakenBy(description, options.Context, ToolFields.Context, errors);
        TakenBy(description, options.ColorMatch, ToolFields.ColorMatch, errors);
        CheckReferences(description, options, errors);
        CheckRange(options.MaskGrow, 0, EditDefaults.MaxMaskGrow, "maskGrow", errors);
        CheckRange(options.MaskFeather, 0, EditDefaults.MaxMaskFeather, "maskFeather", errors);
        var context = CheckContext(options.Context, errors);
        var regions = CheckRegions(description, options, context, errors);
        var safety = CheckSafety(options.Safety, safetyDefault ?? SafetySpec.Off, errors);

        if (options.CallbackUrl is { } cb && (!Uri.TryCreate(cb, UriKind.Absolute, out var cbUri) || (cbUri.Scheme != Uri.UriSchemeHttps && cbUri.Scheme != Uri.UriSchemeHttp)))
        {
            errors.Add(new FluxError(ErrorCodes.InvalidValue, "'callbackUrl' must be an absolute https URL.", "callbackUrl"));
        }

        var callbackEvents = CallbackEvents.Check(options.CallbackEvents, options.CallbackUrl, errors);

        if (errors.Count > 0)
        {
            return new ValidationResult(null, errors);
        }

        var spec = new EditSpec
        {
            Tool = tool,
            Prompt = prompt,
            Width = options.Width,
            Height = options.Height,
            Steps = options.Steps,
            CfgScale = options.CfgScale,
            Seed = options.Seed,
            NumberResults = options.NumberResults ?? 1,
            OutputFormat = format,
            OutputQuality = options.OutputQuality,
            Outpaint = outpaint,
            Preprocess = preprocess,
            BaseModel = baseModel,
            Model = choice?.Id,
            MaskGrow = options.MaskGrow ?? EditDefaults.MaskGrow,
            MaskFeather = options.MaskFeather ?? EditDefaults.MaskFeather,
            Stitch = options.Stitch ?? true,
            Context = context,
            ColorMatch = options.ColorMatch ?? true,
            CallbackUrl = options.CallbackUrl,
            CallbackEvents = callbackEvents,
            Regions = regions,
            Safety = safety,
        };
        return new ValidationResult(spec, errors);
    }

    /// <summary>Runware parameters present in the input: each refused with the tool's reason, or as not a parameter of it.</summary>
    private static void CheckForbidden(ToolDescription tool, EditOptions options, List<FluxError> errors)
    {
        foreach (var name in options.ForbiddenPresent)
        {
            var reason = tool.Refuses.TryGetValue(name, out var own) ? own
                : name == "ipAdapters" ? "'ipAdapters' is built by the pipeline: for redux, the input image is the guide."
                : $"'{name}' is not a parameter of {tool.Name}.";
            errors.Add(new FluxError(ErrorCodes.ForbiddenParameter, reason, name));
        }
    }

    /// <summary>General settings (size, steps, CFG, seed) the tool's model has no use for.</summary>
    private static void CheckRefusedSettings(ToolDescription tool, ToolModel? choice, EditOptions options, List<FluxError> errors)
    {
        var present = new (string Field, bool Given)[]
        {
            (ToolFields.Width, options.Width is not null),
            (ToolFields.Height, options.Height is not null),
            (ToolFields.Steps, options.Steps is not null),
            (ToolFields.CfgScale, options.CfgScale is not null),
            (ToolFields.Seed, options.Seed is not null),
        };
        foreach (var (field, given) in present)
        {
            if (given && (tool.Refuses.TryGetValue(field, out var reason) || (choice is not null && choice.Refuses.TryGetValue(field, out reason))))
            {
                errors.Add(new FluxError(ErrorCodes.ForbiddenParameter, reason, field));
            }
        }
    }

    /// <summary>The model choice of a tool that offers one; <c>model</c> on a tool without a choice is refused.</summary>
    private static ToolModel? CheckModel(ToolDescription tool, string? model, List<FluxError> errors)
    {
        if (model is not null && tool.ModelChoices.Count == 0)
        {
            var fixedTools = string.Join(", ", ToolCatalog.All.Where(t => t.ModelChoices.Count == 0).Select(t => t.Name));
            errors.Add(new FluxError(ErrorCodes.ForbiddenParameter, $"'model' is chosen by the tool ({fixedTools}); for redux set 'baseModel'.", "model"));
            return null;
        }

        var choice = tool.ChoiceFor(model);
        if (model is not null && choice is null)
        {
            var names = string.Join(", ", tool.ModelChoices.Select(m => $"{m.Alias} ({m.Id})"));
            errors.Add(new FluxError(ErrorCodes.InvalidValue, $"'model' for {tool.Name} is one of {names}, got '{Clip(model)}'.", "model"));
        }

        return choice;
    }

    /// <summary>Models with fixed sizes: width and height together, one of the model's pairs.</summary>
    private static void CheckSizePair(ToolModel model, IReadOnlyList<SizePair> pairs, EditOptions options, List<FluxError> errors)
    {
        if (options.Width is null && options.Height is null)
        {
            return;
        }

        var list = string.Join(", ", pairs);
        if (options.Width is not { } w || options.Height is not { } h)
        {
            var missing = options.Width is null ? "width" : "height";
            errors.Add(new FluxError(ErrorCodes.MissingField, $"'width' and 'height' go together for {model.Id}: give both, one of {list}, or neither (the pair nearest the input's aspect ratio is used).", missing));
            return;
        }

        if (!pairs.Contains(new SizePair(w, h)))
        {
            errors.Add(new FluxError(ErrorCodes.OutOfRange, $"{w}x{h} is not a size of {model.Id}: use one of {list}, or neither (the pair nearest the input's aspect ratio is used).", "width"));
        }
    }

    private static void CheckDimension(int? value, string field, SizeRules rules, List<FluxError> errors)
    {
        if (value is not { } v)
        {
            return;
        }

        if (v < rules.Min || v > rules.Max)
        {
            errors.Add(new FluxError(ErrorCodes.OutOfRange, $"'{field}' must be between {rules.Min} and {rules.Max}, got {v}.", field));
        }
        else if (v % rules.Step != 0)
        {
            errors.Add(new FluxError(ErrorCodes.NotMultipleOf64, $"'{field}' must be a multiple of {rules.Step}, got {v} (nearest: {NearestMultiple(v, rules)}).", field));
        }
    }

    private static int NearestMultiple(int v, SizeRules rules) =>
        Math.Clamp((int)Math.Round(v / (double)rules.Step) * rules.Step, rules.Min, rules.Max);

    private static void CheckRange(int? value, int min, int max, string field, List<FluxError> errors)
    {
        if (value is { } v && (v < min || v > max))
        {
            errors.Add(new FluxError(ErrorCodes.OutOfRange, $"'{field}' must be between {min} and {max}, got {v}.", field));
        }
    }

    private static void TakenBy<T>(ToolDescription tool, T? value, string field, List<FluxError> errors)
    {
        if (!tool.TakesField(field) && value is not null)
        {
            errors.Add(new FluxError(ErrorCodes.ForbiddenParameter, $"'{field}' applies to {ToolCatalog.Taking(field)} only, not to {tool.Name}.", field));
        }
    }

    /// <summary>
    /// <c>reference</c> (fill) and <c>references</c> (kontext): only on the tool that takes them, and no more than the
    /// model allows beside the image itself (<see cref="ToolDescription.MaxReferences"/>, with its source).
    /// </summary>
    private static void CheckReferences(ToolDescription tool, EditOptions options, List<FluxError> errors)
    {
        TakenBy(tool, options.Reference, ToolFields.Reference, errors);
        TakenBy(tool, options.References, ToolFields.References, errors);
        if (options.References is { } list && tool.TakesField(ToolFields.References))
        {
            if (list.Count == 0)
            {
                errors.Add(new FluxError(ErrorCodes.InvalidValue, "'references' is empty: give up to " + tool.MaxReferences + " reference image(s), or leave it out.", ToolFields.References));
            }
            else if (list.Count > tool.MaxReferences)
            {
                errors.Add(new FluxError(ErrorCodes.OutOfRange, $"'references' has {list.Count} images; {tool.Name} takes at most {tool.MaxReferences}: {tool.ReferenceRule}.", ToolFields.References));
            }
        }
    }

    private static OutpaintSpec? CheckOutpaint(ToolDescription tool, OutpaintOptions? o, SizeRules rules, List<FluxError> errors)
    {
        if (o is null)
        {
            return null;
        }

        if (!tool.TakesField(ToolFields.Outpaint))
        {
            errors.Add(new FluxError(ErrorCodes.ForbiddenParameter, $"'outpaint' applies to {ToolCatalog.Taking(ToolFields.Outpaint)} only, not to {tool.Name}.", "outpaint"));
            return null;
        }

        var before = errors.Count;
        var sides = new (int? Value, string Name)[] { (o.Top, "top"), (o.Right, "right"), (o.Bottom, "bottom"), (o.Left, "left") };
        foreach (var (value, name) in sides)
        {
            if (value is { } v && (v < 0 || v > rules.Max))
            {
                errors.Add(new FluxError(ErrorCodes.OutOfRange, $"'outpaint.{name}' must be between 0 and {rules.Max} pixels, got {v}.", "outpaint." + name));
            }
        }

        CheckRange(o.Blur, 0, EditDefaults.MaxOutpaintBlur, "outpaint.blur", errors);
        if (errors.Count == before && sides.All(s => (s.Value ?? 0) == 0))
        {
            errors.Add(new FluxError(ErrorCodes.InvalidValue, "'outpaint' extends nothing: give at least one of top, right, bottom, left in pixels.", "outpaint"));
        }

        return errors.Count == before ? new OutpaintSpec(o.Top ?? 0, o.Right ?? 0, o.Bottom ?? 0, o.Left ?? 0, o.Blur ?? 0) : null;
    }

    private static PreprocessSpec CheckPreprocess(ToolDescription tool, PreprocessOptions? p, List<FluxError> errors)
    {
        var defaultMode = tool.DefaultPreprocess;
        if (p is null)
        {
            return PreprocessSpec.Default with { Mode = defaultMode };
        }

        if (!tool.TakesField(ToolFields.Preprocess))
        {
            errors.Add(new FluxError(ErrorCodes.ForbiddenParameter, $"'preprocess' applies to {ToolCatalog.Taking(ToolFields.Preprocess)} only, not to {tool.Name}.", "preprocess"));
            return PreprocessSpec.Default;
        }

        var mode = defaultMode;
        if (p.Mode is { } m)
        {
            switch (m.Trim().ToLowerInvariant())
            {
                case "local": mode = PreprocessMode.Local; break;
                case "runware": mode = PreprocessMode.Runware; break;
                case "none": mode = PreprocessMode.None; break;
                default:
                    errors.Add(new FluxError(ErrorCodes.InvalidValue, $"'preprocess.mode' must be local, runware or none, got '{Clip(m)}'.", "preprocess.mode"));
                    break;
            }
        }

        if (!tool.LocalGuide && mode == PreprocessMode.Local)
        {
            errors.Add(new FluxError(ErrorCodes.InvalidValue, $"{tool.Title} has no local preprocessor: use 'runware' (Runware's {tool.Name} estimator) or 'none' (the image is a {tool.Name} map).", "preprocess.mode"));
        }

        if (tool.Guide != GuideKind.Canny && (p.LowThreshold is not null || p.HighThreshold is not null))
        {
            errors.Add(new FluxError(ErrorCodes.ForbiddenParameter, "Thresholds apply to canny only.", p.LowThreshold is not null ? "preprocess.lowThreshold" : "preprocess.highThreshold"));
        }

        CheckRange(p.LowThreshold, 0, 255, "preprocess.lowThreshold", errors);
        CheckRange(p.HighThreshold, 0, 255, "preprocess.highThreshold", errors);
        var low = p.LowThreshold ?? EditDefaults.CannyLow;
        var high = p.HighThreshold ?? EditDefaults.CannyHigh;
        if (low is >= 0 and <= 255 && high is >= 0 and <= 255 && low > high)
        {
            errors.Add(new FluxError(ErrorCodes.InvalidValue, $"'preprocess.lowThreshold' ({low}) must not exceed 'preprocess.highThreshold' ({high}).", "preprocess.lowThreshold"));
        }

        return new PreprocessSpec(mode, low, high);
    }

    private static string CheckBaseModel(ToolDescription tool, string? baseModel, List<FluxError> errors)
    {
        if (baseModel is null)
        {
            return EditDefaults.ReduxBaseModel;
        }

        if (!tool.TakesField(ToolFields.BaseModel))
        {
            errors.Add(new FluxError(ErrorCodes.ForbiddenParameter, $"'baseModel' applies to {ToolCatalog.Taking(ToolFields.BaseModel)} only; {tool.Name} always uses {tool.DefaultModel}.", "baseModel"));
            return EditDefaults.ReduxBaseModel;
        }

        if (!AirId().IsMatch(baseModel))
        {
            errors.Add(new FluxError(ErrorCodes.InvalidValue, $"'baseModel' must be a model identifier such as {EditDefaults.ReduxBaseModel}, got '{Clip(baseModel)}'.", "baseModel"));
        }
        else if (FluxModels.IsToolModel(baseModel))
        {
            errors.Add(new FluxError(ErrorCodes.InvalidValue, $"'baseModel' must be a FLUX base model such as {EditDefaults.ReduxBaseModel}, not the tool model {baseModel}.", "baseModel"));
        }

        return baseModel;
    }

    /// <summary>Whether regions are given and each has its own prompt (then the job's prompt is not needed).</summary>
    private static bool EveryRegionPrompted(IReadOnlyList<RegionOptions>? regions) =>
        regions is { Count: > 0 } && regions.All(r => !string.IsNullOrWhiteSpace(r.Prompt));

    /// <summary>
    /// Per-region prompts (Fill): 1 to <see cref="EditDefaults.MaxRegions"/> regions, each a colour of the mask (not black,
    /// distinct from the others) and an optional prompt under the rules of the job's; not with outpaint, context off or
    /// stitch off (each region is a crop put back into the original).
    /// </summary>
    private static IReadOnlyList<RegionSpec> CheckRegions(ToolDescription tool, EditOptions options, ContextSpec context, List<FluxError> errors)
    {
        if (options.Regions is not { } regions)
        {
            return [];
        }

        if (!tool.TakesField(ToolFields.Regions))
        {
            errors.Add(new FluxError(ErrorCodes.ForbiddenParameter, $"'regions' (one prompt per colour of the mask) applies to {ToolCatalog.Taking(ToolFields.Regions)} only, not to {tool.Name}.", ToolFields.Regions));
            return [];
        }

        if (regions.Count == 0)
        {
            errors.Add(new FluxError(ErrorCodes.InvalidValue, "'regions' is empty: give 1 to 4 regions ({\"color\":\"#ff0000\",\"prompt\":\"…\"}), or leave 'regions' out for one prompt over the whole mask.", ToolFields.Regions));
            return [];
        }

        if (regions.Count > EditDefaults.MaxRegions)
        {
            errors.Add(new FluxError(ErrorCodes.OutOfRange, $"'regions' has {regions.Count} regions; at most {EditDefaults.MaxRegions} (each region is its own crop and Runware task, and a job sends at most {EditDefaults.MaxRegions}).", ToolFields.Regions));
            return [];
        }

        if (options.Outpaint is not null)
        {
            errors.Add(new FluxError(ErrorCodes.ForbiddenParameter, "'regions' and 'outpaint' do not combine: outpainting sends the whole extended canvas as one task, so there is no per-region crop to give a prompt to. Outpaint first, then fill the regions of its result.", ToolFields.Regions));
        }

        if (options.Context?.Mode is not null && context.Mode == ContextMode.Off)
        {
            errors.Add(new FluxError(ErrorCodes.InvalidValue, "'regions' needs crop-to-context (each region is sent as its own crop): remove 'context.mode: off' or 'regions'.", "context.mode"));
        }

        if (options.Stitch == false)
        {
            errors.Add(new FluxError(ErrorCodes.InvalidValue, "'regions' needs stitching (each region's result is put back into the original): remove 'stitch: false' or 'regions'.", ToolFields.Stitch));
        }

        var result = new List<RegionSpec>(regions.Count);
        var seen = new List<(int Index, (byte R, byte G, byte B) Rgb)>();
        for (var i = 0; i < regions.Count; i++)
        {
            var at = $"regions[{i}]";
            var region = regions[i];
            CheckRegionPrompt(region.Prompt, at + ".prompt", errors);
            if (region.Color is null)
            {
                errors.Add(new FluxError(ErrorCodes.MissingField, $"'{at}.color' is required: the colour this region is painted in on the mask, such as #ff0000.", at + ".color"));
                continue;
            }

            if (!RegionSpec.TryParseColor(region.Color, out var rgb))
            {
                errors.Add(new FluxError(ErrorCodes.InvalidValue, $"'{at}.color' must be a colour as #rrggbb (or #rgb), got '{Clip(region.Color)}'.", at + ".color"));
                continue;
            }

            var name = RegionSpec.Format(rgb);
            if (Distance(rgb, (0, 0, 0)) < EditDefaults.MinRegionColorDistance)
            {
                errors.Add(new FluxError(ErrorCodes.InvalidValue, $"'{at}.color' {name} is black or too close to it: black means \"keep\" on the mask. Use a bright colour such as #ff0000.", at + ".color"));
                continue;
            }

            var clash = seen.FindIndex(s => Distance(s.Rgb, rgb) < EditDefaults.MinRegionColorDistance);
            if (clash >= 0)
            {
                var (index, other) = seen[clash];
                var same = other == rgb ? "the same colour as" : "too close to";
                errors.Add(new FluxError(ErrorCodes.InvalidValue, $"'{at}.color' {name} is {same} regions[{index}] ({RegionSpec.Format(other)}): every region needs its own, clearly different colour.", at + ".color"));
                continue;
            }

            seen.Add((i, rgb));
            result.Add(new RegionSpec(name, region.Prompt));
        }

        return result;
    }

    private static void CheckRegionPrompt(string? prompt, string field, List<FluxError> errors)
    {
        if (prompt is null)
        {
            return;
        }

        if (prompt.Length > EditDefaults.MaxPromptLength)
        {
            errors.Add(new FluxError(ErrorCodes.PromptTooLong, $"'{field}' is {prompt.Length} characters; Runware accepts at most {EditDefaults.MaxPromptLength}.", field));
        }
        else if (prompt.Trim().Length < EditDefaults.MinPromptLength)
        {
            errors.Add(new FluxError(ErrorCodes.PromptTooShort, $"'{field}' must be at least {EditDefaults.MinPromptLength} characters; leave it out to use the job's 'prompt'.", field));
        }

        if (ContainsControlCharacters(prompt))
        {
            errors.Add(new FluxError(ErrorCodes.InvalidValue, $"'{field}' contains control characters; remove them.", field));
        }
    }

    private static double Distance((byte R, byte G, byte B) a, (byte R, byte G, byte B) b) =>
        Math.Sqrt(((a.R - b.R) * (a.R - b.R)) + ((a.G - b.G) * (a.G - b.G)) + ((a.B - b.B) * (a.B - b.B)));

    private static ContextSpec CheckContext(ContextOptions? c, List<FluxError> errors)
    {
        if (c is null)
        {
            return ContextSpec.Default;
        }

        var mode = ContextMode.Auto;
        if (c.Mode is { } m)
        {
            switch (m.Trim().ToLowerInvariant())
            {
                case "auto": mode = ContextMode.Auto; break;
                case "off": mode = ContextMode.Off; break;
                case "always": mode = ContextMode.Always; break;
                default:
                    errors.Add(new FluxError(ErrorCodes.InvalidValue, $"'context.mode' must be auto, off or always, got '{Clip(m)}'.", "context.mode"));
                    break;
            }
        }

        if (c.Margin is { } margin && (margin <= 0 || margin > 2048))
        {
            errors.Add(new FluxError(ErrorCodes.OutOfRange, "'context.margin' must be a fraction of the mask box (below 1) or pixels (1 to 2048).", "context.margin"));
        }

        return new ContextSpec(mode, c.Margin);
    }

    /// <summary><c>safety</c>: each field one of its names; a field left out takes the deployment's default.</summary>
    private static SafetySpec CheckSafety(SafetyOptions? given, SafetySpec fallback, List<FluxError> errors)
    {
        if (given is null)
        {
            return fallback;
        }

        var check = fallback.Check;
        if (given.Check is { } c && !SafetySpec.CheckNames.TryGetValue(c.Trim(), out check))
        {
            errors.Add(new FluxError(ErrorCodes.InvalidValue, $"'safety.check' must be off, outputs or inputs-and-outputs, got '{Clip(c)}'.", "safety.check"));
        }

        var onFlagged = fallback.OnFlagged;
        if (given.OnFlagged is { } f && !SafetySpec.ActionNames.TryGetValue(f.Trim(), out onFlagged))
        {
            errors.Add(new FluxError(ErrorCodes.InvalidValue, $"'safety.onFlagged' must be fail, quarantine or record, got '{Clip(f)}'.", "safety.onFlagged"));
        }

        return new SafetySpec(check, onFlagged);
    }

    private static bool ContainsControlCharacters(string s)
    {
        foreach (var ch in s)
        {
            if (char.IsControl(ch) && ch is not '\n' and not '\r' and not '\t')
            {
                return true;
            }
        }

        return false;
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";

    [GeneratedRegex(@"^[A-Za-z0-9_\-]{1,64}:[A-Za-z0-9_\-\.]{1,64}@[A-Za-z0-9_\-\.]{1,32}$")]
    private static partial Regex AirId();
}

/// <summary>The outcome of <see cref="EditSpecValidator"/>.</summary>
public sealed record ValidationResult(EditSpec? Spec, IReadOnlyList<FluxError> Errors)
{
    public bool Ok => Spec is not null && Errors.Count == 0;
}
