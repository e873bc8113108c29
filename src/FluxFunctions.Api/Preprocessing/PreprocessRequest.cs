using System.Text.Json;
using FluxFunctions.Errors;
using FluxFunctions.Requests;
using Microsoft.AspNetCore.Http;

namespace FluxFunctions.Api.Preprocessing;

/// <summary>A checked <c>POST /api/preprocess/{kind}</c> request.</summary>
public sealed record PreprocessRequest(bool Depth, ImageSource Image, PreprocessMode Mode, int LowThreshold, int HighThreshold);

/// <summary>
/// Reads <c>POST /api/preprocess/{canny|depth}</c>: JSON <c>{image, mode, lowThreshold, highThreshold}</c> (the fields of an
/// edit's <c>preprocess</c> object, plus the image), or multipart with an <c>image</c> file and an optional <c>options</c>
/// field holding that JSON without the image. Canny runs locally by default (<c>mode: runware</c> asks Runware); depth
/// runs on Runware only. Every problem is reported at once.
/// </summary>
public static class PreprocessRequestReader
{
    public static async Task<PreprocessRequest> ReadAsync(HttpRequest request, bool depth, ImageInputLoader loader, long maxRequestBytes, long maxImageBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(loader);
        var errors = new List<FluxError>();
        ImageInput? image = null;
        JsonElement? fields = null;
        JsonDocument? doc = null;
        try
        {
            if (RequestBodies.KindOf(request, maxRequestBytes) == BodyKind.Json)
            {
                doc = await RequestBodies.ReadJsonAsync(request, maxRequestBytes, cancellationToken).ConfigureAwait(false);
                fields = doc.RootElement;
            }
            else
            {
                var form = await RequestBodies.ReadFormAsync(request, maxRequestBytes, cancellationToken).ConfigureAwait(false);
                foreach (var key in form.Keys.Concat(form.Files.Select(f => f.Name)).Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    if (key is not ("image" or "options"))
                    {
                        errors.Add(new FluxError(ErrorCodes.UnknownField, $"Unknown form part '{Clip(key)}': send an 'image' file and optionally an 'options' field.", Clip(key)));
                    }
                }

                if (form.Files.GetFile("image") is { } file)
                {
                    try
                    {
                        image = new ImageInput("image", null, await RequestBodies.ReadFileAsync(file, "image", maxImageBytes, cancellationToken).ConfigureAwait(false), file.FileName);
                    }
                    catch (PermanentFluxException ex)
                    {
                        errors.AddRange(ex.Errors);
                    }
                }
                else if (form["image"].Count == 1)
                {
                    image = new ImageInput("image", form["image"][0], null, null);
                }

                if (form["options"].Count == 1)
                {
                    try
                    {
                        doc = JsonDocument.Parse(form["options"][0] ?? "", new JsonDocumentOptions { MaxDepth = 8 });
                        fields = doc.RootElement;
                    }
                    catch (JsonException)
                    {
                        errors.Add(new FluxError(ErrorCodes.InvalidJson, "'options' is not valid JSON.", "options"));
                    }
                }
            }

            return Check(depth, fields, image, loader, errors);
        }
        finally
        {
            doc?.Dispose();
        }
    }

    private static PreprocessRequest Check(bool depth, JsonElement? fields, ImageInput? image, ImageInputLoader loader, List<FluxError> errors)
    {
        string? mode = null;
        int? low = null, high = null;
        if (fields is { } root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new FluxError(ErrorCodes.InvalidJson, "The body must be a JSON object."));
            }
            else
            {
                foreach (var p in root.EnumerateObject())
                {
                    switch (p.Name)
                    {
                        case "image" when image is null && p.Value.ValueKind == JsonValueKind.String:
                            image = new ImageInput("image", p.Value.GetString(), null, null);
                            break;
                        case "image":
                            errors.Add(new FluxError(ErrorCodes.InvalidType, "'image' must be a string given once.", "image"));
                            break;
                        case "mode" when p.Value.ValueKind == JsonValueKind.String:
                            mode = p.Value.GetString();
                            break;
                        case "lowThreshold" when p.Value.TryGetInt32(out var l):
                            low = l;
                            break;
                        case "highThreshold" when p.Value.TryGetInt32(out var h):
                            high = h;
                            break;
                        case "mode" or "lowThreshold" or "highThreshold":
                            errors.Add(new FluxError(ErrorCodes.InvalidType, $"'{p.Name}' must be {(p.Name == "mode" ? "a string" : "a whole number")}.", p.Name));
                            break;
                        default:
                            errors.Add(new FluxError(ErrorCodes.UnknownField, $"Unknown field '{Clip(p.Name)}': preprocess takes image, mode, lowThreshold and highThreshold.", Clip(p.Name)));
                            break;
                    }
                }
            }
        }

        var resolved = depth ? PreprocessMode.Runware : PreprocessMode.Local;
        switch (mode?.Trim().ToLowerInvariant())
        {
            case null:
                break;
            case "runware":
                resolved = PreprocessMode.Runware;
                break;
            case "local" when !depth:
                resolved = PreprocessMode.Local;
                break;
            case "local":
                errors.Add(new FluxError(ErrorCodes.InvalidValue, "Depth has no local preprocessor: use mode 'runware' (Runware's depth estimator).", "mode"));
                break;
            default:
                errors.Add(new FluxError(ErrorCodes.InvalidValue, $"'mode' must be {(depth ? "runware" : "local or runware")}.", "mode"));
                break;
        }

        if (depth && (low is not null || high is not null))
        {
            errors.Add(new FluxError(ErrorCodes.ForbiddenParameter, "Thresholds apply to canny only.", low is not null ? "lowThreshold" : "highThreshold"));
        }

        foreach (var (value, name) in new[] { (low, "lowThreshold"), (high, "highThreshold") })
        {
            if (value is < 0 or > 255)
            {
                errors.Add(new FluxError(ErrorCodes.OutOfRange, $"'{name}' must be between 0 and 255, got {value}.", name));
            }
        }

        var lo = low ?? EditDefaults.CannyLow;
        var hi = high ?? EditDefaults.CannyHigh;
        if (lo is >= 0 and <= 255 && hi is >= 0 and <= 255 && lo > hi)
        {
            errors.Add(new FluxError(ErrorCodes.InvalidValue, $"'lowThreshold' ({lo}) must not exceed 'highThreshold' ({hi}).", "lowThreshold"));
        }

        if (image is null && !errors.Exists(e => e.Parameter == "image"))
        {
            errors.Add(new FluxError(ErrorCodes.MissingField, "'image' is required: an https URL, a data URI, base64, blob:{container}/{name}, or a multipart file.", "image"));
        }

        ImageSource? source = null;
        if (image is not null)
        {
            try
            {
                source = loader.Parse(image);
            }
            catch (PermanentFluxException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        if (errors.Count > 0 || source is null)
        {
            throw new PermanentFluxException(errors);
        }

        return new PreprocessRequest(depth, source, resolved, lo, hi);
    }

    private static string Clip(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
