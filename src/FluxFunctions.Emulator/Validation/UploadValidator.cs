using System.Collections.Frozen;
using FluxFunctions.Emulator.Images;

namespace FluxFunctions.Emulator.Validation;

/// <summary>A validated <c>imageUpload</c> task.</summary>
internal sealed record UploadRequest(string TaskUuid, ResolvedImage Image, Uri? WebhookUrl);

/// <summary>Validates an <c>imageUpload</c> task and resolves its image.</summary>
internal sealed class UploadValidator(ImageResolver resolver)
{
    private static readonly FrozenSet<string> Allowed = FrozenSet.Create(StringComparer.Ordinal, "taskType", "taskUUID", "image", "webhookURL");

    /// <summary>Validates the task; returns the request, or null when <paramref name="fields"/> holds errors.</summary>
    public async Task<UploadRequest?> ValidateAsync(TaskFields fields, TaskHeader? header, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        fields.RejectUnknown(Allowed);
        var webhook = fields.HttpUrl("webhookURL");
        ResolvedImage? image = null;
        if (fields.String("image", "imageUpload needs the image as a data URI, base64 or an http(s) URL.") is { } reference)
        {
            var (resolved, error) = await resolver.ResolveAsync(reference, "image", cancellationToken);
            if (error is not null)
            {
                fields.Add(error);
            }

            image = resolved;
        }

        return fields.IsValid && header is not null && image is not null ? new UploadRequest(header.TaskUuidText, image, webhook) : null;
    }
}
