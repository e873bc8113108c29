using System.Text.Json;
using FluxFunctions.Errors;

namespace FluxFunctions.Requests;

/// <summary>
/// Reads the JSON of an edit (HTTP body or options file) field by field, so that every wrong type or unknown
/// field gets its own error naming it, all at once, instead of one exception for the first problem.
/// </summary>
public static class EditOptionsParser
{
    /// <summary>Largest options document accepted, in bytes.</summary>
    public const int MaxJsonBytes = 64 * 1024;

    /// <summary>Runware parameters some FLUX tool forbids (SPEC §1); reported with the tool's own reason.</summary>
    public static IReadOnlySet<string> ForbiddenParameters { get; } =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "maskMargin", "strength", "weight", "controlNet", "ipAdapters" };

    /// <summary>How options documents are read: comments and trailing commas allowed, 16 levels at most.</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Parses UTF-8 JSON text.</summary>
    /// <param name="utf8Json">The document.</param>
    /// <param name="allowImages">Whether <c>image</c> and <c>mask</c> may appear (HTTP body) or not (options file).</param>
    public static ParseResult Parse(ReadOnlyMemory<byte> utf8Json, bool allowImages)
    {
        if (utf8Json.Length == 0)
        {
            return Fail(new FluxError(ErrorCodes.InvalidJson, "The options document is empty; send a JSON object."));
        }

        if (utf8Json.Length > MaxJsonBytes)
        {
            return Fail(new FluxError(ErrorCodes.PayloadTooLarge, $"The options document is {utf8Json.Length} bytes; the limit is {MaxJsonBytes} bytes."));
        }

        try
        {
            using var doc = JsonDocument.Parse(utf8Json, DocumentOptions);
            return Parse(doc.RootElement, allowImages);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
            return Fail(new FluxError(ErrorCodes.InvalidJson, $"The options are not valid JSON{where}: {Trim(ex.Message)}"));
        }
    }

    /// <summary>Parses an already-read JSON element.</summary>
    public static ParseResult Parse(JsonElement root, bool allowImages)
    {
        var errors = new List<FluxError>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail(new FluxError(ErrorCodes.InvalidJson, $"The options must be a JSON object, not {Describe(root.ValueKind)}."));
        }

        var o = new EditOptions();
        var forbidden = new List<string>();
        foreach (var p in root.EnumerateObject())
        {
            var name = p.Name;
            var v = p.Value;
            switch (name.ToLowerInvariant())
            {
                case "tool": o = o with { Tool = ReadString(v, "tool", errors) }; break;
                case "prompt": o = o with { Prompt = ReadString(v, "prompt", errors) }; break;
                case "image" when allowImages: o = o with { Image = ReadString(v, "image", errors) }; break;
                case "mask" when allowImages: o = o with { Mask = ReadString(v, "mask", errors) }; break;
                case "reference" when allowImages: o = o with { Reference = ReadString(v, "reference", errors) }; break;
                case "references" when allowImages: o = o with { References = ReadStrings(v, "references", errors) }; break;
                case "width": o = o with { Width = ReadInt(v, "width", errors) }; break;
                case "height": o = o with { Height = ReadInt(v, "height", errors) }; break;
                case "steps": o = o with { Steps = ReadInt(v, "steps", errors) }; break;
                case "cfgscale": o = o with { CfgScale = ReadDouble(v, "cfgScale", errors) }; break;
                case "seed": o = o with { Seed = ReadLong(v, "seed", errors) }; break;
                case "numberresults": o = o with { NumberResults = ReadInt(v, "numberResults", errors) }; break;
                case "outputformat": o = o with { OutputFormat = ReadString(v, "outputFormat", errors) }; break;
                case "outputquality": o = o with { OutputQuality = ReadInt(v, "outputQuality", errors) }; break;
                case "outpaint": o = o with { Outpaint = ReadOutpaint(v, errors) }; break;
                case "preprocess": o = o with { Preprocess = ReadPreprocess(v, errors) }; break;
                case "basemodel": o = o with { BaseModel = ReadString(v, "baseModel", errors) }; break;
                case "maskgrow": o = o with { MaskGrow = ReadInt(v, "maskGrow", errors) }; break;
                case "maskfeather": o = o with { MaskFeather = ReadInt(v, "maskFeather", errors) }; break;
                case "stitch": o = o with { Stitch = ReadBool(v, "stitch", errors) }; break;
                case "context": o = o with { Context = ReadContext(v, errors) }; break;
                case "colormatch": o = o with { ColorMatch = ReadBool(v, "colorMatch", errors) }; break;
                case "callbackurl": o = o with { CallbackUrl = ReadString(v, "callbackUrl", errors) }; break;
                case "callbackevents": o = o with { CallbackEvents = ReadNames(v, "callbackEvents", errors) }; break;
                case "regions": o = o with { Regions = ReadRegions(v, errors) }; break;
                case "safety": o = o with { Safety = ReadSafety(v, errors) }; break;
                case "image" or "mask":
                    errors.Add(new FluxError(ErrorCodes.UnknownField, $"'{name}' cannot be set in an options file: the {name} is the blob next to it.", name));
                    break;
                case "reference" or "references":
                    errors.Add(new FluxError(ErrorCodes.UnknownField, $"'{name}' cannot be set in an options file: the reference image is the blob {{name}}.ref.png next to it.", name));
                    break;
                case "model": o = o with { Model = ReadString(v, "model", errors) }; break;
                case "positiveprompt":
                    errors.Add(new FluxError(ErrorCodes.UnknownField, "Unknown field 'positivePrompt'; the field is called 'prompt'.", name));
                    break;
                default:
                    if (ForbiddenParameters.Contains(name))
                    {
                        forbidden.Add(Canonical(name));
                    }
                    else
                    {
                        errors.Add(new FluxError(ErrorCodes.UnknownField, $"Unknown field '{Trim(name, 64)}'.", Trim(name, 64)));
                    }

                    break;
            }
        }

        return new ParseResult(o with { ForbiddenPresent = forbidden }, errors);
    }

    private static string Canonical(string name) =>
        ForbiddenParameters.First(f => string.Equals(f, name, StringComparison.OrdinalIgnoreCase));

    private static OutpaintOptions? ReadOutpaint(JsonElement v, List<FluxError> errors)
    {
        if (!ExpectObject(v, "outpaint", errors))
        {
            return null;
        }

        int? top = null, right = null, bottom = null, left = null, blur = null;
        foreach (var p in v.EnumerateObject())
        {
            switch (p.Name.ToLowerInvariant())
            {
                case "top": top = ReadInt(p.Value, "outpaint.top", errors); break;
                case "right": right = ReadInt(p.Value, "outpaint.right", errors); break;
                case "bottom": bottom = ReadInt(p.Value, "outpaint.bottom", errors); break;
                case "left": left = ReadInt(p.Value, "outpaint.left", errors); break;
                case "blur": blur = ReadInt(p.Value, "outpaint.blur", errors); break;
                default: errors.Add(Unknown("outpaint." + p.Name)); break;
            }
        }

        return new OutpaintOptions(top, right, bottom, left, blur);
    }

    private static List<RegionOptions>? ReadRegions(JsonElement v, List<FluxError> errors)
    {
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Array)
        {
            errors.Add(WrongType("regions", "an array of {color, prompt} objects", v));
            return null;
        }

        var regions = new List<RegionOptions>();
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            var at = $"regions[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(WrongType(at, "an object such as {\"color\":\"#ff0000\",\"prompt\":\"…\"}", item));
                continue;
            }

            string? color = null, prompt = null;
            foreach (var p in item.EnumerateObject())
            {
                switch (p.Name.ToLowerInvariant())
                {
                    case "color" or "colour": color = ReadString(p.Value, at + ".color", errors); break;
                    case "prompt": prompt = ReadString(p.Value, at + ".prompt", errors); break;
                    case "mask":
                        errors.Add(new FluxError(
                            ErrorCodes.UnknownField,
                            $"'{at}.mask': a region has no mask file of its own; paint every region on the one mask in its own colour and give that colour as '{at}.color'.",
                            at + ".mask"));
                        break;
                    default: errors.Add(Unknown(at + "." + p.Name)); break;
                }
            }

            regions.Add(new RegionOptions(color, prompt));
        }

        return regions;
    }

    private static PreprocessOptions? ReadPreprocess(JsonElement v, List<FluxError> errors)
    {
        if (!ExpectObject(v, "preprocess", errors))
        {
            return null;
        }

        string? mode = null;
        int? low = null, high = null;
        foreach (var p in v.EnumerateObject())
        {
            switch (p.Name.ToLowerInvariant())
            {
                case "mode": mode = ReadString(p.Value, "preprocess.mode", errors); break;
                case "lowthreshold": low = ReadInt(p.Value, "preprocess.lowThreshold", errors); break;
                case "highthreshold": high = ReadInt(p.Value, "preprocess.highThreshold", errors); break;
                default: errors.Add(Unknown("preprocess." + p.Name)); break;
            }
        }

        return new PreprocessOptions(mode, low, high);
    }

    private static ContextOptions? ReadContext(JsonElement v, List<FluxError> errors)
    {
        if (!ExpectObject(v, "context", errors))
        {
            return null;
        }

        string? mode = null;
        double? margin = null;
        foreach (var p in v.EnumerateObject())
        {
            switch (p.Name.ToLowerInvariant())
            {
                case "mode": mode = ReadString(p.Value, "context.mode", errors); break;
                case "margin": margin = ReadDouble(p.Value, "context.margin", errors); break;
                default: errors.Add(Unknown("context." + p.Name)); break;
            }
        }

        return new ContextOptions(mode, margin);
    }

    private static SafetyOptions? ReadSafety(JsonElement v, List<FluxError> errors)
    {
        if (!ExpectObject(v, "safety", errors))
        {
            return null;
        }

        string? check = null, onFlagged = null;
        foreach (var p in v.EnumerateObject())
        {
            switch (p.Name.ToLowerInvariant())
            {
                case "check": check = ReadString(p.Value, "safety.check", errors); break;
                case "onflagged": onFlagged = ReadString(p.Value, "safety.onFlagged", errors); break;
                case "checkcontent" or "checkinputs" or "mode":
                    errors.Add(new FluxError(
                        ErrorCodes.UnknownField,
                        $"'safety.{Trim(p.Name, 32)}' is Runware's field, built by the pipeline: set 'safety.check' to off, outputs or inputs-and-outputs.",
                        "safety." + Trim(p.Name, 32)));
                    break;
                default: errors.Add(Unknown("safety." + p.Name)); break;
            }
        }

        return new SafetyOptions(check, onFlagged);
    }

    private static FluxError Unknown(string path) =>
        new(ErrorCodes.UnknownField, $"Unknown field '{Trim(path, 64)}'.", Trim(path, 64));

    private static bool ExpectObject(JsonElement v, string field, List<FluxError> errors)
    {
        if (v.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        if (v.ValueKind != JsonValueKind.Null)
        {
            errors.Add(WrongType(field, "an object", v));
        }

        return false;
    }

    private static string? ReadString(JsonElement v, string field, List<FluxError> errors)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.String: return v.GetString();
            case JsonValueKind.Null: return null;
            default: errors.Add(WrongType(field, "a string", v)); return null;
        }
    }

    private static IReadOnlyList<string>? ReadStrings(JsonElement v, string field, List<FluxError> errors)
    {
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Array)
        {
            errors.Add(WrongType(field, "an array of images (URLs, data URIs, base64 or blob: references)", v));
            return null;
        }

        var list = new List<string>();
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (ReadString(item, $"{field}[{i++}]", errors) is { } text)
            {
                list.Add(text);
            }
        }

        return list;
    }

    /// <summary>An array of names (<c>callbackEvents</c>): every entry a string (<c>null</c> entries are errors too); null when any is not.</summary>
    private static IReadOnlyList<string>? ReadNames(JsonElement v, string field, List<FluxError> errors)
    {
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Array)
        {
            errors.Add(WrongType(field, "an array of event names (" + string.Join(", ", CallbackEvents.All) + ")", v));
            return null;
        }

        var names = new List<string>();
        var before = errors.Count;
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            var at = $"{field}[{i++}]";
            if (item.ValueKind == JsonValueKind.String)
            {
                names.Add(item.GetString()!);
            }
            else
            {
                errors.Add(WrongType(at, "a string", item));
            }
        }

        // Wrong entries left out would shift the positions later errors name.
        return errors.Count == before ? names : null;
    }

    private static bool? ReadBool(JsonElement v, string field, List<FluxError> errors)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.Null: return null;
            default: errors.Add(WrongType(field, "true or false", v)); return null;
        }
    }

    private static int? ReadInt(JsonElement v, string field, List<FluxError> errors)
    {
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number)
        {
            if (v.TryGetInt32(out var i))
            {
                return i;
            }

            if (v.TryGetDouble(out var d) && Math.Abs(d) <= int.MaxValue && Math.Floor(d) == d)
            {
                return (int)d;
            }

            errors.Add(new FluxError(ErrorCodes.InvalidType, $"'{field}' must be a whole number within the 32-bit range, got {Trim(v.GetRawText(), 32)}.", field));
            return null;
        }

        errors.Add(WrongType(field, "a whole number", v));
        return null;
    }

    private static long? ReadLong(JsonElement v, string field, List<FluxError> errors)
    {
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l))
        {
            return l;
        }

        errors.Add(v.ValueKind == JsonValueKind.Number
            ? new FluxError(ErrorCodes.InvalidType, $"'{field}' must be a whole number within the 64-bit range, got {Trim(v.GetRawText(), 32)}.", field)
            : WrongType(field, "a whole number", v));
        return null;
    }

    private static double? ReadDouble(JsonElement v, string field, List<FluxError> errors)
    {
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d))
        {
            return d;
        }

        errors.Add(WrongType(field, "a number", v));
        return null;
    }

    private static FluxError WrongType(string field, string expected, JsonElement got) =>
        new(ErrorCodes.InvalidType, $"'{field}' must be {expected}, got {Describe(got.ValueKind)}.", field);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Trim(string s, int max = 200) => s.Length <= max ? s : s[..max] + "…";

    private static ParseResult Fail(FluxError error) => new(null, [error]);
}

/// <summary>The outcome of <see cref="EditOptionsParser"/>: the options read so far and every problem found.</summary>
public sealed record ParseResult(EditOptions? Options, IReadOnlyList<FluxError> Errors)
{
    public bool Ok => Errors.Count == 0 && Options is not null;
}
