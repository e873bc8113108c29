using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Configuration;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator.Dialects;

/// <summary>
/// The answers in force where Runware's docs are silent, read once from the validated settings
/// (<c>GET /emulator/dialect</c> shows them).
/// </summary>
/// <param name="UnknownTask">How an unknown taskUUID is answered.</param>
/// <param name="DuplicateTask">What a repeated taskUUID gets.</param>
/// <param name="WebhookShape">What one webhook POST carries.</param>
/// <param name="VisibleAfterMs">How long an accepted async inference stays unknown to getResponse and getTaskDetails.</param>
internal sealed record Dialect(UnknownTaskDialect UnknownTask, DuplicateTaskDialect DuplicateTask, WebhookShape WebhookShape, int VisibleAfterMs)
{
    /// <summary>The dialect of validated settings (an unparsable name falls back to the default; validation has rejected it already).</summary>
    public static Dialect From(IOptions<EmulatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        UnknownTaskDialects.Names.TryParse(settings.UnknownTask, out var unknownTask);
        DuplicateTaskDialects.Names.TryParse(settings.DuplicateTask, out var duplicateTask);
        WebhookShapes.Names.TryParse(settings.WebhookShape, out var webhookShape);
        return new Dialect(unknownTask, duplicateTask, webhookShape, settings.VisibleAfterMs);
    }

    /// <summary>The settings as <c>GET /emulator/dialect</c> serves them (camelCase setting names, values as configured).</summary>
    public JsonObject ToJson() => new()
    {
        ["unknownTask"] = UnknownTaskDialects.Names.Name(UnknownTask),
        ["duplicateTask"] = DuplicateTaskDialects.Names.Name(DuplicateTask),
        ["webhookShape"] = WebhookShapes.Names.Name(WebhookShape),
        ["visibleAfterMs"] = VisibleAfterMs,
    };
}
