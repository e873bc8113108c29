using FluxFunctions.Errors;

namespace FluxFunctions.Core.Telemetry;

/// <summary>What the span of a stage says about its job (never a secret, a prompt or image data).</summary>
/// <param name="JobId">The job.</param>
/// <param name="Tool">The tool's name.</param>
/// <param name="Model">The Runware model.</param>
/// <param name="TaskUuid">The Runware task the stage works on.</param>
public readonly record struct StageTags(string? JobId, string? Tool = null, string? Model = null, string? TaskUuid = null);

/// <summary>An activity input that tells its span which job, tool, model and task it works on.</summary>
public interface ITracedInput
{
    /// <summary>The span's tags.</summary>
    StageTags Tags { get; }
}

/// <summary>An activity output that may carry the permanent problem that ended the stage.</summary>
public interface ITracedOutput
{
    /// <summary>The problem, if any.</summary>
    FluxError? Error { get; }
}
