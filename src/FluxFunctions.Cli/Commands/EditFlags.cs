using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json.Nodes;

namespace FluxFunctions.Cli.Commands;

/// <summary>
/// The options of an edit that become fields of the JSON options (SPEC §3), shared by <c>flux edit …</c> and
/// <c>flux batch</c>: common ones, and per tool. Only options given on the command line are sent; the API checks ranges
/// and tool rules and names the field it rejects.
/// </summary>
internal sealed class EditFlags
{
    public Option<string?> Prompt { get; } = new("--prompt", "-p") { Description = "What the result should show (redux ignores it)", HelpName = "text" };

    public Option<int?> Steps { get; } = new("--steps") { Description = "Inference steps, 1-100", HelpName = "n" };

    public Option<long?> Seed { get; } = new("--seed") { Description = "Seed, for reproducible results (reported back either way)", HelpName = "n" };

    public Option<double?> CfgScale { get; } = new("--cfg-scale") { Description = "Guidance scale, 0-50", HelpName = "x" };

    public Option<int?> Width { get; } = new("--width") { Description = "Result width, a multiple of 64 (default: from the input's aspect ratio, ~1 MP)", HelpName = "px" };

    public Option<int?> Height { get; } = new("--height") { Description = "Result height, a multiple of 64", HelpName = "px" };

    public Option<int?> NumberResults { get; } = new("--number-results", "-n") { Description = "Images per job, 1-4", HelpName = "n" };

    public Option<string?> Format { get; } = new("--format") { Description = "Result format: png, jpg or webp", HelpName = "png|jpg|webp" };

    public Option<int?> Quality { get; } = new("--quality") { Description = "jpg and webp results: quality 20-99 (Runware's default 95)", HelpName = "q" };

    public Option<string?> Safety { get; } = new("--safety") { Description = "Runware's content check: off, outputs or inputs-and-outputs (default: the deployment's)", HelpName = "off|outputs|inputs-and-outputs" };

    public Option<string?> OnFlagged { get; } = new("--on-flagged") { Description = "A flagged result: fail the job, quarantine the image, or record the flag in the manifest", HelpName = "fail|quarantine|record" };

    public Option<string[]> OptionsFiles { get; } = new("--options")
    {
        Description = "JSON file with options (the HTTP body's fields); command-line options win; may be repeated",
        HelpName = "file.json",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> Outpaint { get; } = new("--outpaint") { Description = "fill: extend the canvas by top,right,bottom,left pixels (or one number for all sides)", HelpName = "t,r,b,l" };

    public Option<int?> OutpaintBlur { get; } = new("--outpaint-blur") { Description = "fill: blur of the outpainting seam, pixels", HelpName = "px" };

    public Option<int?> MaskGrow { get; } = new("--mask-grow") { Description = "fill: grow the mask by this many pixels", HelpName = "px" };

    public Option<int?> MaskFeather { get; } = new("--mask-feather") { Description = "fill: feather the mask edge by this many pixels", HelpName = "px" };

    public Option<string[]> Regions { get; } = new("--region")
    {
        Description = "fill: one region of a colour-coded mask as COLOR=PROMPT (e.g. '#ff0000=a red rose bush'; COLOR alone uses --prompt); repeat for up to 4 regions, each its own crop and task",
        HelpName = "color=prompt",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> Preprocess { get; } = new("--preprocess") { Description = "canny: local (default), runware or none; depth: runware (default) or none (the input already is the guide)", HelpName = "local|runware|none" };

    public Option<int?> Low { get; } = new("--low") { Description = "canny: low hysteresis threshold (default 100)", HelpName = "n" };

    public Option<int?> High { get; } = new("--high") { Description = "canny: high hysteresis threshold (default 200)", HelpName = "n" };

    public Option<string?> Model { get; } = new("--model") { Description = "kontext: dev (default), pro or max", HelpName = "dev|pro|max" };

    public Option<string?> CallbackUrl { get; } = new("--callback-url") { Description = "POST the job's signed events to this URL (the deployment needs Flux__WebhookSecret)", HelpName = "url" };

    public Option<string?> CallbackEvents { get; } = new("--callback-events") { Description = "Events to POST to --callback-url: started, inferring, completed, failed, canceled, comma-separated (default: the terminal one)", HelpName = "e1,e2" };

    public Option<string?> BaseModel { get; } = new("--base-model") { Description = "redux: the FLUX base model (default runware:101@1)", HelpName = "air" };

    public EditFlags()
    {
        Format.AcceptOnlyFromAmong("png", "jpg", "jpeg", "webp", "PNG", "JPG", "JPEG", "WEBP");
        Preprocess.AcceptOnlyFromAmong("local", "runware", "none");
        Outpaint.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && ParseOutpaint(text) is null)
            {
                result.AddError($"--outpaint takes top,right,bottom,left in pixels (e.g. 0,256,0,256) or one number for all sides, not '{text}'.");
            }
        });
    }

    /// <summary>Options for every tool.</summary>
    public IEnumerable<Option> Common => [Prompt, Steps, Seed, CfgScale, Width, Height, NumberResults, Format, Quality, Safety, OnFlagged, OptionsFiles];

    /// <summary>Callbacks, for every tool.</summary>
    public IEnumerable<Option> Callbacks => [CallbackUrl, CallbackEvents];

    public IEnumerable<Option> Fill => [Outpaint, OutpaintBlur, MaskGrow, MaskFeather, Regions];

    public IEnumerable<Option> FillPro => [Outpaint, OutpaintBlur, MaskGrow, MaskFeather];

    public IEnumerable<Option> Canny => [Preprocess, Low, High];

    public IEnumerable<Option> Depth => [Preprocess];

    public IEnumerable<Option> Redux => [BaseModel];

    public IEnumerable<Option> Erase => [MaskGrow, MaskFeather];

    public IEnumerable<Option> Kontext => [Model];

    /// <summary>The options of <paramref name="tool"/> (<c>null</c>: every tool's, for a batch).</summary>
    public IEnumerable<Option> For(string? tool) => CliTools.Find(tool) is { } one
        ? Common.Concat(Callbacks).Concat(one.Flags(this))
        : Common.Concat(Callbacks).Concat(CliTools.All.SelectMany(t => t.Flags(this))).Distinct();

    /// <summary>The JSON options: every <c>--options</c> file in order, then the options given on the command line.</summary>
    public JsonObject Collect(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var options = new JsonObject();
        foreach (var file in parse.GetValue(OptionsFiles) ?? [])
        {
            options = Jobs.OptionsDocument.Merge(options, Jobs.OptionsDocument.Read(file));
        }

        var flags = new JsonObject();
        Set(flags, "prompt", parse.GetValue(Prompt));
        Set(flags, "steps", parse.GetValue(Steps));
        Set(flags, "seed", parse.GetValue(Seed));
        Set(flags, "cfgScale", parse.GetValue(CfgScale));
        Set(flags, "width", parse.GetValue(Width));
        Set(flags, "height", parse.GetValue(Height));
        Set(flags, "numberResults", parse.GetValue(NumberResults));
        Set(flags, "outputFormat", parse.GetValue(Format)?.ToUpperInvariant() is { } f ? (f == "JPEG" ? "JPG" : f) : null);
        Set(flags, "outputQuality", parse.GetValue(Quality));
        Set(flags, "baseModel", parse.GetValue(BaseModel));
        Set(flags, "model", parse.GetValue(Model));
        Set(flags, "maskGrow", parse.GetValue(MaskGrow));
        Set(flags, "maskFeather", parse.GetValue(MaskFeather));
        Set(flags, "callbackUrl", parse.GetValue(CallbackUrl));
        if (parse.GetValue(CallbackEvents) is { } events)
        {
            flags["callbackEvents"] = new JsonArray([.. events.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(e => (JsonNode?)e)]);
        }

        var outpaint = new JsonObject();
        if (parse.GetValue(Outpaint) is { } sides && ParseOutpaint(sides) is { } px)
        {
            outpaint["top"] = px[0];
            outpaint["right"] = px[1];
            outpaint["bottom"] = px[2];
            outpaint["left"] = px[3];
        }

        Set(outpaint, "blur", parse.GetValue(OutpaintBlur));
        if (outpaint.Count > 0)
        {
            flags["outpaint"] = outpaint;
        }

        if (parse.GetValue(Regions) is { Length: > 0 } regions)
        {
            flags["regions"] = new JsonArray(regions.Select(r => (JsonNode?)ParseRegion(r)).ToArray());
        }

        var safety = new JsonObject();
        Set(safety, "check", parse.GetValue(Safety));
        Set(safety, "onFlagged", parse.GetValue(OnFlagged));
        if (safety.Count > 0)
        {
            flags["safety"] = safety;
        }

        var preprocess = new JsonObject();
        Set(preprocess, "mode", parse.GetValue(Preprocess));
        Set(preprocess, "lowThreshold", parse.GetValue(Low));
        Set(preprocess, "highThreshold", parse.GetValue(High));
        if (preprocess.Count > 0)
        {
            flags["preprocess"] = preprocess;
        }

        return Jobs.OptionsDocument.Merge(options, flags);
    }

    /// <summary>"COLOR=PROMPT" or "COLOR" as a region of the options (the API checks the colour and the prompt).</summary>
    public static JsonObject ParseRegion(string text)
    {
        var at = (text ?? "").IndexOf('=', StringComparison.Ordinal);
        var region = new JsonObject { ["color"] = (at < 0 ? text ?? "" : text![..at]).Trim() };
        if (at >= 0)
        {
            region["prompt"] = text![(at + 1)..].Trim();
        }

        return region;
    }

    /// <summary>"t,r,b,l" or "n" as four non-negative pixel counts; null when malformed.</summary>
    public static int[]? ParseOutpaint(string text)
    {
        var parts = (text ?? "").Split(',', StringSplitOptions.TrimEntries);
        var values = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            values.Add(value);
        }

        return values.Count switch
        {
            1 => [values[0], values[0], values[0], values[0]],
            4 => [.. values],
            _ => null,
        };
    }

    private static void Set<T>(JsonObject target, string name, T? value)
    {
        if (value is not null)
        {
            target[name] = JsonValue.Create(value);
        }
    }
}
