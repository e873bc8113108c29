using System.Text.Json;
using FluxFunctions.Emulator.Validation;

namespace FluxFunctions.Emulator.Faults;

/// <summary>
/// Where the <c>forget</c> fault applies: to a request holding at least one async imageInference. Any other request
/// drawing it is served normally (and the fault is not counted).
/// </summary>
internal static class ForgetFault
{
    /// <summary>True when the body is an array holding an imageInference task with <c>deliveryMethod</c> async.</summary>
    public static bool AppliesTo(JsonDocument? body)
    {
        if (body?.RootElement is not { ValueKind: JsonValueKind.Array } tasks)
        {
            return false;
        }

        foreach (var task in tasks.EnumerateArray())
        {
            if (task.ValueKind == JsonValueKind.Object
                && TaskHeader.ReadType(task) == TaskTypes.ImageInference
                && task.TryGetProperty("deliveryMethod", out var delivery)
                && delivery.ValueKind == JsonValueKind.String
                && string.Equals(delivery.GetString(), "async", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
