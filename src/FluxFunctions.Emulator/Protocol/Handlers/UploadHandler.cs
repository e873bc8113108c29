using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Images;
using FluxFunctions.Emulator.Inspection;
using FluxFunctions.Emulator.Validation;

namespace FluxFunctions.Emulator.Protocol.Handlers;

/// <summary><c>imageUpload</c>: stores the image and answers its <c>imageUUID</c> and URL.</summary>
internal sealed class UploadHandler(UploadValidator validator, Duplicates duplicates, ImageStore store, EmulatorStats stats, TaskAnswers answers) : ITaskHandler
{
    public string TaskType => TaskTypes.ImageUpload;

    public async Task<HandledTask> HandleAsync(TaskFields fields, TaskHeader? header, RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = await validator.ValidateAsync(fields, header, cancellationToken);
        if (request is null || header is null)
        {
            return HandledTask.Rejected(fields);
        }

        if (duplicates.Register(header, fields) is { } duplicate)
        {
            return duplicate;
        }

        var image = request.Image;
        var stored = image.StoredAs ?? Store(image);
        stats.Uploaded(image.Bytes.LongLength);
        var entry = new JsonObject
        {
            ["taskType"] = TaskType,
            ["taskUUID"] = request.TaskUuid,
        };
        ResultEntries.AddImage(entry, "image", stored, OutputType.Url, context.PublicBaseUrl);
        return HandledTask.Done(answers.Answered(header, TaskOutcome.Ok(entry), request.WebhookUrl));
    }

    /// <summary>Keeps PNG, JPG and WEBP as sent; re-encodes other formats as PNG.</summary>
    private StoredImage Store(ResolvedImage image)
    {
        if (image.Format is { } format)
        {
            return store.Add(image.Bytes, format, image.Width, image.Height);
        }

        using var bitmap = ImageCodec.Decode(image.Bytes);
        return store.Add(ImageCodec.Encode(bitmap, ImageFormat.Png, 100), ImageFormat.Png, bitmap.Width, bitmap.Height);
    }
}
