using FluxFunctions.Requests;

namespace FluxFunctions.Core.Configuration;

/// <summary>The deployment's content safety default, section <c>Flux:Safety</c>: what a job without its own <c>safety</c> runs with.</summary>
public sealed class SafetyDefaults
{
    /// <summary>What Runware checks: <c>off</c>, <c>outputs</c> or <c>inputs-and-outputs</c>. Default <c>off</c>.</summary>
    public string Check { get; set; } = "off";

    /// <summary>What a flagged result does: <c>fail</c>, <c>quarantine</c> or <c>record</c>. Default <c>fail</c>.</summary>
    public string OnFlagged { get; set; } = "fail";

    /// <summary>The settings as a policy (valid once <see cref="SafetyOptionsValidator"/> passed; unknown names read as the defaults).</summary>
    public SafetySpec ToSpec() => new(
        SafetySpec.CheckNames.TryGetValue(Check.Trim(), out var check) ? check : SafetyCheck.Off,
        SafetySpec.ActionNames.TryGetValue(OnFlagged.Trim(), out var action) ? action : SafetyAction.Fail);
}
