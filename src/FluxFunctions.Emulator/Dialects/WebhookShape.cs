using FluxFunctions.Emulator.Configuration;

namespace FluxFunctions.Emulator.Dialects;

/// <summary>What one webhook POST carries (<c>Emulator:WebhookShape</c>). Runware documents one call per result but not the failure body.</summary>
internal enum WebhookShape
{
    /// <summary>One POST per result entry or error object, the bare object (the emulator's original shape).</summary>
    PerResult,

    /// <summary>One POST per finished task: <c>{"data":[every result entry]}</c> or <c>{"errors":[...]}</c>.</summary>
    PerTask,
}

/// <summary>The setting names of <see cref="WebhookShape"/>.</summary>
internal static class WebhookShapes
{
    public static NamedValues<WebhookShape> Names { get; } = new(
        (WebhookShape.PerResult, "perResult"),
        (WebhookShape.PerTask, "perTask"));
}
