using System.Text.Json;
using FluxFunctions.Emulator.Protocol;

namespace FluxFunctions.Emulator.Validation;

/// <summary>The <c>taskType</c> and <c>taskUUID</c> every task carries.</summary>
/// <param name="TaskType">The task type.</param>
/// <param name="TaskUuidText">The UUID exactly as the client wrote it (echoed back).</param>
/// <param name="TaskUuid">The parsed UUID (the key for duplicates and polling).</param>
internal sealed record TaskHeader(string TaskType, string TaskUuidText, Guid TaskUuid)
{
    /// <summary>The task types the emulator serves.</summary>
    public static readonly IReadOnlyList<string> KnownTypes =
        [TaskTypes.ImageInference, TaskTypes.ImageUpload, TaskTypes.ControlNetPreprocess, TaskTypes.GetResponse, TaskTypes.GetTaskDetails];

    /// <summary>Reads <c>taskType</c> (must be a string) without checking it is known.</summary>
    public static string? ReadType(JsonElement task) =>
        task.TryGetProperty("taskType", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;

    /// <summary>Reads the <c>taskUUID</c> string, if it is one (for attributing errors).</summary>
    public static string? ReadUuidText(JsonElement task) =>
        task.TryGetProperty("taskUUID", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    /// <summary>Checks <c>taskUUID</c> is a UUIDv4; adds the error to <paramref name="fields"/> otherwise.</summary>
    public static TaskHeader? Read(string taskType, TaskFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var text = fields.String("taskUUID", "every task needs a UUIDv4 chosen by the client.");
        if (text is null)
        {
            return null;
        }

        if (!IsUuidV4(text, out var id))
        {
            fields.Add(ErrorCodes.InvalidTaskUuid, "taskUUID", $"Invalid taskUUID '{(text.Length > 40 ? text[..40] + "…" : text)}': it must be a UUIDv4 (xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx).");
            return null;
        }

        return new TaskHeader(taskType, text, id);
    }

    /// <summary>True for a UUID in the canonical 8-4-4-4-12 form with version 4 and the RFC 4122 variant.</summary>
    public static bool IsUuidV4(string text, out Guid id)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Guid.TryParseExact(text, "D", out id) && text[14] == '4' && "89abAB".Contains(text[19], StringComparison.Ordinal);
    }
}

/// <summary>Runware task type names.</summary>
internal static class TaskTypes
{
    public const string ImageInference = "imageInference";
    public const string ImageUpload = "imageUpload";
    public const string ControlNetPreprocess = "controlNetPreprocess";
    public const string GetResponse = "getResponse";
    public const string GetTaskDetails = "getTaskDetails";
    public const string Authentication = "authentication";
}
