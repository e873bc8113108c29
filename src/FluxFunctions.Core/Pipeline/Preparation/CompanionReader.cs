using System.Text;
using FluxFunctions.Core.Callbacks;
using FluxFunctions.Core.Storage;
using FluxFunctions.Errors;
using FluxFunctions.ImageRules;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;

namespace FluxFunctions.Core.Pipeline;

/// <summary>What the companions of a blob job say.</summary>
/// <param name="Ready">True when every required companion is there and the options are valid.</param>
/// <param name="Waiting">Names of required companions still missing.</param>
/// <param name="Spec">The validated options.</param>
/// <param name="Mask">The mask companion, pinned to the version read.</param>
/// <param name="Options">The options companion, pinned to the version read.</param>
/// <param name="Error">A permanent problem (invalid options, missing companion on the final check).</param>
/// <param name="OptionalPending">Only the optional options file is missing (redux, or an image covered by folder defaults).</param>
/// <param name="Defaults">The folder defaults files in force, shallowest first, each pinned to the version read.</param>
/// <param name="References">The reference companion when the tool takes one and it is there, pinned to the version read.</param>
public sealed record Companions(bool Ready, IReadOnlyList<string> Waiting, EditSpec? Spec, BlobRef? Mask, BlobRef? Options, FluxError? Error, bool OptionalPending = false, IReadOnlyList<BlobRef>? Defaults = null, IReadOnlyList<BlobRef>? References = null);

/// <summary>
/// Looks for a blob job's companions (options <c>{name}.json</c>, mask <c>{name}.mask.png</c>, and for the tools that take
/// one the optional reference <c>{name}.ref.png</c>, read when the job is ready), reads and validates
/// the options, and says what is still missing. What is required comes from the tool's description: the options file
/// when the tool needs a prompt (optional otherwise, e.g. redux, and optional for an image covered by folder defaults,
/// <see cref="FolderDefaults"/>), the mask when the tool takes one (unless the options ask for outpainting, where the
/// tool allows that). A <c>callbackUrl</c> in the options passes the same checks as in an HTTP request. Errors in options
/// merged from several files name the file each field came from.
/// </summary>
public sealed class CompanionReader(FluxStorage storage, FolderDefaults folderDefaults, CallbackUrlCheck callbacks, SizeRules sizeRules)
{
    /// <summary>The companions of <paramref name="job"/> as they are now; <paramref name="final"/>: missing ones are an error.</summary>
    public async Task<Companions> ReadAsync(JobRequest job, bool final, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Tool is not { } tool)
        {
            return Fail(new FluxError(ErrorCodes.UnknownTool, $"'{job.BaseName}' is not in a tool folder: use {FluxTools.Known}."));
        }

        var container = storage.Options.InputContainer;
        var waiting = new List<string>();
        var optionalPending = false;
        EditSpec? spec = null;
        BlobRef? optionsRef = null;

        var (defaults, defaultsError) = await folderDefaults.ReadAsync(container, job.BaseName, cancellationToken).ConfigureAwait(false);
        if (defaultsError is not null)
        {
            return Fail(defaultsError);
        }

        var optionsName = job.OptionsCompanion!;
        var optionsEtag = await storage.GetETagAsync(new BlobRef(container, optionsName), cancellationToken).ConfigureAwait(false);
        if (defaults.Count > 0)
        {
            // Covered by folder defaults: the image's own options are optional (the short wait), merged over the defaults.
            OptionLayer? own = null;
            if (optionsEtag is not null)
            {
                var (layer, error) = await folderDefaults.ReadLayerAsync(new BlobRef(container, optionsName, optionsEtag), cancellationToken).ConfigureAwait(false);
                if (error is not null)
                {
                    return Fail(error);
                }

                own = layer;
                optionsRef = layer!.Blob;
            }
            else
            {
                optionalPending = true;
            }

            var merged = ValidateLayers([.. defaults, .. own is null ? [] : new[] { own }], tool, optionsName);
            if (merged.Error is not null && (own is not null || final))
            {
                return Fail(merged.Error);
            }

            // Defaults alone that do not validate yet (no prompt, say) may be completed by the image's own options.
            spec = merged.Spec;
        }
        else if (optionsEtag is null)
        {
            if (tool.Describe().OptionsOptional)
            {
                optionalPending = true;
                spec = new EditSpec { Tool = tool, Safety = storage.Options.Safety.ToSpec() };
            }
            else
            {
                waiting.Add(optionsName);
            }
        }
        else
        {
            optionsRef = new BlobRef(container, optionsName, optionsEtag);
            var (content, readError) = await folderDefaults.ReadFileAsync(optionsRef, cancellationToken).ConfigureAwait(false);
            if (content is null)
            {
                return Fail(readError!);
            }

            (spec, var errors) = Validate(EditOptionsParser.Parse(content.Data, allowImages: false), tool);
            if (errors.Count > 0)
            {
                return Fail(Summarise(BlobNames.Printable(optionsName), errors));
            }
        }

        BlobRef? maskRef = null;
        var mask = tool.Describe().Mask;
        var needsMask = tool.Describe().NeedsMask(outpaints: spec?.Outpaint is not null);
        if (needsMask || (mask != MaskUse.None && spec is null))
        {
            var maskName = job.MaskCompanion!;
            var maskEtag = await storage.GetETagAsync(new BlobRef(container, maskName), cancellationToken).ConfigureAwait(false);
            if (maskEtag is null)
            {
                if (spec is not null)
                {
                    waiting.Add(maskName);
                }
            }
            else
            {
                maskRef = new BlobRef(container, maskName, maskEtag);
            }
        }

        if (waiting.Count > 0 && final)
        {
            var names = string.Join(" and ", waiting.Select(w => $"'{BlobNames.Printable(w)}'"));
            var seconds = job.Settings.CompanionWaitSeconds;
            return Fail(new FluxError(
                ErrorCodes.MissingCompanion,
                $"The job waited {seconds} s for {names} next to '{BlobNames.Printable(job.Image.Name)}' and it did not arrive. Upload it, then upload the image again to start a new job.",
                waiting[0]));
        }

        var ready = waiting.Count == 0 && (!optionalPending || final);
        IReadOnlyList<BlobRef>? references = null;
        if (ready && tool.Describe().MaxReferences > 0 && job.ReferenceCompanion is { } referenceName
            && await storage.GetETagAsync(new BlobRef(container, referenceName), cancellationToken).ConfigureAwait(false) is { } referenceEtag)
        {
            // Optional: read when the job is ready, so it must be there by then (uploaded before the image or its last required companion).
            references = [new BlobRef(container, referenceName, referenceEtag)];
        }

        return new Companions(ready, waiting, ready ? spec : null, maskRef, optionsRef, null, optionalPending, defaults.Count > 0 ? [.. defaults.Select(d => d.Blob)] : null, references);
    }

    /// <summary>
    /// The options merged from <paramref name="layers"/> (defaults, then the image's own), validated for the tool; each
    /// error names the file its field came from (a field set nowhere: the image's options file, which could give it).
    /// </summary>
    private (EditSpec? Spec, FluxError? Error) ValidateLayers(IReadOnlyList<OptionLayer> layers, FluxTool tool, string optionsName)
    {
        var (merged, sourceOf) = OptionsMerge.Merge(layers.Select(l => (BlobNames.Printable(l.Blob.Name), l.Options)));
        var (spec, errors) = Validate(EditOptionsParser.Parse(System.Text.Json.JsonSerializer.SerializeToElement(merged), allowImages: false), tool);

        if (errors.Count == 0)
        {
            return (spec, null);
        }

        var fallback = BlobNames.Printable(optionsName) + " (or a " + FolderDefaults.FileName + " above it)";
        var named = errors.Select(e => e with { Message = $"{SourceOf(e, sourceOf) ?? fallback}: {e.Message}" }).ToList();
        return (null, named.Count == 1 ? named[0] : Summarise($"The options of '{BlobNames.Printable(optionsName)}'", named));
    }

    /// <summary>Parsed options validated for the tool, the callback URL checked as in an HTTP request; no spec when anything is wrong.</summary>
    private (EditSpec? Spec, List<FluxError> Errors) Validate(ParseResult parsed, FluxTool tool)
    {
        var errors = parsed.Errors.ToList();
        EditSpec? spec = null;
        if (parsed.Options is not null)
        {
            var validated = EditSpecValidator.Validate(parsed.Options, tool, sizeRules, storage.Options.Safety.ToSpec());
            errors.AddRange(validated.Errors);
            spec = validated.Spec;
            if (!errors.Exists(e => e.Parameter == CallbackUrlCheck.Field) && callbacks.Check(parsed.Options.CallbackUrl) is { } callbackError)
            {
                errors.Add(callbackError);
            }
        }

        return (errors.Count == 0 ? spec : null, errors);
    }

    /// <summary>The file that gave the top-level field an error is about, if any gave it.</summary>
    private static string? SourceOf(FluxError error, IReadOnlyDictionary<string, string> sourceOf)
    {
        if (error.Parameter is not { Length: > 0 } parameter)
        {
            return null;
        }

        var end = parameter.IndexOfAny(['.', '[']);
        return sourceOf.TryGetValue(end < 0 ? parameter : parameter[..end], out var source) ? source : null;
    }

    internal static FluxError Summarise(string file, List<FluxError> errors)
    {
        var first = errors[0];
        if (errors.Count == 1)
        {
            return first with { Message = $"{file}: {first.Message}" };
        }

        var sb = new StringBuilder($"{file} has {errors.Count} problems: ");
        sb.AppendJoin(" ", errors.Select((e, i) => $"({i + 1}) {e.Message}"));
        return first with { Message = sb.ToString() };
    }

    private static Companions Fail(FluxError error) => new(false, [], null, null, null, error);
}
