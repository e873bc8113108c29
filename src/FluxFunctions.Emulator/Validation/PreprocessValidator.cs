using System.Collections.Frozen;
using FluxFunctions.Emulator.Configuration;
using FluxFunctions.Emulator.Images;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator.Validation;

/// <summary>The preprocessors the emulator implements.</summary>
internal enum PreprocessorType
{
    Canny,
    Depth,
}

/// <summary>A validated <c>controlNetPreprocess</c> task.</summary>
internal sealed record PreprocessRequest(
    string TaskUuid,
    ResolvedImage Input,
    PreprocessorType Type,
    int? Width,
    int? Height,
    int LowThreshold,
    int HighThreshold,
    OutputType OutputType,
    ImageFormat OutputFormat,
    int OutputQuality,
    bool IncludeCost,
    Uri? WebhookUrl);

/// <summary>Validates a <c>controlNetPreprocess</c> task and resolves its input image.</summary>
internal sealed class PreprocessValidator(ImageResolver resolver, IOptions<EmulatorOptions> options)
{
    /// <summary>Default canny thresholds (as Runware and OpenCV examples use).</summary>
    public const int DefaultLow = 100;

    /// <summary>Default high canny threshold.</summary>
    public const int DefaultHigh = 200;

    private static readonly FrozenSet<string> Allowed = FrozenSet.Create(StringComparer.Ordinal,
        "taskType", "taskUUID", "inputImage", "preProcessorType", "width", "height", "lowThresholdCanny", "highThresholdCanny",
        "outputType", "outputFormat", "outputQuality", "includeCost", "webhookURL");

    private static readonly IReadOnlyList<string> OtherRunwareTypes =
        ["mlsd", "normalbae", "openpose", "tile", "seg", "lineart", "lineart_anime", "shuffle", "scribble", "softedge"];

    private readonly EmulatorOptions settings = options.Value;

    /// <summary>Validates the task; returns the request, or null when <paramref name="fields"/> holds errors.</summary>
    public async Task<PreprocessRequest?> ValidateAsync(TaskFields fields, TaskHeader? header, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        fields.RejectUnknown(Allowed);

        var typeText = fields.String("preProcessorType", "controlNetPreprocess needs preProcessorType canny or depth.");
        PreprocessorType? type = typeText switch
        {
            "canny" => PreprocessorType.Canny,
            "depth" => PreprocessorType.Depth,
            _ => null,
        };
        if (typeText is not null && type is null)
        {
            var shown = typeText.Length > 30 ? typeText[..30] + "…" : typeText;
            fields.Invalid("preProcessorType", OtherRunwareTypes.Contains(typeText)
                ? $"Invalid preProcessorType '{shown}': Runware has it, the emulator implements only canny and depth."
                : $"Invalid preProcessorType '{shown}'; use canny or depth.");
        }

        var width = Dimension(fields, "width");
        var height = Dimension(fields, "height");
        var low = fields.Int("lowThresholdCanny", 0, 255);
        var high = fields.Int("highThresholdCanny", 0, 255);
        if (type == PreprocessorType.Depth)
        {
            foreach (var name in new[] { "lowThresholdCanny", "highThresholdCanny" })
            {
                if (fields.Has(name))
                {
                    fields.Unsupported(name, $"'{name}' applies to preProcessorType canny only.");
                }
            }
        }

        if ((low ?? DefaultLow) > (high ?? DefaultHigh))
        {
            fields.Invalid("lowThresholdCanny", $"Invalid thresholds: lowThresholdCanny ({low ?? DefaultLow}) must not exceed highThresholdCanny ({high ?? DefaultHigh}).");
        }

        var outputType = fields.Choice("outputType", ["URL", "base64Data", "dataURI"], StringComparison.Ordinal) switch
        {
            "base64Data" => OutputType.Base64Data,
            "dataURI" => OutputType.DataUri,
            _ => OutputType.Url,
        };
        var formatText = fields.String("outputFormat");
        var format = ImageFormat.Png;
        if (formatText is not null && !ImageFormats.TryParse(formatText, out format))
        {
            fields.Invalid("outputFormat", "Invalid value for 'outputFormat'; use PNG, JPG or WEBP.");
        }

        var quality = fields.Int("outputQuality", 20, 99) ?? 95;
        var includeCost = fields.Bool("includeCost") ?? false;
        var webhook = fields.HttpUrl("webhookURL");

        ResolvedImage? input = null;
        if (fields.String("inputImage", "controlNetPreprocess needs the image to preprocess in inputImage.") is { } reference)
        {
            var (image, error) = await resolver.ResolveAsync(reference, "inputImage", cancellationToken);
            if (error is not null)
            {
                fields.Add(error);
            }

            input = image;
        }

        if (!fields.IsValid || header is null || type is null || input is null)
        {
            return null;
        }

        return new PreprocessRequest(header.TaskUuidText, input, type.Value, width, height, low ?? DefaultLow, high ?? DefaultHigh,
            outputType, format, quality, includeCost, webhook);
    }

    private int? Dimension(TaskFields fields, string name)
    {
        var rule = $"a multiple of 64 from {settings.MinDimension} to {settings.MaxDimension}";
        var value = fields.Long(fields.Raw(name), name, settings.MinDimension, settings.MaxDimension, null, rule);
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
}
