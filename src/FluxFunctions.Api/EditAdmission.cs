using FluxFunctions.Core.Callbacks;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Errors;
using FluxFunctions.ImageRules;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Api;

/// <summary>A request that passed every check: the validated spec and the loaded images.</summary>
/// <param name="References">The reference images (fill's <c>reference</c>, kontext's <c>references</c>), loaded and checked like the image.</param>
public sealed record AdmittedEdit(EditSpec Spec, LoadedImage Image, LoadedImage? Mask, IReadOnlyList<LoadedImage>? References = null);

/// <summary>
/// Decides whether an edit request may start a job, reporting every problem at once: first all that needs no I/O (JSON
/// types, tool rules, which images the tool needs, image source forms, callback URL), then — only when that passed —
/// loading both images concurrently and checking them.
/// </summary>
public sealed class EditAdmission(ImageInputLoader loader, CallbackUrlCheck callbacks, IOptions<FluxOptions> flux, SizeRules sizeRules)
{
    public async Task<AdmittedEdit> AdmitAsync(EditSubmission submission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var errors = submission.Errors.ToList();
        EditSpec? spec = null;
        FluxTool? tool = null;
        if (submission.Options is { } options)
        {
            var validated = EditSpecValidator.Validate(options, sizeRules: sizeRules, safetyDefault: flux.Value.Safety.ToSpec());
            errors.AddRange(validated.Errors);
            spec = validated.Spec;
            tool = spec?.Tool ?? (FluxTools.TryParse(options.Tool, out var t) ? t : null);
            if (!errors.Exists(e => e.Parameter == CallbackUrlCheck.Field) && callbacks.Check(options.CallbackUrl) is { } callbackError)
            {
                errors.Add(callbackError);
            }
        }

        if (submission.Options is not null && submission.Image is null && !errors.Exists(e => e.Parameter == "image"))
        {
            errors.Add(new FluxError(ErrorCodes.MissingField, "'image' is required: an https URL, a data URI, base64, blob:{container}/{name}, or a multipart file.", "image"));
        }

        var description = tool?.Describe();
        if (description is not null && description.NeedsMask(outpaints: submission.Options?.Outpaint is not null) && submission.Mask is null && !errors.Exists(e => e.Parameter == "mask"))
        {
            errors.Add(new FluxError(ErrorCodes.MissingField, description.MaskRequiredMessage, "mask"));
        }
        else if (description is { TakesMask: false } && submission.Mask is not null)
        {
            errors.Add(new FluxError(ErrorCodes.ForbiddenParameter, $"'mask' applies to {ToolCatalog.Taking(ToolFields.Mask)} only, not to {description.Name}.", "mask"));
        }

        var imageSource = TryParse(submission.Image, errors);
        var maskSource = TryParse(submission.Mask, errors);
        var referenceSources = (submission.References ?? []).Select(r => TryParse(r, errors)).OfType<ImageSource>().ToList();
        if (errors.Count > 0 || spec is null || imageSource is null)
        {
            throw new PermanentFluxException(errors.Count > 0 ? errors : [new FluxError(ErrorCodes.InvalidJson, "The request holds no options.")]);
        }

        var imageTask = Load(imageSource, cancellationToken);
        var maskTask = maskSource is null ? Task.FromResult<(LoadedImage?, FluxError?)>((null, null)) : Load(maskSource, cancellationToken);
        var referenceTasks = referenceSources.Select(r => Load(r, cancellationToken)).ToList();
        var (image, imageError) = await imageTask.ConfigureAwait(false);
        var (mask, maskError) = await maskTask.ConfigureAwait(false);
        var references = await Task.WhenAll(referenceTasks).ConfigureAwait(false);
        var loadErrors = new[] { imageError, maskError }.Concat(references.Select(r => r.Item2)).OfType<FluxError>().ToList();
        if (loadErrors.Count > 0)
        {
            throw new PermanentFluxException(loadErrors);
        }

        return new AdmittedEdit(spec, image!, mask, references.Length > 0 ? [.. references.Select(r => r.Item1!)] : null);
    }

    private ImageSource? TryParse(ImageInput? input, List<FluxError> errors)
    {
        if (input is null)
        {
            return null;
        }

        try
        {
            return loader.Parse(input);
        }
        catch (PermanentFluxException ex)
        {
            errors.AddRange(ex.Errors);
            return null;
        }
    }

    private async Task<(LoadedImage?, FluxError?)> Load(ImageSource source, CancellationToken cancellationToken)
    {
        try
        {
            return (await loader.LoadAsync(source, cancellationToken).ConfigureAwait(false), null);
        }
        catch (PermanentFluxException ex)
        {
            return (null, ex.First);
        }
    }
}
