using System.Collections.Frozen;
using System.Text.Json;
using FluxFunctions.Emulator.Configuration;
using FluxFunctions.Emulator.Images;
using FluxFunctions.Emulator.Protocol;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator.Validation;

/// <summary>
/// Validates an <c>imageInference</c> task by Runware's rules and the FLUX Tools rules of SPEC §1, collecting every
/// problem, and resolves its images.
/// </summary>
internal sealed class InferenceValidator(ImageResolver resolver, IOptions<EmulatorOptions> options)
{
    /// <summary>The prompt keyword for "no prompt" (pure Redux variations).</summary>
    public const string BlankPrompt = "__BLANK__";

    /// <summary>The fields Runware documents for imageInference (strength and maskMargin are rejected on Fill).</summary>
    private static readonly FrozenSet<string> Allowed = FrozenSet.Create(StringComparer.Ordinal,
        "taskType", "taskUUID", "model", "positivePrompt", "negativePrompt", "seedImage", "maskImage", "width", "height",
        "steps", "CFGScale", "scheduler", "seed", "numberResults", "outputType", "outputFormat", "outputQuality", "checkNSFW",
        "includeCost", "deliveryMethod", "webhookURL", "ipAdapters", "outpaint", "ttl", "strength", "maskMargin",
        "controlNet", "weight", "inputs", "acePlusPlus", "referenceImages", "safety");

    /// <summary>The fields of <c>acePlusPlus</c> (old-docs api-reference; runware-facts §10, acePlusPlus).</summary>
    private static readonly FrozenSet<string> AceFields = FrozenSet.Create(StringComparer.Ordinal, "type", "inputImages", "inputMasks", "repaintingScale");

    private static readonly IReadOnlyList<string> AceTypes = ["portrait", "subject", "local_editing"];

    /// <summary>The fields of <c>inputs</c> for models that take their images there.</summary>
    private static readonly FrozenSet<string> InputsFields = FrozenSet.Create(StringComparer.Ordinal, "seedImage", "maskImage");

    /// <summary>The fields of <c>inputs</c> for models that take reference images.</summary>
    private static readonly FrozenSet<string> ReferenceFields = FrozenSet.Create(StringComparer.Ordinal, "referenceImages");

    /// <summary>Refused fields checked by <see cref="ReadToolRestricted"/> (the others are checked up front).</summary>
    private static readonly FrozenSet<string> RestrictedFields = FrozenSet.Create(StringComparer.Ordinal, "strength", "maskMargin", "controlNet", "weight");

    /// <summary>Runware resizes FLUX Erase inputs over 4 MP (runware.ai/docs/models/bfl-flux-erase).</summary>
    private const long EraseMaxPixels = 4L * 1024 * 1024;

    private static readonly FrozenSet<string> AdapterFields = FrozenSet.Create(StringComparer.Ordinal, "guideImage", "model", "weight");

    private static readonly FrozenSet<string> OutpaintFields = FrozenSet.Create(StringComparer.Ordinal, "top", "right", "bottom", "left", "blur");

    private static readonly IReadOnlyList<string> OutputTypes = ["URL", "base64Data", "dataURI"];

    private static readonly IReadOnlyList<string> DeliveryMethods = ["sync", "async"];

    private readonly EmulatorOptions settings = options.Value;

    /// <summary>Validates the task; returns the request, or null when <paramref name="fields"/> holds errors.</summary>
    public async Task<InferenceRequest?> ValidateAsync(TaskFields fields, TaskHeader? header, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        fields.RejectUnknown(Allowed);

        var rule = ReadModel(fields, out var model);
        var kind = rule?.Kind;
        RejectRefused(fields, rule);
        bool Takes(string name) => rule?.Refusal(name) is null;
        var prompt = rule?.TakesPrompt == false ? "" : ReadPrompt(fields);
        var (width, height) = rule?.SizePairs is { } pairs ? SizePair(fields, rule, pairs)
            : rule?.TakesSize == false ? (null, null)
            : (Dimension(fields, "width"), Dimension(fields, "height"));
        var stepRange = rule?.StepRange ?? (1, 100);
        var cfgRange = rule?.CfgRange ?? (0, 50);
        var steps = (Takes("steps") ? fields.Int("steps", stepRange.Min, stepRange.Max) : null) ?? 28;
        var cfg = (Takes("CFGScale") ? fields.Number("CFGScale", cfgRange.Min, cfgRange.Max) : null) ?? 3.5;
        var numberResults = fields.Int("numberResults", 1, 20) ?? 1;
        var seed = Takes("seed") ? fields.Long(fields.Raw("seed"), "seed", 1, SeedMath.Max) : null;
        var outputType = fields.Choice("outputType", OutputTypes, StringComparison.Ordinal) switch
        {
            "base64Data" => OutputType.Base64Data,
            "dataURI" => OutputType.DataUri,
            _ => OutputType.Url,
        };
        var outputFormat = ReadFormat(fields);
        var quality = fields.Int("outputQuality", 20, 99) ?? 95;
        fields.Bool("checkNSFW");
        var safetyChecked = SafetyReader.Read(fields);
        var includeCost = fields.Bool("includeCost") ?? false;
        var isAsync = fields.Choice("deliveryMethod", DeliveryMethods, StringComparison.OrdinalIgnoreCase) == "async";
        var webhook = fields.HttpUrl("webhookURL");
        if (Takes("scheduler") && fields.String("scheduler") is { } scheduler && string.IsNullOrWhiteSpace(scheduler))
        {
            fields.Invalid("scheduler", "Invalid value for 'scheduler': it must not be empty.");
        }

        var ttl = fields.Int("ttl", 60, 2_592_000);
        var (seedRef, maskRef, seedPath, maskPath) = ReadImageReferences(fields, rule);
        var ace = ReadAcePlusPlus(fields, rule);
        if (ace is not null)
        {
            (seedRef, seedPath) = ace.Seed is null ? (seedRef, seedPath) : (ace.Seed, "acePlusPlus.inputImages[0]");
            (maskRef, maskPath) = ace.Mask is null ? (maskRef, maskPath) : (ace.Mask, "acePlusPlus.inputMasks[0]");
        }

        var strength = ReadToolRestricted(fields, rule, maskRef);
        var guideRef = rule is { ReferenceInputs: true } ? ReadReferences(fields, rule) : ace is not null ? ace.Reference : ReadAdapters(fields, rule);
        var outpaint = ReadOutpaint(fields, rule, width, height);
        if (ace is not { Creation: true })
        {
            RequireToolImages(fields, rule, seedRef, maskRef, outpaint);
        }
        var forget = prompt is null ? ForgetTrigger.None : ReadForget(fields, prompt, isAsync);

        var seedImage = await Resolve(fields, seedRef, seedPath, cancellationToken);
        var maskImage = await Resolve(fields, maskRef, maskPath, cancellationToken);
        if (rule?.TakesSize == false && seedImage is not null)
        {
            (width, height) = SizeOfInput(seedImage);
        }
        var guideImage = await Resolve(fields, guideRef, rule is { ReferenceInputs: true } ? "inputs.referenceImages[0]" : ace is not null ? "referenceImages[0]" : "ipAdapters[0].guideImage", cancellationToken);

        if (!fields.IsValid || header is null || kind is null || model is null || prompt is null || width is null || height is null)
        {
            return null;
        }

        return new InferenceRequest
        {
            TaskUuid = header.TaskUuidText,
            Model = model,
            Kind = kind.Value,
            PositivePrompt = prompt,
            Width = width.Value,
            Height = height.Value,
            Steps = steps,
            CfgScale = cfg,
            NumberResults = numberResults,
            Seed = seed ?? SeedMath.FromTaskUuid(header.TaskUuid),
            OutputType = outputType,
            OutputFormat = outputFormat,
            OutputQuality = quality,
            IncludeCost = includeCost,
            Async = isAsync,
            WebhookUrl = webhook,
            SeedImage = seedImage,
            MaskImage = maskImage,
            GuideImage = guideImage,
            Outpaint = outpaint,
            Strength = strength,
            SlowMs = PromptTriggers.SlowMs(prompt),
            Fail = PromptTriggers.Fails(prompt),
            TtlSeconds = ttl,
            Forget = forget,
            AccountError = PromptTriggers.AccountErrorOf(prompt),
            SafetyChecked = safetyChecked,
        };
    }

    /// <summary>Fields the model refuses that no other check reads (prompt, size, steps, images at the wrong place…).</summary>
    private static void RejectRefused(TaskFields fields, ModelRule? rule)
    {
        foreach (var (name, message) in rule?.Refuses ?? [])
        {
            if (!RestrictedFields.Contains(name) && fields.Has(name))
            {
                fields.Unsupported(name, message);
            }
        }
    }

    /// <summary>Models with fixed sizes: width and height together, one of the pairs (or neither when the model allows it: 1024×1024).</summary>
    private static (int? Width, int? Height) SizePair(TaskFields fields, ModelRule rule, IReadOnlyList<(int Width, int Height)> pairs)
    {
        var width = fields.Long(fields.Raw("width"), "width", 1, 4096);
        var height = fields.Long(fields.Raw("height"), "height", 1, 4096);
        var list = string.Join(", ", pairs.Select(p => $"{p.Width}x{p.Height}"));
        if (width is null && height is null && !fields.Has("width") && !fields.Has("height"))
        {
            if (rule.SizeOptional)
            {
                return (1024, 1024);
            }

            fields.Missing("width", $"{rule.Title} needs width and height, one of {list}.");
            return (null, null);
        }

        if (width is null || height is null)
        {
            fields.Invalid(width is null ? "width" : "height", $"{rule.Title}: width and height must be used together, one of {list}.");
            return (null, null);
        }

        if (!pairs.Contains(((int)width, (int)height)))
        {
            fields.Invalid("width", $"Invalid size {width}x{height} for {rule.Title}: use one of {list}.");
            return (null, null);
        }

        return ((int)width, (int)height);
    }

    /// <summary>inputs.referenceImages: 1 to the model's maximum image references; returns the first (the image to edit).</summary>
    private static string? ReadReferences(TaskFields fields, ModelRule rule)
    {
        if (fields.Raw("inputs") is not { } inputs || inputs.ValueKind == JsonValueKind.Null)
        {
            fields.Missing("inputs", $"{rule.Title} needs the image to edit in inputs.referenceImages.");
            return null;
        }

        if (inputs.ValueKind != JsonValueKind.Object)
        {
            fields.Invalid("inputs", "Invalid value for 'inputs': it must be an object {referenceImages: [...]}.");
            return null;
        }

        fields.RejectUnknown(inputs, ReferenceFields, "inputs");
        if (Property(inputs, "referenceImages") is not { ValueKind: JsonValueKind.Array } references || references.GetArrayLength() < 1 || references.GetArrayLength() > rule.MaxReferences)
        {
            fields.Invalid("inputs.referenceImages", $"Invalid value for 'inputs.referenceImages': {rule.Title} takes an array of 1 to {rule.MaxReferences} images.");
            return null;
        }

        return fields.String(references[0], "inputs.referenceImages[0]", "the reference image is required.");
    }

    /// <summary>What an <c>acePlusPlus</c> task names: the reference, and the image and mask to edit when given there.</summary>
    /// <param name="Creation">portrait or subject without inputImages: generation from the reference, no image to edit.</param>
    private sealed record AceImages(string? Reference, string? Seed, string? Mask, bool Creation);

    /// <summary>
    /// ACE++ (old-docs api-reference, runware-facts §10): the <c>acePlusPlus</c> object only on FLUX.1 Fill (runware:102@1),
    /// with exactly one root <c>referenceImages</c> entry; <c>type</c> portrait (default), subject or local_editing;
    /// <c>inputImages</c> and <c>inputMasks</c> at most 1 each; <c>repaintingScale</c> 0–1. Root referenceImages without
    /// acePlusPlus are refused. Assumed (not documented): the image to edit is given once, in acePlusPlus.inputImages or
    /// in seedImage, not both; local_editing needs inputImages and inputMasks.
    /// </summary>
    private static AceImages? ReadAcePlusPlus(TaskFields fields, ModelRule? rule)
    {
        if (rule is null)
        {
            return null;
        }

        if (fields.Raw("acePlusPlus") is not { } ace || ace.ValueKind == JsonValueKind.Null)
        {
            if (fields.Has("referenceImages") && rule.Refusal("referenceImages") is null)
            {
                fields.Unsupported("referenceImages", rule.TakesAcePlusPlus
                    ? $"{rule.Title} takes root 'referenceImages' only with an 'acePlusPlus' object (ACE++); remove 'referenceImages' or add 'acePlusPlus'."
                    : $"{rule.Title} does not take root 'referenceImages'; remove 'referenceImages'.");
            }

            return null;
        }

        if (!rule.TakesAcePlusPlus)
        {
            if (rule.Refusal("acePlusPlus") is null)
            {
                fields.Unsupported("acePlusPlus", $"When using the acePlusPlus object, you must set the model parameter to {Models.Fill} (FLUX Fill); {rule.Title} does not take it.");
            }

            return null;
        }

        if (ace.ValueKind != JsonValueKind.Object)
        {
            fields.Invalid("acePlusPlus", "Invalid value for 'acePlusPlus': it must be an object {type, inputImages, inputMasks, repaintingScale}.");
            return null;
        }

        fields.RejectUnknown(ace, AceFields, "acePlusPlus");
        var type = Property(ace, "type") is { } t ? fields.String(t, "acePlusPlus.type") : "portrait";
        if (type is not null && !AceTypes.Contains(type, StringComparer.Ordinal))
        {
            fields.Invalid("acePlusPlus.type", $"Invalid value for 'acePlusPlus.type': '{(type.Length > 20 ? type[..20] + "…" : type)}'; use portrait, subject or local_editing.");
        }

        string? One(string name)
        {
            if (Property(ace, name) is not { } list || list.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() != 1)
            {
                fields.Invalid("acePlusPlus." + name, $"Invalid value for 'acePlusPlus.{name}': it takes an array of at most 1 image.");
                return null;
            }

            return fields.String(list[0], $"acePlusPlus.{name}[0]", "the image is required.");
        }

        var seed = One("inputImages");
        var mask = One("inputMasks");
        if (Property(ace, "repaintingScale") is { } scale && scale.ValueKind != JsonValueKind.Null
            && (scale.ValueKind != JsonValueKind.Number || scale.GetDouble() is < 0 or > 1))
        {
            fields.Invalid("acePlusPlus.repaintingScale", $"Invalid value for 'acePlusPlus.repaintingScale': {TaskFields.Describe(scale)}; it must be a number from 0 to 1.");
        }

        if (seed is not null && fields.Has("seedImage"))
        {
            fields.Invalid("seedImage", "The image to edit is given twice: in seedImage and in acePlusPlus.inputImages; give it once.");
        }

        if (type == "local_editing" && (seed is null && !fields.Has("seedImage") || mask is null && !fields.Has("maskImage")))
        {
            fields.Missing(seed is null ? "acePlusPlus.inputImages" : "acePlusPlus.inputMasks", "acePlusPlus type local_editing needs the image to edit in inputImages and its mask (white = edit) in inputMasks.");
        }

        string? reference = null;
        if (fields.Raw("referenceImages") is not { ValueKind: JsonValueKind.Array } references || references.GetArrayLength() != 1)
        {
            fields.Missing("referenceImages", "The referenceImages parameter is required when using ACE++ and must be specified at the root level of the request, outside of the acePlusPlus object: an array of exactly 1 image.");
        }
        else
        {
            reference = fields.String(references[0], "referenceImages[0]", "the reference image is required.");
        }

        return new AceImages(reference, seed, mask, type is "portrait" or "subject" && seed is null && !fields.Has("seedImage"));
    }

    /// <summary>The seed and mask references, at the root or inside <c>inputs</c> as the model takes them, with their parameter paths.</summary>
    private static (string? Seed, string? Mask, string SeedPath, string MaskPath) ReadImageReferences(TaskFields fields, ModelRule? rule)
    {
        if (rule is { ReferenceInputs: true })
        {
            return (null, null, "seedImage", "maskImage");
        }

        if (rule is not { ImagesInInputs: true })
        {
            if (rule is not null && fields.Has("inputs"))
            {
                fields.Unsupported("inputs", $"{rule.Title} takes its images at the root of the task in the emulator (seedImage, maskImage); remove 'inputs'.");
            }

            return (fields.String("seedImage"), fields.String("maskImage"), "seedImage", "maskImage");
        }

        if (fields.Raw("inputs") is not { } inputs || inputs.ValueKind == JsonValueKind.Null)
        {
            fields.Missing("inputs", $"{rule.Title} needs 'inputs' with the image in seedImage and the mask ({rule.MaskMeaning}) in maskImage.");
            return (null, null, "inputs.seedImage", "inputs.maskImage");
        }

        if (inputs.ValueKind != JsonValueKind.Object)
        {
            fields.Invalid("inputs", "Invalid value for 'inputs': it must be an object {seedImage, maskImage}.");
            return (null, null, "inputs.seedImage", "inputs.maskImage");
        }

        fields.RejectUnknown(inputs, InputsFields, "inputs");
        var seed = fields.String(Property(inputs, "seedImage"), "inputs.seedImage", $"{rule.Title} needs the image to edit in inputs.seedImage.");
        var mask = fields.String(Property(inputs, "maskImage"), "inputs.maskImage", $"{rule.Title} needs a mask ({rule.MaskMeaning}) in inputs.maskImage.");
        return (seed, mask, "inputs.seedImage", "inputs.maskImage");
    }

    /// <summary>The output size of a model without size parameters: the input's, scaled down to 4 MP when larger.</summary>
    private static (int Width, int Height) SizeOfInput(ResolvedImage image)
    {
        var pixels = (long)image.Width * image.Height;
        if (pixels <= EraseMaxPixels)
        {
            return (image.Width, image.Height);
        }

        var scale = Math.Sqrt(EraseMaxPixels / (double)pixels);
        return (Math.Max(1, (int)(image.Width * scale)), Math.Max(1, (int)(image.Height * scale)));
    }

    private static ModelRule? ReadModel(TaskFields fields, out string? model)
    {
        model = fields.String("model", "imageInference needs a model, e.g. runware:101@1 (FLUX.1 dev) or runware:102@1 (FLUX.1 Fill).");
        if (model is null)
        {
            return null;
        }

        if (model == Models.Redux)
        {
            fields.Add(ErrorCodes.InvalidModel, "model",
                "runware:105@1 (FLUX.1 Redux) is an IP-Adapter, not a model: put a FLUX base model such as runware:101@1 in 'model' " +
                "and {\"guideImage\": ..., \"model\": \"runware:105@1\"} in 'ipAdapters'.");
            return null;
        }

        if (!Models.TryGet(model, out var rule))
        {
            fields.Add(ErrorCodes.InvalidModel, "model",
                $"Unknown model '{(model.Length > 60 ? model[..60] + "…" : model)}'; the emulator serves {string.Join(", ", Models.InferenceModels)} (and runware:105@1 inside ipAdapters).");
            return null;
        }

        return rule;
    }

    private static string? ReadPrompt(TaskFields fields)
    {
        var prompt = fields.String("positivePrompt", $"imageInference needs a prompt of 2 to 3000 characters, or {BlankPrompt} for none.");
        if (prompt is null)
        {
            return null;
        }

        if (prompt != BlankPrompt && (prompt.Length < 2 || prompt.Length > 3000))
        {
            fields.Add(ErrorCodes.InvalidPositivePrompt, "positivePrompt",
                $"Invalid positivePrompt: it has {prompt.Length} characters; it must have 2 to 3000, or be exactly {BlankPrompt} for no prompt.");
            return null;
        }

        if (PromptTriggers.Rejects(prompt))
        {
            fields.Add(ErrorCodes.InvalidPositivePrompt, "positivePrompt", $"Invalid positivePrompt: rejected by the test trigger '{PromptTriggers.Reject}'.");
            return null;
        }

        if (fields.String("negativePrompt") is { } negative && (negative.Length < 2 || negative.Length > 3000))
        {
            fields.Invalid("negativePrompt", $"Invalid negativePrompt: it has {negative.Length} characters; it must have 2 to 3000.");
        }

        return prompt;
    }

    /// <summary>The forget triggers: an acknowledgement that is then forgotten exists only for async delivery.</summary>
    private static ForgetTrigger ReadForget(TaskFields fields, string prompt, bool isAsync)
    {
        var forget = PromptTriggers.ForgetOf(prompt);
        if (forget != ForgetTrigger.None && !isAsync)
        {
            fields.Add(ErrorCodes.InvalidPositivePrompt, "positivePrompt",
                $"Invalid positivePrompt: the test triggers '{PromptTriggers.Forget}' and '{PromptTriggers.ForgetOnce}' need deliveryMethod async (a sync inference has no acknowledgement to forget).");
        }

        return forget;
    }

    private int? Dimension(TaskFields fields, string name)
    {
        var rule = $"a multiple of 64 from {settings.MinDimension} to {settings.MaxDimension}";
        var value = fields.Long(fields.Raw(name), name, settings.MinDimension, settings.MaxDimension, $"imageInference needs the output {name}, a multiple of 64 from {settings.MinDimension} to {settings.MaxDimension}.", rule);
        if (value is null)
        {
            return null;
        }

        if (value % 64 != 0)
        {
            fields.Invalid(name, $"Invalid value for '{name}': {value}; it must be {rule}.");
            return null;
        }

        return (int)value;
    }

    private static ImageFormat ReadFormat(TaskFields fields)
    {
        var text = fields.String("outputFormat");
        if (text is null)
        {
            return ImageFormat.Jpg;
        }

        if (!ImageFormats.TryParse(text, out var format))
        {
            fields.Invalid("outputFormat", $"Invalid value for 'outputFormat': '{(text.Length > 20 ? text[..20] + "…" : text)}'; use PNG, JPG or WEBP.");
        }

        return format;
    }

    /// <summary>strength, maskMargin, controlNet and weight: rejected where the model's rule refuses them.</summary>
    private static double? ReadToolRestricted(TaskFields fields, ModelRule? rule, string? maskRef)
    {
        bool Refused(string name)
        {
            if (rule?.Refusal(name) is not { } message)
            {
                return false;
            }

            if (fields.Has(name))
            {
                fields.Unsupported(name, message);
            }

            return true;
        }

        double? strength = null;
        if (!Refused("strength"))
        {
            strength = fields.Number("strength", 0, 1);
        }

        if (!Refused("maskMargin") && fields.Int("maskMargin", 32, 128) is not null && maskRef is null)
        {
            fields.Missing("maskImage", "maskMargin applies to inpainting, which needs a maskImage.");
        }

        if (!Refused("controlNet") && fields.Has("controlNet"))
        {
            fields.Unsupported("controlNet", "The emulator serves the FLUX Tools only: use runware:104@1 (Canny) or runware:103@1 (Depth) with the guide in 'seedImage' instead of a 'controlNet' object.");
        }

        if (!Refused("weight") && fields.Has("weight"))
        {
            fields.Unsupported("weight", "Parameter 'weight' is not supported by imageInference.");
        }

        return strength;
    }

    /// <summary>ipAdapters: exactly one FLUX Redux adapter on a base model; returns its guide reference.</summary>
    private static string? ReadAdapters(TaskFields fields, ModelRule? rule)
    {
        if (fields.Raw("ipAdapters") is not { } adapters || adapters.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (rule is { TakesAdapters: false })
        {
            fields.Unsupported("ipAdapters", $"{rule.Title} does not take ipAdapters; FLUX.1 Redux (runware:105@1) goes on a FLUX base model such as {Models.Dev}.");
            return null;
        }

        if (adapters.ValueKind != JsonValueKind.Array || adapters.GetArrayLength() != 1 || adapters[0].ValueKind != JsonValueKind.Object)
        {
            fields.Invalid("ipAdapters", "Invalid value for 'ipAdapters': it must be an array of exactly one object {\"guideImage\": ..., \"model\": \"runware:105@1\"}.");
            return null;
        }

        const string prefix = "ipAdapters[0]";
        var adapter = adapters[0];
        fields.RejectUnknown(adapter, AdapterFields, prefix);
        if (adapter.TryGetProperty("weight", out _))
        {
            fields.Unsupported(prefix + ".weight", "FLUX.1 Redux (runware:105@1) takes no 'weight' on the adapter; remove it.");
        }

        var model = fields.String(Property(adapter, "model"), prefix + ".model", "the adapter needs model runware:105@1 (FLUX.1 Redux).");
        if (model is not null && model != Models.Redux)
        {
            fields.Add(ErrorCodes.InvalidModel, prefix + ".model", $"Unknown IP-Adapter '{(model.Length > 60 ? model[..60] + "…" : model)}'; the emulator serves FLUX.1 Redux ({Models.Redux}).");
        }

        return fields.String(Property(adapter, "guideImage"), prefix + ".guideImage", "FLUX.1 Redux needs the image to vary as guideImage.");
    }

    private Outpaint? ReadOutpaint(TaskFields fields, ModelRule? rule, int? width, int? height)
    {
        if (fields.Raw("outpaint") is not { } outpaint || outpaint.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (rule is { Outpaints: false })
        {
            fields.Unsupported("outpaint", $"{rule.Title} does not outpaint; use FLUX.1 Fill ({Models.Fill}).");
            return null;
        }

        if (outpaint.ValueKind != JsonValueKind.Object)
        {
            fields.Invalid("outpaint", "Invalid value for 'outpaint': it must be an object {top, right, bottom, left, blur}.");
            return null;
        }

        var before = fields.Errors.Count;
        fields.RejectUnknown(outpaint, OutpaintFields, "outpaint");
        int Side(string name)
        {
            var value = fields.Long(Property(outpaint, name), "outpaint." + name, 0, settings.MaxDimension) ?? 0;
            if (value % 64 != 0)
            {
                fields.Add(ErrorCodes.InvalidParameter, "outpaint." + name, $"Invalid value for 'outpaint.{name}': {value}; it must be a multiple of 64.");
            }

            return (int)value;
        }

        var result = new Outpaint(Side("top"), Side("right"), Side("bottom"), Side("left"),
            (int)(fields.Long(Property(outpaint, "blur"), "outpaint.blur", 0, 32) ?? 0));
        if (fields.Errors.Count != before)
        {
            return null;
        }

        if (width is { } w && height is { } h && (result.Left + result.Right >= w || result.Top + result.Bottom >= h))
        {
            fields.Add(ErrorCodes.InvalidParameter, "outpaint",
                $"Invalid 'outpaint': the extensions ({result.Left}+{result.Right} by {result.Top}+{result.Bottom}) leave no room for the seed image in {w}x{h}; width and height are the final size.");
            return null;
        }

        return result;
    }

    private static void RequireToolImages(TaskFields fields, ModelRule? rule, string? seedRef, string? maskRef, Outpaint? outpaint)
    {
        if (rule is null)
        {
            return;
        }

        if (rule.SeedRequired is { } seedWhy && seedRef is null && !fields.Has("seedImage"))
        {
            fields.Missing("seedImage", seedWhy);
        }

        if (rule.MaskRequired is { } maskWhy && maskRef is null && outpaint is null && !fields.Has("maskImage"))
        {
            fields.Missing("maskImage", maskWhy);
        }

        if (rule.MaskRefused is { } refused && fields.Has("maskImage"))
        {
            fields.Unsupported("maskImage", refused);
        }

        if (rule.Kind == ModelKind.Base && maskRef is not null && seedRef is null)
        {
            fields.Missing("seedImage", "inpainting with maskImage needs the image to edit in seedImage.");
        }
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : null;

    private async Task<ResolvedImage?> Resolve(TaskFields fields, string? reference, string parameter, CancellationToken cancellationToken)
    {
        if (reference is null)
        {
            return null;
        }

        var (image, error) = await resolver.ResolveAsync(reference, parameter, cancellationToken);
        if (error is not null)
        {
            fields.Add(error);
        }

        return image;
    }
}
