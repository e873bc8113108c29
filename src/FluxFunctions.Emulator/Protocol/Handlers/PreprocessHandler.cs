using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Images;
using FluxFunctions.Emulator.Inspection;
using FluxFunctions.Emulator.Tasks;
using FluxFunctions.Emulator.Validation;

namespace FluxFunctions.Emulator.Protocol.Handlers;

/// <summary>
/// <c>controlNetPreprocess</c>: makes the canny or depth guide at once and answers its UUID and image. The guide's
/// encoding goes through <see cref="EncodedImageCache"/> like an inference's: the same photo's guide (a benchmark
/// batch) is encoded once, since the emulator's CPU competes with the pipeline's on the machine that runs both.
/// </summary>
internal sealed class PreprocessHandler(PreprocessValidator validator, Duplicates duplicates, ImageStore store, EncodedImageCache encoded, EmulatorStats stats, TaskAnswers answers) : ITaskHandler
{
    public string TaskType => TaskTypes.ControlNetPreprocess;

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

        StoredImage guide;
        using (var bitmap = Preprocessor.Run(request))
        {
            guide = store.Add(encoded.Encode(bitmap, request.OutputFormat, request.OutputQuality), request.OutputFormat, bitmap.Width, bitmap.Height);
        }

        var input = request.Input.StoredAs
            ?? store.Add(request.Input.Bytes, request.Input.Format ?? ImageFormat.Png, request.Input.Width, request.Input.Height);
        stats.Preprocessed();

        var entry = new JsonObject
        {
            ["taskType"] = TaskType,
            ["taskUUID"] = request.TaskUuid,
        };
        ResultEntries.AddImage(entry, "guideImage", guide, request.OutputType, context.PublicBaseUrl);
        entry["inputImageUUID"] = input.IdText;
        if (request.IncludeCost)
        {
            entry["cost"] = Pricing.Preprocess;
        }

        return HandledTask.Done(answers.Answered(header, TaskOutcome.Ok(entry), request.WebhookUrl));
    }
}
