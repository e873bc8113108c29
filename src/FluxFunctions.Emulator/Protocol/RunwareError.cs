using System.Text.Json.Nodes;

namespace FluxFunctions.Emulator.Protocol;

/// <summary>One entry of Runware's <c>errors</c> array.</summary>
/// <param name="Code">A camelCase code, see <see cref="ErrorCodes"/>.</param>
/// <param name="Message">A human-readable explanation (never contains the API key).</param>
/// <param name="Parameter">The offending parameter, when there is one.</param>
/// <param name="TaskType">The task type the error belongs to.</param>
/// <param name="TaskUuid">The task UUID the error belongs to.</param>
/// <param name="Status">Set to <c>error</c> for a failed inference reported by <c>getResponse</c> or a webhook.</param>
internal sealed record RunwareError(
    string Code,
    string Message,
    string? Parameter = null,
    string? TaskType = null,
    string? TaskUuid = null,
    string? Status = null)
{
    /// <summary>The link to the documentation of this error's task type and parameter (see <see cref="DocumentationLinks"/>).</summary>
    public string Documentation => DocumentationLinks.For(Code, TaskType, Parameter);

    /// <summary>The same error attributed to a task.</summary>
    public RunwareError ForTask(string? taskType, string? taskUuid) =>
        this with { TaskType = TaskType ?? taskType, TaskUuid = TaskUuid ?? taskUuid };

    /// <summary>The JSON object as Runware writes it.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["code"] = Code,
            ["message"] = Message,
        };
        if (Parameter is not null)
        {
            json["parameter"] = Parameter;
        }

        if (TaskType is not null)
        {
            json["taskType"] = TaskType;
        }

        if (TaskUuid is not null)
        {
            json["taskUUID"] = TaskUuid;
        }

        if (Status is not null)
        {
            json["status"] = Status;
        }

        json["documentation"] = Documentation;
        return json;
    }
}
