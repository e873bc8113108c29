using System.Text;
using FluxFunctions.Errors;
using FluxFunctions.Requests;
using Microsoft.AspNetCore.Http;

namespace FluxFunctions.Api;

/// <summary>
/// Reads <c>POST /api/edits</c>: a JSON body (the fields of SPEC §3, images as text), or multipart/form-data with files
/// <c>image</c> and <c>mask</c> and a field <c>options</c> holding the same JSON (images may also be given there or as
/// text fields). Every problem found is collected, not only the first.
/// </summary>
public static class EditRequestReader
{
    private static readonly string[] Parts = ["options", "image", "mask", "reference", "references"];

    public static async Task<EditSubmission> ReadAsync(HttpRequest request, long maxRequestBytes, long maxImageBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RequestBodies.KindOf(request, maxRequestBytes) == BodyKind.Json)
        {
            using var doc = await RequestBodies.ReadJsonAsync(request, maxRequestBytes, cancellationToken).ConfigureAwait(false);
            var parsed = EditOptionsParser.Parse(doc.RootElement, allowImages: true);
            var options = parsed.Options;
            return new EditSubmission(
                options,
                options?.Image is { } imageText ? new ImageInput("image", imageText, null, null) : null,
                options?.Mask is { } maskText ? new ImageInput("mask", maskText, null, null) : null,
                parsed.Errors,
                TextReferences(options));
        }

        var form = await RequestBodies.ReadFormAsync(request, maxRequestBytes, cancellationToken).ConfigureAwait(false);
        var errors = new List<FluxError>();
        foreach (var key in form.Keys.Concat(form.Files.Select(f => f.Name)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (!Parts.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(new FluxError(ErrorCodes.UnknownField, $"Unknown form part '{Clip(key)}': send 'image' and 'mask' files and an 'options' field with the JSON options.", Clip(key)));
            }
        }

        EditOptions? parsedOptions = new();
        var optionsBytes = await ReadOptionsAsync(form, errors, cancellationToken).ConfigureAwait(false);
        if (optionsBytes is not null)
        {
            var parsed = EditOptionsParser.Parse(optionsBytes, allowImages: true);
            errors.AddRange(parsed.Errors.Select(e => e.Parameter is null ? e with { Parameter = "options" } : e));
            parsedOptions = parsed.Options;
        }

        var image = await ReadImageAsync(form, "image", parsedOptions?.Image, maxImageBytes, errors, cancellationToken).ConfigureAwait(false);
        var maskInput = await ReadImageAsync(form, "mask", parsedOptions?.Mask, maxImageBytes, errors, cancellationToken).ConfigureAwait(false);
        var references = new List<ImageInput>();
        if (await ReadImageAsync(form, "reference", parsedOptions?.Reference, maxImageBytes, errors, cancellationToken).ConfigureAwait(false) is { } reference)
        {
            references.Add(reference);
        }

        references.AddRange(TextReferences(parsedOptions is null ? null : parsedOptions with { Reference = null }));
        var i = references.Count;
        foreach (var file in form.Files.GetFiles("references"))
        {
            try
            {
                var field = $"references[{i++}]";
                references.Add(new ImageInput(field, null, await RequestBodies.ReadFileAsync(file, field, maxImageBytes, cancellationToken).ConfigureAwait(false), file.FileName));
            }
            catch (PermanentFluxException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        foreach (var text in form["references"])
        {
            references.Add(new ImageInput($"references[{i++}]", text, null, null));
        }

        // The count rule counts every reference, however it came (the options' array, files, form fields).
        if (parsedOptions is not null && form.Files.GetFiles("references").Count + form["references"].Count > 0)
        {
            parsedOptions = parsedOptions with { References = [.. references.Where(r => r.Field != "reference").Select(r => r.Text ?? r.FileName ?? "file")] };
        }

        return new EditSubmission(parsedOptions, image, maskInput, errors, references);
    }

    /// <summary>The references given as text in the options: <c>reference</c> (fill) and <c>references</c> (kontext).</summary>
    private static List<ImageInput> TextReferences(EditOptions? options)
    {
        var list = new List<ImageInput>();
        if (options?.Reference is { } reference)
        {
            list.Add(new ImageInput("reference", reference, null, null));
        }

        for (var i = 0; i < (options?.References?.Count ?? 0); i++)
        {
            list.Add(new ImageInput($"references[{i}]", options!.References![i], null, null));
        }

        return list;
    }

    private static async Task<byte[]?> ReadOptionsAsync(IFormCollection form, List<FluxError> errors, CancellationToken cancellationToken)
    {
        var files = form.Files.GetFiles("options");
        var texts = form["options"];
        if (files.Count + texts.Count > 1)
        {
            errors.Add(new FluxError(ErrorCodes.InvalidValue, "'options' is given more than once; send one JSON document.", "options"));
            return null;
        }

        if (files.Count == 1)
        {
            try
            {
                return await RequestBodies.ReadFileAsync(files[0], "options", EditOptionsParser.MaxJsonBytes, cancellationToken).ConfigureAwait(false);
            }
            catch (PermanentFluxException ex)
            {
                errors.AddRange(ex.Errors);
                return null;
            }
        }

        return texts.Count == 1 ? Encoding.UTF8.GetBytes(texts[0] ?? "") : null;
    }

    private static async Task<ImageInput?> ReadImageAsync(IFormCollection form, string field, string? fromOptions, long maxBytes, List<FluxError> errors, CancellationToken cancellationToken)
    {
        var files = form.Files.GetFiles(field);
        var texts = form[field];
        var given = files.Count + texts.Count + (fromOptions is null ? 0 : 1);
        if (given > 1)
        {
            errors.Add(new FluxError(ErrorCodes.InvalidValue, $"'{field}' is given more than once (as a file, a form field or in the options); send it once.", field));
            return null;
        }

        if (files.Count == 1)
        {
            try
            {
                var bytes = await RequestBodies.ReadFileAsync(files[0], field, maxBytes, cancellationToken).ConfigureAwait(false);
                return new ImageInput(field, null, bytes, files[0].FileName);
            }
            catch (PermanentFluxException ex)
            {
                errors.AddRange(ex.Errors);
                return null;
            }
        }

        var text = texts.Count == 1 ? texts[0] : fromOptions;
        return text is null ? null : new ImageInput(field, text, null, null);
    }

    private static string Clip(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
