using System.Text.Json.Serialization;

namespace FluxFunctions.Requests;

/// <summary>What Runware's content safety check looks at (<c>safety.check</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SafetyCheck>))]
public enum SafetyCheck
{
    /// <summary>No check: the task carries no <c>safety</c> object.</summary>
    [JsonStringEnumMemberName("off")]
    Off,

    /// <summary>The generated images: <c>safety: {checkContent: true}</c>.</summary>
    [JsonStringEnumMemberName("outputs")]
    Outputs,

    /// <summary>The inputs too: <c>safety: {checkContent: true, checkInputs: true}</c> (<c>checkInputs</c> is assumed).</summary>
    [JsonStringEnumMemberName("inputs-and-outputs")]
    InputsAndOutputs,
}

/// <summary>What happens to a result Runware flags (<c>NSFWContent: true</c>) (<c>safety.onFlagged</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SafetyAction>))]
public enum SafetyAction
{
    /// <summary>The job fails with <c>contentFlagged</c>; nothing is stored.</summary>
    [JsonStringEnumMemberName("fail")]
    Fail,

    /// <summary>The flagged image is written to the quarantine container instead of the output container.</summary>
    [JsonStringEnumMemberName("quarantine")]
    Quarantine,

    /// <summary>The flagged image is kept with the others and flagged in the manifest.</summary>
    [JsonStringEnumMemberName("record")]
    Record,
}

/// <summary>The content safety policy a job runs with: the job's own <c>safety</c> over the deployment's default.</summary>
/// <param name="Check">What is checked.</param>
/// <param name="OnFlagged">What a flagged result does.</param>
public sealed record SafetySpec(SafetyCheck Check, SafetyAction OnFlagged)
{
    /// <summary>No check (flagged results fail the job, should a check be turned on).</summary>
    public static SafetySpec Off { get; } = new(SafetyCheck.Off, SafetyAction.Fail);

    /// <summary>Whether Runware is asked to check anything.</summary>
    [JsonIgnore]
    public bool Enabled => Check != SafetyCheck.Off;

    /// <summary>The names of <see cref="SafetyCheck"/> as written in options and settings (declared on the enum).</summary>
    public static IReadOnlyDictionary<string, SafetyCheck> CheckNames => WireNames<SafetyCheck>.ByName;

    /// <summary>The names of <see cref="SafetyAction"/> as written in options and settings (declared on the enum).</summary>
    public static IReadOnlyDictionary<string, SafetyAction> ActionNames => WireNames<SafetyAction>.ByName;

    /// <summary>The name of a check as written in options.</summary>
    public static string Name(SafetyCheck check) => WireNames<SafetyCheck>.Of(check);

    /// <summary>The name of an action as written in options.</summary>
    public static string Name(SafetyAction action) => WireNames<SafetyAction>.Of(action);
}
