using System.Text.Json.Serialization;

namespace FluxFunctions.Errors;

/// <summary>
/// A specific, human-readable problem with a job or a request. Travels unchanged from where it is found
/// (validation, image decoding, Runware) to the HTTP problem answer and the failure record.
/// </summary>
/// <param name="Code">A stable camelCase code, e.g. <c>forbiddenParameter</c> or Runware's own code.</param>
/// <param name="Message">What is wrong and, where possible, how to fix it. Never contains a secret.</param>
/// <param name="Parameter">The offending field or parameter, when there is one.</param>
public sealed record FluxError(
    string Code,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Parameter = null)
{
    public override string ToString() => Parameter is null ? $"{Code}: {Message}" : $"{Code} ({Parameter}): {Message}";
}
