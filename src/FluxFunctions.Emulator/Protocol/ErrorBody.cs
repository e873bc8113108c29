using System.Text.Json.Nodes;

namespace FluxFunctions.Emulator.Protocol;

/// <summary>Writes Runware-shaped JSON answers.</summary>
internal static class ErrorBody
{
    /// <summary><c>{"errors":[{code, message}]}</c> for a request-level error.</summary>
    public static string Single(string code, string message, string? parameter = null) =>
        new JsonObject { ["errors"] = new JsonArray(new RunwareError(code, message, parameter).ToJson()) }.ToJsonString(JsonOutput.Options);

    /// <summary>Writes a request-level error answer.</summary>
    public static Task WriteAsync(HttpResponse response, int status, string code, string message, CancellationToken cancellationToken, string? parameter = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = status;
        response.ContentType = "application/json";
        return response.WriteAsync(Single(code, message, parameter), cancellationToken);
    }
}
