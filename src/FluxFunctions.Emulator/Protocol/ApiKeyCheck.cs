using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FluxFunctions.Emulator.Configuration;
using FluxFunctions.Emulator.Validation;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator.Protocol;

/// <summary>
/// Checks the API key when <c>Emulator:ApiKey</c> is set: <c>Authorization: Bearer &lt;key&gt;</c>, or an
/// <c>{"taskType":"authentication","apiKey":...}</c> task in the body as Runware also accepts. Constant-time comparison.
/// </summary>
internal sealed class ApiKeyCheck(IOptions<EmulatorOptions> options)
{
    private readonly byte[]? expected = options.Value.RequiresApiKey ? Encoding.UTF8.GetBytes(options.Value.ApiKey) : null;

    /// <summary>True when no key is configured or the request carries the right one.</summary>
    public bool IsAuthorized(HttpRequest request, JsonDocument? body)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (expected is null)
        {
            return true;
        }

        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Matches(header[7..].Trim()))
        {
            return true;
        }

        if (body?.RootElement is { ValueKind: JsonValueKind.Array } tasks)
        {
            foreach (var task in tasks.EnumerateArray())
            {
                if (task.ValueKind == JsonValueKind.Object
                    && TaskHeader.ReadType(task) == TaskTypes.Authentication
                    && task.TryGetProperty("apiKey", out var key)
                    && key.ValueKind == JsonValueKind.String
                    && Matches(key.GetString()!))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool Matches(string candidate) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), expected);
}
